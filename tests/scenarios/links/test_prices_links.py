"""The Prices page's link decoder: any query string gives a valid view plus warnings, and no
exception escapes (there is no catch-all to hide one)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing import load_catalog
from scenarios.links.prices import decode_params

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
    assert isinstance(values["as_of"], dt.date)
    assert not any("could not be read" in w for w in warnings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_raw_query_string_gives_a_valid_view(text):
    decode_params(text, load_catalog().model_ids(), TODAY)
