"""The Prices page's link decoder: any query string gives a valid view plus warnings, and no
exception escapes (there is no catch-all to hide one)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing import load_catalog
from scenarios import written
from scenarios.links.prices import DEFAULT_BEFORE, DEFAULT_MODEL, TABS, decode_params, to_params

KEYS = ["prices_tab", "prices_as_of", "prices_all", "prices_model", "prices_before",
        "prices_after", "prices_x", "other"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "2024-06-01", "2025-02-30", "9999-12-31", "gpt-4o", "gpt-9", "history"]),
)
TODAY = dt.date(2026, 11, 22)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6))
def test_any_parameters_give_a_valid_view(params):
    ids = load_catalog().model_ids()
    values, warnings = decode_params(params, ids, TODAY)
    assert values["model"] in ids
    assert isinstance(values["date"], dt.date)
    assert not any("could not be read" in w for w in warnings)
    # What was decoded: each good value as given, each bad one its default with a warning.
    tab = params.get("prices_tab", "table").strip().lower()
    assert values["tab"] == (tab if tab in TABS else "table")
    # prices_as_of: an older link's name of prices_date, still read
    dates = (
        ("as_of", "date", TODAY),
        ("before", "before", DEFAULT_BEFORE),
        ("after", "after", TODAY),
    )
    for old, name, default in dates:
        day = written.parse_date(params.get(f"prices_{old}", ""))
        good = day is not None and written.MIN_DATE <= day <= written.MAX_DATE
        assert values[name] == (day if good else default)
        if f"prices_{old}" in params and not good:
            assert any(w.startswith(f"prices_{old}:") for w in warnings)
    flag = params.get("prices_all", "").strip().lower()
    assert values["all"] is (flag in ("1", "true", "yes"))
    model = params.get("prices_model", "").strip()
    assert values["model"] == (model if model in ids else DEFAULT_MODEL)
    assert ("prices_x: not a Prices link parameter; ignored" in warnings) == ("prices_x" in params)
    assert not any(w.startswith("other") for w in warnings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_raw_query_string_gives_a_valid_view(text):
    decode_params(text, load_catalog().model_ids(), TODAY)


def test_the_pricing_date_is_spelt_date_as_in_the_other_links_and_old_links_still_open():
    ids = load_catalog().model_ids()
    new, problems = decode_params({"prices_date": "2025-06-01"}, ids, TODAY)
    old, old_problems = decode_params({"prices_as_of": "2025-06-01"}, ids, TODAY)
    assert new["date"] == old["date"] == dt.date(2025, 6, 1) and problems == old_problems == []
    written_params = to_params(old)
    assert written_params["prices_date"] == "2025-06-01" and "prices_as_of" not in written_params
