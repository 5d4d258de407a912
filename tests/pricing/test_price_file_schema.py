"""The price files' JSON schema is the loader's (``pricing.reference``), so it cannot drift: the
committed copy is what ``python -m pricing.reference`` writes today, every price file names it
on its first line, and it accepts every shipped file and flags what the loader rejects."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal

import jsonschema
import pytest

from pricing import reference
from pricing.catalog import DATA_DIR
from pricing.providers import provider_files


def _as_json(value):
    """A TOML value as an editor's schema check sees it: dates as text, numbers as numbers."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(reference.SCHEMA_FILE.read_text()))


def test_the_committed_schema_is_the_one_the_models_write():
    assert reference.SCHEMA_FILE.read_text(encoding="utf-8") == reference.schema_text(), (
        "run `python -m pricing.reference` to write pricing/data/price-file.schema.json anew"
    )


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(reference.json_schema())


@pytest.mark.parametrize("path", provider_files(DATA_DIR), ids=lambda p: p.name)
def test_every_price_file_names_the_schema_and_passes_it(path):
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == reference.DIRECTIVE
    assert (path.parent / reference.DIRECTIVE.split("./", 1)[1]).is_file()
    errors = list(_validator().iter_errors(_as_json(tomllib.loads(text, parse_float=Decimal))))
    assert not errors, [e.message for e in errors]


def test_the_schema_flags_what_the_loader_rejects():
    path = DATA_DIR / "openai.toml"
    data = _as_json(tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))
    entry = data["models"][0]["prices"][0]
    entry["input"] = -1.0
    entry["colour"] = 3
    del entry["source"]
    messages = " | ".join(e.message for e in _validator().iter_errors(data))
    assert "-1.0 is not valid" in messages
    assert "'colour' was unexpected" in messages
    assert "'source' is a required property" in messages


def test_every_price_file_field_has_a_description_in_the_table():
    rows = list(reference.field_rows())
    assert len(rows) > 40
    assert all(len(row) == len(reference.FIELD_HEADER) for row in rows)
    assert [row[0] for row in rows if not row[-1]] == []
    units = {row[0]: row[2] for row in rows}
    assert units["`models.prices.input`"] == "USD per 1M tokens"
    assert units["`models.prices.tool_fees.web_search`"] == "USD per 1,000 calls"
    assert units["`models.context_window`"] == "tokens"
