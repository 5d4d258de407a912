"""AppTest for the Prices page: figures equal the core's, the view lives in the URL, bad link
values are named, swapped dates are said, offers are kept apart from price changes."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from pricing import clock, load_catalog
from scenarios.links.prices import decode_params, to_params


def _prices_script():
    from app_pages import prices

    prices.render()


def _app(**params) -> AppTest:
    at = AppTest.from_function(_prices_script, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _url(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


def _texts(elements) -> str:
    """What a reader sees: the Markdown escapes and word joiners of ``common.plain`` removed."""
    return " | ".join(str(e.value).replace("\\", "").replace("\u2060", "") for e in elements)


def test_prices_page_shows_table_history_and_diff():
    at = _app().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["model"]) == set(load_catalog().table(clock.today())["model"])
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    # prices as written, a dash where a model does not offer one, and a caption saying so
    assert 0.075 in set(table["cached_input"])
    assert at.dataframe[0].proto.placeholder == "—"
    assert "— means the model does not offer that price" in _texts(at.caption)


RAW_NAMES = ("effective_from", "batch_input", "priority_cached_input", "cached_input", "_")


def _config(grid) -> dict:
    return {k: v for k, v in json.loads(grid.proto.columns).items() if k != "_index"}


def _labels(grid) -> list[str]:
    """The headers a reader sees, in the order shown."""
    config = _config(grid)
    order = list(grid.proto.column_order) or list(grid.value.columns)
    return [config[c]["label"] for c in order]


def test_prices_are_numbers_with_human_labels_and_model_first():
    at = _app(prices_as_of="2026-12-01").run()
    grid = at.dataframe[0]
    table = grid.value
    # Numbers (a header click sorts $0.10 < $2.50 < $15.00), formatted as dollars.
    for column in ("input", "output", "cached_input", "batch_input", "context_window"):
        assert pd.api.types.is_numeric_dtype(table[column]), column
    config = _config(grid)
    # model, input, output, cached first (what a phone shows), the model pinned.
    assert _labels(grid)[:5] == ["Model", "Input", "Output", "Cached input", "Status"]
    assert config["model"]["pinned"] is True
    assert sum(config[c]["width"] for c in ("model", "input", "output")) < 356  # a phone
    # one number of decimals per column, enough for every price written in it: groq-gpt-oss-20b's
    # cached input is 0.0375 (4 decimals), so the column shows $0.0375 and $0.0750 alike.
    cached = table.set_index("model")["cached_input"]
    assert cached["groq-gpt-oss-20b"] == 0.0375
    assert config["cached_input"]["type_config"]["format"] == "$%.4f"
    assert config["input"]["help"] == "USD per 1M tokens"
    # The source column shows its site, not the cut-off address.
    assert config["source"]["type_config"]["display_text"] == r"https?://(?:www\.)?([^/]+)"
    assert config["effective_from"]["type_config"]["type"] == "date"
    assert not any(raw in label for label in _labels(grid) for raw in RAW_NAMES)


def test_all_columns_and_history_have_human_labels_and_dates_first():
    at = _app(prices_as_of="2026-12-01", prices_all="1").run()
    labels = _labels(at.dataframe[0])
    assert "Priority cached input" in labels and "Batch input" in labels
    assert not any(raw in label for label in labels for raw in RAW_NAMES)
    at = _app(prices_tab="history", prices_model="o3").run()
    history = next(d for d in at.dataframe if "effective_to" in d.value.columns)
    # o3's two price entries: 10 / 40 from launch, 2 / 8 from 2025-06-10 (the 80% cut).
    assert list(history.value["input"]) == [10.0, 2.0]
    assert list(history.value["effective_from"]) == [dt.date(2025, 4, 16), dt.date(2025, 6, 10)]
    assert _labels(history)[:3] == ["Effective from", "Effective to", "Input"]
    assert _config(history)["effective_from"]["pinned"] is True
    assert "Cache write" not in _labels(history)  # o3 never had one: no empty column
    assert not any(raw in label for label in _labels(history) for raw in RAW_NAMES)


def test_view_is_in_the_url_and_a_link_reopens_it():
    at = _app().run()
    at.date_input(key="prices_date").set_value(dt.date(2024, 7, 1)).run()
    at.selectbox(key="prices_model").set_value("o3").run()
    assert _url(at, "prices_date") == "2024-07-01" and "prices_as_of" not in at.query_params
    assert _url(at, "prices_model") == "o3"
    again = _app(**{k: _url(at, k) for k in at.query_params}).run()
    assert not again.exception and not again.warning
    assert again.date_input(key="prices_date").value == dt.date(2024, 7, 1)
    assert again.selectbox(key="prices_model").value == "o3"
    assert set(again.dataframe[0].value["model"]) == set(
        load_catalog().table(dt.date(2024, 7, 1))["model"]
    )


def test_bad_link_values_are_named():
    at = _app(prices_as_of="garbage", prices_model="gpt-9", prices_tab="nope").run()
    assert not at.exception
    warnings = _texts(at.warning)
    assert "prices_as_of: 'garbage' is not a date (YYYY-MM-DD); used" in warnings
    assert "prices_model: unknown model 'gpt-9'; used gpt-4o" in warnings
    assert "prices_tab: 'nope' is not one of table, history, changes; used table" in warnings


def test_swapped_dates_are_said_and_offers_kept_apart():
    at = _app(prices_before="2025-07-01", prices_after="2024-06-01").run()
    assert "“From” (2025-07-01) is after “To” (2024-06-01)" in _texts(at.info)
    changes = load_catalog().changes(dt.date(2024, 6, 1), dt.date(2025, 7, 1))
    frames = [d.value for d in at.dataframe]
    repriced = next(f for f in frames if "change_pct" in f)
    offered = next(f for f in frames if "change" in f and "change_pct" not in f)
    assert repriced[["old", "new"]].notna().all().all()
    assert len(repriced) == len(changes.repriced) and len(offered) == len(changes.offered)
    assert "Repriced** (1 model)" in _texts(at.markdown)
    # Which price changed, as a person names it; the prices as numbers.
    assert not any("_" in name for name in repriced["field"])
    assert set(repriced["field"]) <= {
        "Input",
        "Output",
        "Cached input",
        "Batch input",
        "Batch output",
    }
    assert pd.api.types.is_float_dtype(repriced["old"])


def test_decode_and_encode_round_trip():
    cat = load_catalog()
    today = dt.date(2026, 1, 1)
    values, warnings = decode_params(
        {"prices_tab": "history", "prices_model": "GPT-4O-MINI", "prices_all": "1"},
        cat.model_ids(),
        today,
        cat,
    )
    assert warnings == [] and values["model"] == "gpt-4o-mini" and values["all"]
    back, warnings = decode_params(to_params(values), cat.model_ids(), today, cat)
    assert back == values and warnings == []
    _, warnings = decode_params({"prices_x": "1", "other": "2"}, cat.model_ids(), today, cat)
    assert warnings == ["prices_x: not a Prices link parameter; ignored"]


# -- lifecycle, on the hand-written price file of tests/lifecycle_fixture.py ------------------

from unittest import mock  # noqa: E402

import pytest  # noqa: E402

from tests import lifecycle_fixture as fixture  # noqa: E402


@pytest.fixture
def test_catalog(tmp_path):
    from app_pages import prices

    cat = fixture.catalog(tmp_path)
    with mock.patch.object(prices, "catalog", return_value=cat):
        yield cat


def test_status_column_and_the_available_filter(test_catalog):
    at = _app(prices_as_of="2026-12-01").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("model")
    assert list(at.dataframe[0].value.columns[:5]) == [
        "model",
        "input",
        "output",
        "cached_input",
        "status",
    ]
    # Available on the date (the default): gpt-4.1-nano (shut down 2026-10-23) is left out.
    assert "gpt-4.1-nano" not in table.index
    assert table.loc["gpt-4.1-mini", "status"] == "available"
    assert table.loc["gpt-8-mini", "status"] == "shuts down on 2026-12-10"
    assert table.loc["gpt-9-pico", "status"] == "promotional until 2027-01-31"
    assert "5 models on 01 Dec 2026 (1 shut down by then hidden" in _texts(at.caption)
    assert _url(at, "prices_available") == "1"
    at.toggle(key="prices_available").set_value(False).run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["gpt-4.1-nano", "status"] == "shut down on 2026-10-23"
    assert table.loc["gpt-4.1-nano", "input"] == 0.10  # its last list price
    assert _url(at, "prices_available") == "0"
    # The link reopens the view with the filter off.
    again = _app(**{k: _url(at, k) for k in at.query_params}).run()
    assert not again.toggle(key="prices_available").value
    assert "gpt-4.1-nano" in set(again.dataframe[0].value["model"])


def test_before_the_shutdown_nano_is_live(test_catalog):
    at = _app(prices_as_of="2026-06-01").run()
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["gpt-4.1-nano", "status"] == "shuts down on 2026-10-23"
    assert "gpt-9-nano" not in table.index  # released 2026-09-22


def test_available_flag_in_the_link_is_checked():
    cat = load_catalog()
    values, warnings = decode_params({"prices_available": "maybe"}, cat.model_ids(), DAY, cat)
    assert values["available"] is True
    assert warnings == ["prices_available: 'maybe' is not 1 or 0; used 1"]
    values, _ = decode_params({"prices_available": "0"}, cat.model_ids(), DAY, cat)
    assert values["available"] is False and to_params(values)["prices_available"] == "0"


DAY = dt.date(2026, 12, 1)
