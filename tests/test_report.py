"""CSV reports: columns with units, numbers as numbers, CSV-injection guard, CLI parity."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pricing import cli_support
from pricing.cost import monthly_cost, projection
from scenarios import links, report
from scenarios.budget import largest_prompt

ROOT = Path(__file__).resolve().parents[1]
QUERY = (
    "v=1&name=%3DSUM(A1)&req=200000&in=2400&out=350&cached=40&growth=5&months=3"
    "&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano&base=gpt-4.1-mini&date=2025-06-01"
)


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_comparison_csv_matches_the_engine():
    scenario = links.decode(QUERY).scenario
    out = rows(report.comparison_csv(scenario, "http://h:1"))
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
        assert row["share_link"] == "http://h:1/?" + links.encode(scenario)
        assert float(row["output_tokens_per_month"]) == pytest.approx(200000 * 350)
    assert out[0]["difference_vs_baseline_pct"] == "0.0"


def test_headers_carry_units_and_numbers_are_numbers():
    scenario = links.decode(QUERY).scenario
    header = report.comparison_csv(scenario).decode().splitlines()[0].split(",")
    assert "total_cost_usd_per_month" in header and "output_tokens_per_month" in header
    first = rows(report.comparison_csv(scenario))[0]
    float(first["requests_per_month"])  # numbers are plain numbers, no $ or separators
    assert "$" not in first["total_cost_usd_per_month"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralised(text):
    assert cli_support.neutralise(text) == "'" + text
    assert cli_support.neutralise("plain") == "plain"
    assert cli_support.neutralise(-1.5) == -1.5


def test_scenario_name_from_the_url_is_neutralised():
    out = rows(report.comparison_csv(links.decode(QUERY).scenario))
    assert out[0]["scenario_name"] == "'=SUM(A1)"


def test_projection_csv_has_a_row_per_month_and_model():
    scenario = links.decode(QUERY).scenario
    out = rows(report.projection_csv(scenario))
    assert len(out) == 3 * 3
    engine = projection(scenario.workload(), 3, 0.05, list(scenario.models), scenario.as_of)
    assert [float(r["total_cost_usd_per_month"]) for r in out] == pytest.approx(
        engine["total_cost"].tolist()
    )
    assert "cumulative_cost_usd" in out[0]


def test_cli_link_prints_the_same_bytes():
    url = "http://127.0.0.1:8501/?" + QUERY
    cli = subprocess.run(
        [sys.executable, "-m", "scenarios", "cost", "--link", url, "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    assert cli.stdout == report.comparison_csv(links.decode(QUERY).scenario, links.base_of(url))


def test_cli_link_warns_on_stderr_and_rejects_mixed_flags():
    cli = subprocess.run(
        [sys.executable, "-m", "scenarios", "cost", "--link", "./?req=x", "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0 and "link parameter req:" in cli.stderr
    mixed = subprocess.run(
        [sys.executable, "-m", "scenarios", "cost", "--link", "./?v=1", "--requests", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert mixed.returncode == 2 and "--link: cannot be combined with --requests" in mixed.stderr


def test_largest_prompt_fits_the_budget_exactly():
    scenario = links.decode(QUERY).scenario
    fits = largest_prompt(300.0, scenario.workload(), ["gpt-4.1-mini", "gpt-4.1-nano"])
    for row in fits.itertuples():
        tokens = row.largest_input_tokens
        at = monthly_cost(
            scenario.workload().__class__(
                **{**scenario.workload().__dict__, "input_tokens": tokens}
            ),
            [row.model],
        )["total_cost"].iloc[0]
        above = monthly_cost(
            scenario.workload().__class__(
                **{**scenario.workload().__dict__, "input_tokens": tokens + 1}
            ),
            [row.model],
        )["total_cost"].iloc[0]
        assert row.limited_by == "budget"
        assert at <= 300.0 < above


def test_csv_has_no_binary_noise_and_counts_are_integers():
    # 0.24 x 4 = 0.9600000000000001 in binary floats; the CSV writes 0.96.
    scenario = links.decode(
        "req=1000&in=2400&out=350&rsn=0&cached=40&batch=30&models=gpt-4.1-mini,gpt-4o-mini"
        "&date=2025-06-01"
    ).scenario
    for data in (report.comparison_csv(scenario), report.projection_csv(scenario)):
        for row in rows(data):
            for header, cell in row.items():
                assert not re.search(r"\d\.\d*0000000\d", cell), (header, cell)
                assert not re.search(r"\d\.\d*9999999\d", cell), (header, cell)
                if header.endswith(("_tokens_per_month", "_tokens_per_request")) or header in (
                    "month",
                    "requests_per_month",
                ):
                    assert re.fullmatch(r"-?\d+", cell), (header, cell)
    assert report._clean_number(0.24 * 4, count=False) == 0.96
    assert report._clean_number(2.0, count=True) == 2 and isinstance(
        report._clean_number(2.0, count=True), int
    )
    assert report._clean_number(1234.5, count=True) == 1234.5


def test_both_csvs_carry_the_absolute_link_when_the_base_is_known():
    scenario = links.decode(QUERY).scenario
    for data in (
        report.comparison_csv(scenario, "http://h:1"),
        report.projection_csv(scenario, "http://h:1"),
    ):
        assert {r["share_link"] for r in rows(data)} == {"http://h:1/?" + links.encode(scenario)}


@pytest.mark.parametrize("growth", [0, 5, -50, 200])
def test_twelve_month_total_equals_the_projection_sum(growth):
    scenario = links.decode(QUERY.replace("growth=5", f"growth={growth}")).scenario
    totals = report.compare(scenario).table.set_index("model")["total_cost_12_months"]
    engine = projection(
        scenario.workload(), 12, scenario.growth, list(scenario.models), scenario.as_of
    )
    engine = engine[engine["month"] <= 12].groupby("model")["total_cost"].sum()
    for model, total in engine.items():
        assert totals[model] == pytest.approx(total)
    assert report.twelve_month_totals(scenario).to_dict() == pytest.approx(totals.to_dict())
