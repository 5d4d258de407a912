"""The price table: every shipped file loads; bad files fail naming file, model and field;
as-of lookups, history and diffs."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from pricing import NotReleasedError, PriceDataError, UnknownModelError, load_catalog
from pricing.catalog import DATA_DIR, Catalog
from pricing.providers import load_provider_file

D = dt.date


def test_every_shipped_file_loads_and_validates():
    files = sorted(DATA_DIR.glob("*.toml"))
    assert {f.stem for f in files} >= {"openai", "anthropic", "google", "mistral"}
    for path in files:
        data = load_provider_file(path)
        assert data.models, path
    catalog = load_catalog()
    assert len(catalog.model_ids()) >= 25


REQUIRED = [
    "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "o1", "o3", "o3-mini",
    "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4", "gpt-4-turbo", "gpt-3.5-turbo",
]  # fmt: skip


@pytest.mark.parametrize("model_id", REQUIRED)
def test_required_openai_models_are_covered(model_id):
    model = load_catalog().model(model_id)
    assert model.id == model_id
    assert model.prices[-1].source.scheme == "https"


@pytest.mark.parametrize("provider", ["anthropic", "google", "mistral"])
def test_alternatives_from_the_sources_are_covered(provider):
    models = [m for m in load_catalog().models() if m.provider == provider]
    assert models
    # Their tokenizers are not public: counts must be labelled approximate.
    assert all(not m.encoding_exact for m in models)


def test_prices_are_kept_exactly_as_written():
    entry = load_catalog().price("gpt-4o-mini", D(2025, 6, 1))
    assert entry.input == Decimal("0.15")
    assert entry.cached_input == Decimal("0.075")
    assert entry.output == Decimal("0.60")


@pytest.mark.parametrize(
    ("model_id", "in_price", "cached", "out_price"),
    [
        ("gpt-4.1-mini", "0.40", "0.10", "1.60"),
        ("gpt-4o-mini", "0.15", "0.075", "0.60"),
        ("gpt-4.1-nano", "0.10", "0.025", "0.40"),
        ("gpt-4.1", "2.00", "0.50", "8.00"),
        ("gpt-4o", "2.50", "1.25", "10.00"),
    ],
)
def test_guide_prices(model_id, in_price, cached, out_price):
    entry = load_catalog().price(model_id, D(2025, 6, 1))
    assert (entry.input, entry.cached_input, entry.output) == (
        Decimal(in_price),
        Decimal(cached),
        Decimal(out_price),
    )


def test_gpt_4o_launch_price_and_later_cut():
    catalog = load_catalog()
    june = catalog.price("gpt-4o", D(2024, 6, 1))
    november = catalog.price("gpt-4o", D(2024, 11, 1))
    assert (june.input, june.output) == (Decimal("5.00"), Decimal("15.00"))
    assert (november.input, november.output) == (Decimal("2.50"), Decimal("10.00"))


def test_o3_price_cut_is_a_second_history_entry():
    history = load_catalog().history("o3")
    assert len(history) >= 2
    assert list(history["input"])[:2] == [10.0, 2.0]
    assert list(history["output"])[:2] == [40.0, 8.0]
    # The first entry stops the day before the second begins.
    assert history["effective_to"].iloc[0] == history["effective_from"].iloc[1] - dt.timedelta(1)


def test_lookup_before_release_says_the_model_did_not_exist():
    with pytest.raises(NotReleasedError, match="did not exist yet"):
        load_catalog().price("gpt-4.1-mini", D(2025, 1, 1))


def test_table_as_of_a_date_lists_only_models_in_effect():
    table = load_catalog().table(D(2024, 6, 1))
    models = set(table["model"])
    assert "gpt-4o" in models
    assert "gpt-4.1-mini" not in models  # released 2025-04-14
    row = table.set_index("model").loc["gpt-4o"]
    assert (row["input"], row["output"]) == (5.0, 15.0)


def test_aliases_and_provider_prefixes_resolve():
    catalog = load_catalog()
    assert catalog.resolve("gpt-4o-mini-2024-07-18") == "gpt-4o-mini"
    assert catalog.resolve("openai/GPT-4.1-mini") == "gpt-4.1-mini"
    with pytest.raises(UnknownModelError, match=r"did you mean gpt-4\.1-mini"):
        catalog.resolve("gpt-4.1-mni")


def test_diff_reports_added_and_repriced_with_old_and_new():
    change = load_catalog().diff(D(2024, 6, 1), D(2024, 11, 1))
    assert "gpt-4o-mini" in set(change.added["model"])
    gpt4o = change.repriced[change.repriced["model"] == "gpt-4o"].set_index("field")
    assert (gpt4o.at["input", "old"], gpt4o.at["input", "new"]) == (5.0, 2.5)
    assert gpt4o.at["input", "change_pct"] == pytest.approx(-50.0)
    assert (gpt4o.at["output", "old"], gpt4o.at["output", "new"]) == (15.0, 10.0)


def test_diff_reports_removed_models(tmp_path):
    shutdown = 'shutdown = { date = 2025-01-01, source = "https://example.com/deprecations" }'
    write(tmp_path, GOOD.replace("# DEPRECATED", shutdown))
    change = Catalog.from_files([tmp_path / "acme.toml"]).diff(D(2024, 6, 1), D(2025, 6, 1))
    assert list(change.removed["model"]) == ["acme-1"]
    assert change.added.empty and change.repriced.empty


# -- malformed files ------------------------------------------------------------------------

GOOD = textwrap.dedent(
    """
    provider = "acme"
    name = "Acme"

    [[models]]
    id = "acme-1"
    name = "Acme 1"
    encoding = "o200k_base"
    context_window = 8000
    max_output_tokens = 1000
    released = 2024-01-01
    # DEPRECATED

    [[models.prices]]
    effective = 2024-01-01
    input = 1.00
    cached_input = 0.50
    output = 2.00
    source = "https://example.com/pricing"
    checked = 2026-11-22

    [[models.prices]]
    effective = 2024-06-01
    input = 0.80
    output = 1.60
    source = "https://example.com/pricing"
    checked = 2026-11-22
    """
)


def write(folder: Path, text: str) -> Path:
    path = folder / "acme.toml"
    path.write_text(text)
    return path


def test_the_good_fixture_loads(tmp_path):
    catalog = Catalog.from_files([write(tmp_path, GOOD)])
    assert catalog.price("acme-1", D(2024, 7, 1)).input == Decimal("0.80")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("input = 1.00", "input = 1.00\ncolour = 3"),
            r"acme.toml: model acme-1: .*colour: unknown",
        ),
        (("input = 0.80", "input = -0.80"), r"model acme-1: price entry 2024-06-01: field input"),
        (
            ("cached_input = 0.50", "cached_input = 1.50"),
            r"model acme-1: price entry 2024-01-01: .*cached_input \(1.50\) is above input",
        ),
        (("effective = 2024-06-01", "effective = 2023-12-01"), r"model acme-1: .*out of order"),
        (("effective = 2024-06-01", "effective = 2024-01-01"), r"model acme-1: .*duplicate"),
        (
            ('output = 1.60\nsource = "https://example.com/pricing"', "output = 1.60"),
            r"model acme-1: price entry 2024-06-01: field source: required field is missing",
        ),
        (('encoding = "o200k_base"', 'encoding = "gpt2"'), r"model acme-1: field encoding"),
        (('id = "acme-1"', 'id = "Acme 1"'), r"acme.toml: model Acme 1: field id"),
    ],
)
def test_malformed_files_name_file_model_and_field(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(PriceDataError, match=expected):
        Catalog.from_files([path])


def test_invalid_toml_is_reported_with_the_file_name(tmp_path):
    with pytest.raises(PriceDataError, match=r"acme\.toml: not valid TOML"):
        Catalog.from_files([write(tmp_path, GOOD + "\n[[models\n")])


def test_an_alias_used_twice_is_rejected(tmp_path):
    text = GOOD.replace("# DEPRECATED", 'aliases = ["acme-1"]')
    with pytest.raises(PriceDataError, match=r"'acme-1' is already used"):
        Catalog.from_files([write(tmp_path, text)])
