"""Hostile values in the routed mix, retries, images and currency: through the Compare link
decoder and the cost command line (issue 13). Nothing raises, nothing a user typed reaches the
report's cells, and every bad value is named with what was used."""

from __future__ import annotations

import csv
import io
from contextlib import redirect_stderr, redirect_stdout
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main as tokenbudget
from scenarios import report_csv
from scenarios.fields import TRAFFIC, figures
from scenarios.links import compare as compare_link
from tests.hostile.payloads import ALL, MARKER, MARKUP

KEYS = (*figures(TRAFFIC), *compare_link.TRAFFIC_TEXT)
VALUES = (
    st.sampled_from([*MARKUP, ALL, "gpt-4.1", "gpt-4.1-nano", "cascade", "split", "EUR", "1e309"])
    | st.text(max_size=40)
    | st.floats(allow_nan=True, allow_infinity=True).map(repr)
)


@given(st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=10))
@settings(max_examples=200, deadline=None)
def test_any_traffic_parameters_decode_to_a_scenario_the_core_prices(items):
    query = "date=2025-06-01&models=gpt-4.1&" + "&".join(f"{k}={quote(v)}" for k, v in items)
    decoded = compare_link.decode(query)
    scenario = decoded.scenario
    scenario.traffic()
    shown = scenario.display()
    assert len(shown.code) == 3 and shown.code.isalpha() and shown.code.isupper()
    route = scenario.routing()
    if route is not None:
        assert route.first != route.second
    again = compare_link.decode(compare_link.encode(scenario))
    assert again.warnings == [] and again.scenario == scenario
    for warning in decoded.warnings:
        assert len(warning) < 300  # quoted values are cut (written.show)


@pytest.mark.parametrize("text", [*MARKUP, ALL])
def test_markup_in_the_mix_and_currency_never_reaches_the_report(text):
    value = quote(text)
    query = (
        f"date=2025-06-01&models=gpt-4.1&route=cascade&first={value}&second=gpt-4.1"
        f"&cur={value}&detail={value}&answer={value}"
    )
    decoded = compare_link.decode(query)
    assert decoded.scenario.routing() is None and decoded.scenario.currency == "USD"
    rows = list(csv.DictReader(io.StringIO(report_csv.comparison_csv(decoded.scenario).decode())))
    assert rows
    for row in rows:
        assert not any(MARKER in cell for key, cell in row.items() if key != "share_link")


@pytest.mark.parametrize(
    "flag",
    ["--route", "--escalate", "--image-size", "--currency"],
)
@pytest.mark.parametrize("text", [MARKUP[0], "\r=1+1", "9" * 400, ":::", ","])
def test_cli_flags_with_hostile_text_are_one_line_errors(flag, text):
    argv = ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1"]
    argv += ["--as-of", "2025-06-01", flag, text]
    if flag == "--image-size":
        argv += ["--images-per-request", "1"]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = tokenbudget(argv)
    assert status == 2 and out.getvalue() == ""
    assert err.getvalue().count("\n") == 1 and "Traceback" not in err.getvalue()
