"""The Budget page's link decoder: any query string gives a valid case plus warnings, and no
exception escapes (there is no catch-all to hide one)."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.workload import Workload
from scenarios import currency, written
from scenarios.fields import WORKLOAD, figures
from scenarios.links.budget import BUDGET, SCENARIO_KEYS, decode_params, to_params

KEYS = ["bud_usd", "bud_req", "bud_in", "bud_out", "bud_rsn", "bud_cached", "bud_batch",
        "bud_flex", "bud_prio", "bud_models", "bud_date", "bud_x", "other",
        "bud_cur", "bud_rate"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "nan", "inf", "-0", "1e400", "gpt-4.1-mini,gpt-9", "2025-02-30", "0"]),
    st.sampled_from(["EUR", "gbp", "XYZ", "US", "<b>€</b>", "0.9", "1e7", "-1", "1e-9"]),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_any_parameters_give_a_valid_case(params):
    case = decode_params(params)
    assert not any("could not be read" in w for w in case.warnings)
    # The case is something the engine accepts (Workload validates every field).
    assert isinstance(case.scenario.workload(), Workload)
    assert 0 <= case.budget < float("inf")
    # What was decoded: a good budget as given (clamped to its bounds), a bad one the default;
    # each good figure as given (clamped), each bad one its default, with a warning naming it.
    value, _ = written.parse_number(params.get("bud_usd", "").strip().replace(" ", "").lstrip("$"))
    expected = BUDGET.default if value is None else round(min(max(value, 0.0), BUDGET.high), 2)
    assert case.budget == expected
    for key, limit in figures(WORKLOAD).items():
        raw = params.get(f"bud_{key}")
        if raw is None or key not in SCENARIO_KEYS:
            continue
        text = raw.strip().replace(" ", "")
        number, _ = written.parse_number(
            text[:-1] if limit.percent and text.endswith("%") else text
        )
        if number is None:
            assert getattr(case.scenario, limit.name) == limit.default
            assert any(w.startswith(f"bud_{key}:") for w in case.warnings)
        elif key not in ("flex", "prio"):  # the tier shares give way to each other
            used = limit.core(limit.clamp(number)[0])
            assert getattr(case.scenario, limit.name) == used
    day = written.parse_date(params.get("bud_date", ""))
    if day is not None and written.MIN_DATE <= day <= written.MAX_DATE:
        assert case.scenario.as_of == day
    assert ("bud_x: not a Budget link parameter; ignored" in case.warnings) == ("bud_x" in params)
    assert case.from_link == any(k.startswith("bud_") for k in params)
    # The display currency: USD or a three-letter code at a rate within bounds; a bad one is
    # named in a warning and changes nothing else (the budget stays USD, as decoded above).
    shown = case.scenario.display()
    assert shown.code == currency.USD or currency.CODE.fullmatch(shown.code)
    assert currency.MIN_RATE <= shown.rate <= currency.MAX_RATE
    if "bud_cur" not in params:
        assert shown.is_usd
    elif shown.is_usd and params["bud_cur"].strip().upper() not in ("", currency.USD):
        assert any(w.startswith("bud_cur:") for w in case.warnings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_raw_query_string_gives_a_valid_case(text):
    decode_params(text)


def test_a_bad_value_is_named_and_the_others_kept():
    case = decode_params(urlencode({"bud_usd": "250", "bud_req": "abc", "bud_in": "900"}))
    assert case.budget == 250
    assert case.scenario.input_tokens == 900
    assert any(w.startswith("bud_req:") for w in case.warnings)


def test_the_currency_and_rate_ride_the_link_and_read_back():
    case = decode_params({"bud_usd": "100", "bud_cur": "eur", "bud_rate": "0.9"})
    assert (case.budget, case.scenario.currency, case.scenario.currency_rate) == (100, "EUR", 0.9)
    assert case.warnings == []
    written = to_params(case.budget, case.scenario)
    assert (written["bud_usd"], written["bud_cur"], written["bud_rate"]) == ("100", "EUR", "0.9")
    assert decode_params(written).scenario == case.scenario


def test_a_hostile_currency_is_named_and_nothing_else_changes():
    case = decode_params({"bud_usd": "100", "bud_cur": "[x](https://e.vil)", "bud_rate": "nan"})
    assert case.budget == 100
    assert case.scenario.display().is_usd
    assert any(w.startswith("bud_cur:") for w in case.warnings)
    assert any(w.startswith("bud_rate:") for w in case.warnings)
    plain = decode_params({"bud_usd": "100"}).scenario
    assert case.scenario == plain
