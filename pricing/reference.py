"""The price-file reference, written from the models that read the files (``pricing/schema.py``),
so it cannot drift from them:

* the JSON schema (``pricing/data/price-file.schema.json``) that every price file names on its
  first line (``#:schema ./price-file.schema.json``), so an editor with a TOML language server
  (Taplo, "Even Better TOML") checks a file as it is typed. ``python -m pricing.reference``
  writes it; ``tests/pricing/test_price_file_schema.py`` fails when the committed copy differs;
* the rows of the README's price-file field table (``field_rows``: field, type, unit, required,
  description), which ``python -m cli.readme`` writes between its markers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, HttpUrl
from pydantic.fields import FieldInfo

from pricing.schema import ProviderFile

SCHEMA_FILE = Path(__file__).parent / "data" / "price-file.schema.json"
DIRECTIVE = f"#:schema ./{SCHEMA_FILE.name}"
"""The first line of every price file: where an editor finds the schema (beside the file)."""

FIELD_HEADER = ("field", "type", "unit", "required", "description")

_TYPES: dict[type, str] = {
    str: "text",
    int: "integer",
    Decimal: "number",
    bool: "true or false",
    dt.date: "date",
    HttpUrl: "URL",
}


def json_schema() -> dict:
    """The price file's JSON schema (pydantic's, of ``ProviderFile``), in draft 2020-12."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Written by `python -m pricing.reference` from pricing/schema.py: do not edit.",
        **ProviderFile.model_json_schema(),
    }


def schema_text() -> str:
    """The schema file's text, as ``write_schema`` writes it."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(schema_text(), encoding="utf-8")
    return path


# -- the README's field table --------------------------------------------------------------------


def _parts(annotation: object) -> tuple[object, list, dict]:
    """``annotation`` without ``| None`` and ``Annotated``: (type, constraints, schema extras)."""
    constraints: list = []
    extra: dict = {}
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (annotation,) = (a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *metadata = typing.get_args(annotation)
        for item in metadata:
            if isinstance(item, FieldInfo):
                constraints += item.metadata
                extra |= item.json_schema_extra or {}
            else:
                constraints.append(item)
    return annotation, constraints, extra


def _constraint(item: object) -> str:
    """A constraint pydantic keeps in a field's metadata (``Gt``, ``Ge``, ``MinLen``, a
    pattern), as the table writes it."""
    if getattr(item, "gt", None) is not None:
        return f"> {item.gt}"
    if getattr(item, "ge", None) is not None:
        return f"≥ {item.ge}"
    if (least := getattr(item, "min_length", None)) is not None:
        return "one or more" if least == 1 else f"at least {least}"
    pattern = getattr(item, "pattern", None)
    return f"`{pattern}`" if pattern else ""


def _type(field: FieldInfo) -> tuple[str, str, type[BaseModel] | None]:
    """(type text, unit, the model of a table or array of tables) of one field."""
    annotation, constraints, extra = _parts(field.annotation)
    constraints += field.metadata
    extra = {**extra, **(field.json_schema_extra or {})}
    table = None
    if typing.get_origin(annotation) is tuple:
        item, _ = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            text, table = "array of tables", item
        else:
            text = f"array of {_TYPES[item]}"
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        text, table = "table", annotation
    else:
        text = _TYPES[annotation]
    if "enum" in extra:
        text = " or ".join(f"`{value}`" for value in extra["enum"])
    text = ", ".join(part for part in (text, *map(_constraint, constraints)) if part)
    return text, extra.get("unit", ""), table


def _required(field: FieldInfo) -> str:
    if field.is_required():
        return "yes"
    default = field.default
    if default is None or default == ():
        return "no"
    return f"no (default `{json.dumps(default)}`)"


def _description(field: FieldInfo) -> str:
    text = " ".join((field.description or "").split())
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def field_rows(model: type[BaseModel] = ProviderFile, path: str = "") -> Iterator[tuple[str, ...]]:
    """One row per field of a price file, a table's fields after its own row's table; a table
    that several fields share (``batch``, ``flex``, ``priority``) has its fields written once,
    as ``models.prices.{batch,flex,priority}.input``."""
    tables: dict[type[BaseModel], list[str]] = {}
    for name, field in model.model_fields.items():
        text, unit, table = _type(field)
        yield f"`{path}{name}`", text, unit, _required(field), _description(field)
        if table is not None:
            tables.setdefault(table, []).append(name)
    for table, names in tables.items():
        joined = names[0] if len(names) == 1 else "{" + ",".join(names) + "}"
        yield from field_rows(table, f"{path}{joined}.")


if __name__ == "__main__":
    print(f"wrote {write_schema()}")
    sys.exit(0)
