"""CSV reports: columns with units, numbers as numbers, CSV-injection guard, CLI parity."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pricing.cost import monthly_cost
from pricing.projection import projection
from scenarios import export, report, report_csv
from scenarios.budget import largest_prompt
from scenarios.links import compare
from scenarios.projection import horizon_events, monthly_projection, twelve_month_totals
from scenarios.scenario import DEFAULT_MODELS, default_models

ROOT = Path(__file__).resolve().parents[2]
QUERY = (
    "v=1&name=%3DSUM(A1)&req=200000&in=2400&out=350&cached=40&growth=5&months=3"
    "&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano&base=gpt-4.1-mini&date=2025-06-01"
)


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_comparison_csv_matches_the_engine():
    scenario = compare.decode(QUERY).scenario
    out = rows(report_csv.comparison_csv(scenario, "http://h:1"))
    engine = monthly_cost(scenario.workload(), list(scenario.models), scenario.as_of)
    assert [r["model"] for r in out] == list(scenario.models)
    base = float(engine.loc[engine["model"] == "gpt-4.1-mini", "total_cost"].iloc[0])
    for row, expected in zip(out, engine.itertuples(), strict=True):
        assert float(row["total_cost_usd_per_month"]) == pytest.approx(expected.total_cost)
        parts = sum(
            float(row[f"{c}_usd_per_month"])
            for c in ("uncached_input_cost", "cached_input_cost", "cache_write_cost", "output_cost")
        )
        assert parts == pytest.approx(expected.total_cost)
        assert float(row["difference_vs_baseline_usd_per_month"]) == pytest.approx(
            expected.total_cost - base
        )
        assert row["pricing_date"] == "2025-06-01"
        assert row["share_link"] == "http://h:1/?" + compare.encode(scenario)
        assert float(row["output_tokens_per_month"]) == pytest.approx(200000 * 350)
    assert out[0]["difference_vs_baseline_pct"] == "0.0"


def test_headers_carry_units_and_numbers_are_numbers():
    scenario = compare.decode(QUERY).scenario
    header = report_csv.comparison_csv(scenario).decode().splitlines()[0].split(",")
    assert "total_cost_usd_per_month" in header and "output_tokens_per_month" in header
    first = rows(report_csv.comparison_csv(scenario))[0]
    float(first["requests_per_month"])  # numbers are plain numbers, no $ or separators
    assert "$" not in first["total_cost_usd_per_month"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralised(text):
    assert export.neutralise(text) == "'" + text
    assert export.neutralise("plain") == "plain"
    assert export.neutralise(-1.5) == -1.5


def test_scenario_name_from_the_url_is_neutralised():
    out = rows(report_csv.comparison_csv(compare.decode(QUERY).scenario))
    assert out[0]["scenario_name"] == "'=SUM(A1)"


def test_projection_csv_has_a_row_per_month_and_model():
    scenario = compare.decode(QUERY).scenario
    out = rows(report_csv.projection_csv(scenario))
    assert len(out) == 3 * 3
    engine = projection(scenario.workload(), 3, 0.05, list(scenario.models), scenario.as_of)
    assert [float(r["total_cost_usd_per_month"]) for r in out] == pytest.approx(
        engine["total_cost"].tolist()
    )
    assert "cumulative_cost_usd" in out[0]


def test_cli_link_prints_the_same_bytes():
    url = "http://127.0.0.1:8501/?" + QUERY
    cli = subprocess.run(
        [sys.executable, "-m", "cli", "cost", "--link", url, "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    assert cli.stdout == report_csv.comparison_csv(
        compare.decode(QUERY).scenario, compare.base_of(url)
    )


def test_cli_link_warns_on_stderr_and_rejects_mixed_flags():
    cli = subprocess.run(
        [sys.executable, "-m", "cli", "cost", "--link", "./?req=x", "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0 and "link parameter req:" in cli.stderr
    mixed = subprocess.run(
        [sys.executable, "-m", "cli", "cost", "--link", "./?v=1", "--requests", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert mixed.returncode == 2 and "--link: cannot be combined with --requests" in mixed.stderr


def test_largest_prompt_fits_the_budget_exactly():
    scenario = compare.decode(QUERY).scenario
    models = ["gpt-4.1-mini", "gpt-4.1-nano"]
    fits = largest_prompt(300.0, scenario.workload(), models, scenario.as_of)
    for row in fits.itertuples():
        tokens = row.largest_input_tokens
        at = monthly_cost(
            scenario.workload().__class__(
                **{**scenario.workload().__dict__, "input_tokens": tokens}
            ),
            [row.model],
            scenario.as_of,
        )["total_cost"].iloc[0]
        above = monthly_cost(
            scenario.workload().__class__(
                **{**scenario.workload().__dict__, "input_tokens": tokens + 1}
            ),
            [row.model],
            scenario.as_of,
        )["total_cost"].iloc[0]
        assert row.limited_by == "budget"
        assert at <= 300.0 < above


def test_csv_has_no_binary_noise_and_counts_are_integers():
    # 0.24 x 4 = 0.9600000000000001 in binary floats; the CSV writes 0.96.
    scenario = compare.decode(
        "req=1000&in=2400&out=350&rsn=0&cached=40&batch=30&models=gpt-4.1-mini,gpt-4o-mini"
        "&date=2025-06-01"
    ).scenario
    for data in (report_csv.comparison_csv(scenario), report_csv.projection_csv(scenario)):
        for row in rows(data):
            for header, cell in row.items():
                assert not re.search(r"\d\.\d*0000000\d", cell), (header, cell)
                assert not re.search(r"\d\.\d*9999999\d", cell), (header, cell)
                if header.endswith(("_tokens_per_month", "_tokens_per_request")) or header in (
                    "month",
                    "requests_per_month",
                ):
                    assert re.fullmatch(r"-?\d+", cell), (header, cell)
    assert report_csv._clean_number(0.24 * 4, count=False) == 0.96
    assert report_csv._clean_number(2.0, count=True) == 2 and isinstance(
        report_csv._clean_number(2.0, count=True), int
    )
    assert report_csv._clean_number(1234.5, count=True) == 1234.5


def test_both_csvs_carry_the_absolute_link_when_the_base_is_known():
    scenario = compare.decode(QUERY).scenario
    for data in (
        report_csv.comparison_csv(scenario, "http://h:1"),
        report_csv.projection_csv(scenario, "http://h:1"),
    ):
        assert {r["share_link"] for r in rows(data)} == {"http://h:1/?" + compare.encode(scenario)}


@pytest.mark.parametrize("growth", [0, 5, -50, 200])
def test_twelve_month_total_equals_the_projection_sum(growth):
    scenario = compare.decode(QUERY.replace("growth=5", f"growth={growth}")).scenario
    totals = report.compare(scenario).table.set_index("model")["total_cost_12_months"]
    engine = projection(
        scenario.workload(), 12, scenario.growth, list(scenario.models), scenario.as_of
    )
    engine = engine[engine["month"] <= 12].groupby("model")["total_cost"].sum()
    for model, total in engine.items():
        assert totals[model] == pytest.approx(total)
    assert twelve_month_totals(scenario).to_dict() == pytest.approx(totals.to_dict())


# -- lifecycle: figures on the hand-written price file of tests/lifecycle_fixture.py ----------

from tests import lifecycle_fixture as fixture  # noqa: E402


@pytest.fixture
def cat(tmp_path):
    return fixture.catalog(tmp_path)


def test_default_models_follow_the_table(cat):
    # nano is shut down: its successor gpt-9-nano joins; the cheapest OpenAI model for the
    # default workload is gpt-8-mini ($19.50) but it shuts down in 9 days, so gpt-9-pico ($30).
    assert default_models(fixture.DAY, cat) == (
        "gpt-4.1-mini",
        "gpt-4o-mini",
        "gpt-4.1-nano",
        "gpt-9-nano",
        "gpt-9-pico",
    )
    # Before the shutdown (and before the gpt-9 family) the three models are the view.
    assert default_models(dt.date(2026, 6, 1), cat) == DEFAULT_MODELS
    decoded = compare.decode("date=2026-12-01", cat)
    assert decoded.scenario.baseline == "gpt-4.1-mini" and not decoded.warnings


def test_a_shut_down_model_is_never_the_default_baseline(cat):
    scenario = compare.decode("models=gpt-4.1-nano,gpt-4o-mini&date=2026-12-01", cat).scenario
    assert scenario.baseline == "gpt-4o-mini"
    # ... but the same link pinned before the shutdown keeps nano, live then.
    assert compare.decode(
        "models=gpt-4.1-nano,gpt-4o-mini&date=2026-06-01", cat
    ).scenario.baseline == ("gpt-4.1-nano")
    # A baseline the link names is kept: the user picked it.
    named = compare.decode("models=gpt-4.1-nano,gpt-4o-mini&base=gpt-4.1-nano&date=2026-12-01", cat)
    assert named.scenario.baseline == "gpt-4.1-nano" and not named.warnings


def test_a_shut_down_model_is_never_cheapest_nor_a_savings_basis(cat):
    scenario = compare.decode("date=2026-12-01", cat).scenario
    comparison = report.compare(scenario, cat)
    table = comparison.table.set_index("model")
    # gpt-4.1-nano: 150M x 0.10 + 30M x 0.40 = $27.00, shown at its last list price but not
    # cheapest; gpt-9-pico: 150M x 0.12 + 30M x 0.40 = $30.00 is.
    assert table.loc["gpt-4.1-nano", "total_cost"] == pytest.approx(27.0)
    assert (comparison.cheapest, comparison.cheapest_cost) == ("gpt-9-pico", pytest.approx(30.0))
    assert comparison.savings_usd == pytest.approx(108.0 - 30.0)
    assert comparison.savings_pct == pytest.approx(78 / 108 * 100)
    assert np.isnan(table.loc["gpt-4.1-nano", "difference_usd"])
    assert table.loc["gpt-9-nano", "difference_usd"] == pytest.approx(54.0 - 108.0)
    assert table.loc["gpt-4.1-nano", "availability"] == "shut down on 2026-10-23 (last list price)"
    assert table.loc["gpt-4.1-nano", "replacement"] == "gpt-9-nano"
    notices = {n.model: n for n in comparison.notices()}
    assert notices["gpt-4.1-nano"].text == (
        "gpt-4.1-nano shut down on 2026-10-23; last list price shown; successor gpt-9-nano"
    )
    assert notices["gpt-9-pico"].promotional and notices["gpt-9-pico"].status == "available"

    # A shut-down baseline the user picked: shown, but nothing is measured against it.
    picked = report.compare(scenario.with_values(baseline="gpt-4.1-nano"), cat)
    assert picked.baseline_cost == pytest.approx(27.0)
    assert not picked.baseline_selectable and np.isnan(picked.savings_usd)
    assert picked.table["difference_usd"].isna().all()
    assert not picked.baseline_is_cheapest


def test_comparison_csv_says_the_status_and_the_reason(cat):
    scenario = compare.decode("date=2026-12-01", cat).scenario
    out = {r["model"]: r for r in rows(report_csv.comparison_csv(scenario, catalog=cat))}
    header = list(next(iter(out.values())))
    assert header[: len(report_csv.COMPARISON_COLUMNS)] == list(report_csv.COMPARISON_COLUMNS)
    nano = out["gpt-4.1-nano"]
    assert (nano["status"], nano["selectable"], nano["successor"]) == (
        "shut_down",
        "false",
        "gpt-9-nano",
    )
    assert (
        nano["status_reason"]
        == "shut down on 2026-10-23; last list price shown; successor gpt-9-nano"
    )
    assert nano["total_cost_usd_per_month"] == "27.0"
    assert nano["difference_vs_baseline_usd_per_month"] == ""  # never a savings basis
    assert nano["cheapest"] == "false" and out["gpt-9-pico"]["cheapest"] == "true"
    assert out["gpt-4.1-mini"]["status"] == "available"
    assert out["gpt-4.1-mini"]["successor"] == ""


def test_projection_uses_each_months_prices_and_stops_at_a_shutdown(cat):
    # 100,000 requests of 1,500 in / 300 out, no growth, from 2026-12-01 for 4 months:
    # gpt-9-nano $54.00 in months 1-2 (2026-12-01, 2027-01-01); its announced doubling from
    # 2027-02-01 makes months 3-4 $108.00. gpt-8-mini ($19.50) shuts down on 2026-12-10:
    # month 1 is priced (as of 2026-12-01), month 2 on (2027-01-01) has no figures.
    scenario = compare.decode("models=gpt-9-nano,gpt-8-mini&months=4&date=2026-12-01", cat).scenario
    months = monthly_projection(scenario, cat)
    nano = months[months["model"] == "gpt-9-nano"]
    assert nano["prices_as_of"].tolist() == [
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
    ]
    assert nano["total_cost"].tolist() == pytest.approx([54.0, 54.0, 108.0, 108.0])
    assert nano["cumulative_cost"].iloc[-1] == pytest.approx(324.0)
    mini = months[months["model"] == "gpt-8-mini"]
    assert mini["total_cost"].iloc[0] == pytest.approx(19.5)
    assert mini["total_cost"].iloc[1:].isna().all()
    assert mini["available"].tolist() == [True, False, False, False]
    assert mini["note"].iloc[1] == "shut down on 2026-12-10: no figures from this month"
    # 12 months of gpt-9-nano: 2 x 54 + 10 x 108 = 1,188; gpt-8-mini has no 12-month total.
    totals = twelve_month_totals(scenario, cat)
    assert totals["gpt-9-nano"] == pytest.approx(1188.0)
    assert np.isnan(totals["gpt-8-mini"])
    assert [e.text for e in horizon_events(scenario, cat)] == [
        "gpt-8-mini shuts down on 2026-12-10, in 9 days: no figures from month 2",
        "gpt-9-nano's list prices change on 2027-02-01 (from month 3): Input $0.20 → $0.40, "
        "Cached input $0.02 → $0.04, Output $0.80 → $1.60",
    ]
    csv_rows = rows(report_csv.projection_csv(scenario, catalog=cat))
    assert [r["prices_as_of"] for r in csv_rows[:2]] == ["2026-12-01", "2026-12-01"]
    stopped = next(r for r in csv_rows if r["model"] == "gpt-8-mini" and r["month"] == "2")
    assert stopped["total_cost_usd_per_month"] == "" and stopped["status"] == "shut_down"
    assert stopped["note"] == "shut down on 2026-12-10: no figures from this month"


def test_swap_replaces_in_place_and_moves_the_baseline(cat):
    day = fixture.DAY
    models = ["gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o-mini"]
    assert report.swap_models(models, "gpt-4.1-nano", "gpt-4.1-nano", "gpt-9-nano", day, cat) == (
        ["gpt-4.1-mini", "gpt-9-nano", "gpt-4o-mini"],
        "gpt-9-nano",
    )
    # The successor already chosen: the shut-down model is only removed.
    with_successor = [*models, "gpt-9-nano"]
    assert report.swap_models(
        with_successor, "gpt-4.1-mini", "gpt-4.1-nano", "gpt-9-nano", day, cat
    ) == (
        ["gpt-4.1-mini", "gpt-9-nano", "gpt-4o-mini"],
        "gpt-4.1-mini",
    )
    # Removed (no successor): a baseline that was it becomes the first selectable left.
    assert report.swap_models(models, "gpt-4.1-nano", "gpt-4.1-nano", None, day, cat) == (
        ["gpt-4.1-mini", "gpt-4o-mini"],
        "gpt-4.1-mini",
    )


def test_a_link_pinned_before_the_shutdown_shows_the_model_live(cat):
    scenario = compare.decode("models=gpt-4.1-mini,gpt-4.1-nano&date=2026-06-01", cat).scenario
    comparison = report.compare(scenario, cat)
    assert comparison.cheapest == "gpt-4.1-nano"  # live on 2026-06-01: $27.00
    assert comparison.standings["gpt-4.1-nano"].status == "shuts_down"
    assert comparison.standings["gpt-4.1-nano"].replacement is None  # gpt-9-nano not out yet
    assert report.lifecycle_changes_since(scenario, fixture.DAY, cat) == [
        "gpt-4.1-nano has shut down since, on 2026-10-23 (successor gpt-9-nano)"
    ]


def test_shipped_gpt_4_is_marked_in_the_csv():
    # gpt-4 shut down on 2026-10-23 in the shipped table: 1,000 requests of 1,000 in / 1,000
    # out = 1M x $30 + 1M x $60 = $90.00 at its last list price; not selectable.
    scenario = compare.decode(
        "req=1000&in=1000&out=1000&models=gpt-4,gpt-4o-mini&date=2026-12-01"
    ).scenario
    assert scenario.baseline == "gpt-4o-mini"
    row = rows(report_csv.comparison_csv(scenario))[0]
    assert row["model"] == "gpt-4" and row["status"] == "shut_down" and row["selectable"] == "false"
    assert float(row["total_cost_usd_per_month"]) == pytest.approx(90.0)
    assert row["status_reason"].startswith("shut down on 2026-10-23; last list price shown")
    assert row["difference_vs_baseline_usd_per_month"] == "" and row["cheapest"] == "false"
