"""The share-link codec: round trips, tampered values, and any query string at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from app_pages.common import MAX_WARNINGS_SHOWN
from pricing import clock, load_catalog
from pricing.workload import validate_workload
from scenarios import fields, written
from scenarios import scenario as sc
from scenarios.links import compare as compare_link

APP = str(Path(__file__).resolve().parents[3] / "app.py")
KEYS = [
    *fields.figures(fields.WORKLOAD),
    "v",
    "per",
    "models",
    "base",
    "date",
    "name",
    "preset",
    "zz",
    *fields.figures(fields.TRAFFIC),
    *compare_link.TRAFFIC_TEXT,
]


def assert_valid(decoded: compare_link.Decoded) -> None:
    scenario = decoded.scenario
    assert not validate_workload({**scenario.workload().__dict__}), (
        "the scenario must be a valid workload"
    )
    catalog = load_catalog()
    assert scenario.models and all(m in catalog.model_ids() for m in scenario.models)
    assert scenario.baseline in scenario.models
    assert 1 <= scenario.months <= 60
    assert written.MIN_DATE <= scenario.as_of <= written.MAX_DATE
    assert scenario.per in ("month", "day")
    assert all(isinstance(w, str) for w in decoded.warnings)
    broken = [w for w in decoded.warnings if "could not be read" in w]
    assert not broken, f"the decoder broke on a value instead of checking it: {broken}"
    # How the requests run and how figures are shown: always something the core accepts.
    scenario.traffic()  # Traffic and Images validate their figures
    route = scenario.routing()
    if route is not None:
        assert route.first in catalog.model_ids() and route.second in catalog.model_ids()
    else:
        assert scenario.route == "" or not (scenario.route_first and scenario.route_second)
    shown = scenario.display()
    assert shown.code == scenario.currency and 0 < shown.rate < float("inf")


def test_compare_url_is_short_readable_and_round_trips():
    url = compare_link.compare_url(
        {"requests": 100_000, "input_tokens": 1500, "output_tokens": 300, "cached_share": 0.5},
        ["gpt-4.1-mini", "gpt-4o-mini"],
        dt.date(2025, 6, 1),
    )
    assert url == (
        "./?v=1&req=100000&in=1500&out=300&cached=50&models=gpt-4.1-mini,gpt-4o-mini"
        "&base=gpt-4.1-mini&date=2025-06-01"
    )
    decoded = compare_link.decode_url(url)
    assert decoded.warnings == []
    assert decoded.scenario.cached_share == 0.5
    assert decoded.scenario.as_of == dt.date(2025, 6, 1)
    full = compare_link.compare_url(
        {"requests": 1}, ["gpt-4o"], dt.date(2025, 1, 1), "http://h:8501/"
    )
    assert full.startswith("http://h:8501/?v=1&")


def test_every_field_round_trips():
    scenario = sc.Scenario(
        requests=1234.5,
        per="day",
        input_tokens=2000,
        output_tokens=100,
        reasoning_tokens=500,
        cached_share=0.125,
        batch_share=0.3,
        flex_share=0.2,
        priority_share=0.1,
        growth=-0.05,
        months=24,
        models=("gpt-4o", "o3"),
        baseline="o3",
        as_of=dt.date(2025, 3, 4),
        name="=evil, name & co",
        preset="support",
    )
    decoded = compare_link.decode(compare_link.encode(scenario))
    assert decoded.warnings == []
    assert decoded.scenario == scenario
    assert decoded.scenario.requests_per_month == 1234.5 * sc.DAYS_PER_MONTH


def test_traffic_routing_and_currency_round_trip():
    scenario = sc.Scenario(
        as_of=dt.date(2025, 6, 1),
        retry_share=0.05,
        images_per_request=2.5,
        image_width=800,
        image_height=600,
        image_detail="low",
        route="cascade",
        route_first="gpt-4.1-nano",
        route_second="gpt-4.1",
        escalation=0.125,
        route_answer=True,
        currency="EUR",
        currency_rate=0.9,
    )
    query = compare_link.encode(scenario)
    assert query.endswith(
        "&retry=5&img=2.5&imgw=800&imgh=600&detail=low&route=cascade&first=gpt-4.1-nano"
        "&second=gpt-4.1&esc=12.5&answer=1&cur=EUR&rate=0.9"
    )
    decoded = compare_link.decode(query)
    assert decoded.warnings == []
    assert decoded.scenario == scenario
    # Defaults write nothing: an old link reads as it did.
    assert "retry" not in compare_link.to_params(sc.Scenario())


def test_tampered_traffic_values_warn_and_leave_the_rest():
    decoded = compare_link.decode(
        "req=777&retry=150&img=-1&imgw=5&detail=huge&route=cascade&first=gpt-4.1-nano"
        "&second=nope&esc=20&cur=EURO&rate=2&models=gpt-4o&date=2025-01-02"
    )
    text = "\n".join(decoded.warnings)
    for expected in (
        "retry: '150' is above the most allowed, 100%; used 100",
        "img: '-1' is below 0; used 0",
        "detail: 'huge' is not low or high; used high",
        "imgw: read only with img=...; ignored",
        "second: unknown model 'nope'; no mix",
        "esc: read only with route=...; ignored",
        "cur: 'EURO' is not a currency code (three letters); used USD",
    ):
        assert expected in text
    scenario = decoded.scenario
    assert scenario.requests == 777 and scenario.models == ("gpt-4o",)
    assert scenario.routing() is None and scenario.currency == "USD"
    assert scenario.retry_share == 1.0 and scenario.images_per_request == 0
    assert_valid(decoded)


@pytest.mark.parametrize(
    ("query", "warned"),
    [
        ("route=split&first=gpt-4.1&second=gpt-4.1", "route: first and second are both gpt-4.1"),
        ("route=both&first=gpt-4.1&second=gpt-4o", "route: 'both' is not split or cascade"),
        ("route=split&first=gpt-4.1", "route: needs first= and second= models"),
        ("first=gpt-4.1&second=gpt-4o", "route: first/second given without route"),
        ("route=split&first=gpt-4.1&second=gpt-4o&answer=1", "answer: only a cascade"),
        ("cur=XYZ", "cur: no reference rate for XYZ: enter a rate; used USD"),
        ("rate=0.9", "rate: read only with cur=...; ignored"),
    ],
)
def test_a_mix_or_currency_that_cannot_be_read_is_named(query, warned):
    decoded = compare_link.decode(query + "&date=2025-01-02")
    assert any(w.startswith(warned) for w in decoded.warnings), decoded.warnings
    assert_valid(decoded)


def test_tampered_values_warn_with_parameter_and_replacement():
    decoded = compare_link.decode(
        "v=9&req=abc&in=1e400&out=-3&cached=150&months=2.5&models=gpt-4o,nope"
        "&base=gpt-4.1&date=2025-02-30&per=week&batch=90&flex=40"
    )
    text = "\n".join(decoded.warnings)
    for expected in (
        "v: link format '9' is not known; read as version 1",
        "req: 'abc' is not a number; used 100000",
        "in: '1e400' is not a finite number; used 1500",
        "out: '-3' is below 0; used 0",
        "cached: '150' is above the most allowed, 100%; used 100",
        "months: '2.5' is not a whole number; used 2",
        "models: unknown model 'nope' left out",
        "base: 'gpt-4.1' is not one of the models compared; used gpt-4o",
        "date: '2025-02-30' is not a date (YYYY-MM-DD); used today",
        "per: 'week' is not month or day; used month",
        "flex: batch + flex exceed 100%; used 10",
    ):
        assert expected in text
    assert_valid(decoded)
    assert decoded.scenario.as_of == clock.today()


def test_huge_value_is_clamped():
    decoded = compare_link.decode("req=99999999999999999999&in=" + "9" * 30)
    assert decoded.scenario.requests == 1e12
    assert any(w.startswith("req:") and "above the most allowed" in w for w in decoded.warnings)
    assert any(w.startswith("in:") for w in decoded.warnings)


@pytest.mark.parametrize(
    ("query", "field", "used", "warning"),
    [
        ("months=0", "months", 1, "months: '0' is below 1; used 1"),
        ("months=999", "months", 60, "months: '999' is above the most allowed, 60; used 60"),
        ("months=-4.6", "months", 1, "months: '-4.6' is below 1; used 1"),
        ("growth=-95", "growth", -0.9, "growth: '-95' is below -90; used -90"),
        ("req=-1", "requests", 0.0, "req: '-1' is below 0; used 0"),
        (
            "out=5000000",
            "output_tokens",
            1e6,
            "out: '5000000' is above the most allowed, 1,000,000",
        ),
    ],
)
def test_clamped_values_are_used_and_named(query, field, used, warning):
    """A clamped value used to become an int and break ``is_integer`` (AttributeError), which
    threw the whole link away; now it is clamped, named, and the rest of the link is kept."""
    decoded = compare_link.decode(f"{query}&in=777&models=gpt-4o&date=2025-01-02")
    assert getattr(decoded.scenario, field) == used
    assert any(w.startswith(warning) for w in decoded.warnings), decoded.warnings
    assert decoded.scenario.input_tokens == 777
    assert decoded.scenario.models == ("gpt-4o",)
    assert decoded.scenario.as_of == dt.date(2025, 1, 2)
    assert_valid(decoded)


def test_an_unexpected_error_is_not_hidden_and_bad_values_do_not_discard_the_others():
    """No catch-all (as in the Budget and Prices decoders): a catalog failing in an unexpected
    way is a bug that surfaces; a bad value still leaves every other parameter read."""

    class Broken:
        """A catalog whose model lookup fails in an unexpected way."""

        def resolve(self, name, **options):
            raise RuntimeError("lookup failed")

    with pytest.raises(RuntimeError, match="lookup failed"):
        compare_link.decode("req=5&in=42&models=gpt-4o&base=gpt-4o&months=3", Broken())
    decoded = compare_link.decode("req=5&in=42&models=gpt-9&base=gpt-9&months=3,5")
    assert decoded.scenario.requests == 5
    assert decoded.scenario.input_tokens == 42
    assert decoded.scenario.months == 12
    assert decoded.scenario.models == sc.default_models(decoded.scenario.as_of)
    assert any(w.startswith("models: unknown model") for w in decoded.warnings)


def test_no_models_falls_back_to_defaults():
    decoded = compare_link.decode("models=,,,foo")
    assert decoded.scenario.models == sc.default_models(decoded.scenario.as_of)
    assert decoded.scenario.models[:3] == sc.DEFAULT_MODELS
    assert any("no known model" in w for w in decoded.warnings)


def test_base_of():
    assert compare_link.base_of("http://127.0.0.1:8501/compare?v=1") == "http://127.0.0.1:8501"
    assert compare_link.base_of("https://x.org/app/?v=1") == "https://x.org/app"
    assert compare_link.base_of("./?v=1") == ""


query_text = st.text(max_size=200)
pairs = st.lists(
    st.tuples(
        st.sampled_from(KEYS) | st.text(max_size=8),
        st.text(max_size=30)
        | st.sampled_from(["gpt-4.1-nano", "gpt-4.1", "split", "cascade", "EUR", "low", "1"])
        | st.floats(allow_nan=True, allow_infinity=True).map(repr)
        | st.integers().map(str),
    ),
    max_size=12,
)


@given(query_text)
@settings(max_examples=300, deadline=None)
def test_any_raw_query_string_decodes(text):
    assert_valid(compare_link.decode(text))


@given(pairs)
@settings(max_examples=300, deadline=None)
def test_any_parameters_decode_and_reencode_cleanly(items):
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in items)
    decoded = compare_link.decode(query)
    assert_valid(decoded)
    again = compare_link.decode(compare_link.encode(decoded.scenario))
    assert again.warnings == []
    assert again.scenario == decoded.scenario


@given(pairs)
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_parameters_open_the_page_without_exception(items):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in items:
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert len(at.metric) == 3
    expected = compare_link.decode(dict(items)).warnings
    shown = [w.value for w in at.warning if w.value.startswith("Link parameter ")]
    # One box per warning up to common.MAX_WARNINGS_SHOWN, then one box counting the rest.
    assert len(shown) == min(len(expected), MAX_WARNINGS_SHOWN)
    more = [w.value for w in at.warning if " more warning" in w.value]
    assert len(more) == (len(expected) > MAX_WARNINGS_SHOWN)
