"""The portfolio on both backends: worked by hand ($1.76 a month), equal to the sum of each
scenario's own projection month by month (growth, dated prices and shutdowns included), the
first month over budget, the switches, the CSV through the one writer, and its link."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import numpy as np
import pytest

from scenarios.links import compare as compare_link
from scenarios.projection import monthly_projection
from scenarios.workspace import link as portfolio_link
from scenarios.workspace import portfolio

DAY = dt.date(2026, 12, 6)
MINI = "?v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini&base=gpt-4.1-mini&date=2026-12-06"
FOUR_O = "?v=1&req=2000&in=2000&out=500&models=gpt-4o-mini&base=gpt-4o-mini&date=2026-12-06"


def own_projection(link: str, start: dt.date, months: int, model: str) -> np.ndarray:
    scenario = compare_link.decode(link).scenario
    scenario = dataclasses.replace(scenario, as_of=start, months=months)
    frame = monthly_projection(scenario)
    return frame.loc[frame["model"] == model, "total_cost"].to_numpy(dtype="float64")


def test_two_saved_scenarios_cost_1_76_a_month_worked_by_hand(store):
    # gpt-4.1-mini $0.40 / $1.60 per 1M: 1,000 x (1,000 x 0.40 + 100 x 1.60) / 1e6 = $0.56
    # gpt-4o-mini $0.15 / $0.60 per 1M: 2,000 x (2,000 x 0.15 + 500 x 0.60) / 1e6 = $1.20
    store.add(MINI, "Mini")
    store.add(FOUR_O, "Four-o")
    folio = portfolio.price(store.list(), start=DAY, months=1, budget=500)
    assert folio.totals["total_cost"].tolist() == [pytest.approx(1.76, abs=1e-12)]
    by = folio.workloads.set_index("scenario")["total_cost"]
    assert by["Mini"] == pytest.approx(0.56, abs=1e-12)
    assert by["Four-o"] == pytest.approx(1.20, abs=1e-12)
    assert folio.first_over is None
    shares = folio.shares().set_index("scenario")["share"]
    assert shares["Mini"] == pytest.approx(0.56 / 1.76)


def test_the_months_are_the_sum_of_each_scenarios_own_projection(store):
    grown = MINI.replace("req=1000", "req=40000") + "&growth=25"
    nano = "?v=1&req=50000&models=gpt-4.1-nano,gpt-4o-mini&base=gpt-4.1-nano&date=2026-06-01"
    store.add(grown, "Grown")
    store.add(FOUR_O, "Four-o")
    store.add(nano, "Nano")
    start = dt.date(2026, 7, 1)  # gpt-4.1-nano shuts down on 2026-10-23, inside 12 months
    folio = portfolio.price(store.list(), start=start, months=12, budget=100)
    parts = {
        "Grown": own_projection(grown, start, 12, "gpt-4.1-mini"),
        "Four-o": own_projection(FOUR_O, start, 12, "gpt-4o-mini"),
        "Nano": own_projection(nano, start, 12, "gpt-4.1-nano"),
    }
    for name, expected in parts.items():
        mine = folio.workloads.loc[folio.workloads["scenario"] == name, "total_cost"]
        np.testing.assert_array_equal(mine.to_numpy(dtype="float64"), expected)
    summed = np.nansum(np.vstack(list(parts.values())), axis=0)
    np.testing.assert_array_equal(folio.totals["total_cost"].to_numpy(dtype="float64"), summed)
    assert np.isnan(parts["Nano"][-1])  # shut down: no figures, and the month says so
    assert not folio.totals["complete"].iloc[-1]
    assert folio.totals["missing"].iloc[-1] == "Nano"
    over = next(k + 1 for k, total in enumerate(summed) if total > 100)
    assert folio.first_over == (over, folio.totals["prices_as_of"].iloc[over - 1])


def test_switching_to_the_cheapest_and_the_successor(store):
    both = MINI.replace("models=gpt-4.1-mini", "models=gpt-4.1-mini,gpt-4o-mini")
    nano = "?v=1&req=1000&models=gpt-4.1-nano&base=gpt-4.1-nano&date=2026-06-01"
    store.add(both, "Both")
    store.add(nano, "Nano")
    folio = portfolio.price(store.list(), start=DAY, months=12, budget=0)
    switch = folio.switches.set_index("scenario")
    # gpt-4o-mini: 1,000 x (1,000 x 0.15 + 100 x 0.60) / 1e6 = $0.21 a month against $0.56
    assert switch.loc["Both", "cheapest_model"] == "gpt-4o-mini"
    assert switch.loc["Both", "cheapest_saving"] == pytest.approx(12 * (0.56 - 0.21))
    assert switch.loc["Nano", "successor_model"] == "gpt-5.6-luna"
    assert np.isnan(switch.loc["Nano", "successor_saving"])  # nothing to save against a dead model
    assert switch.loc["Nano", "successor_cost"] > 0
    assert "no figures from month 1" in switch.loc["Nano", "note"]
    assert folio.notices == (
        "Nano: gpt-4.1-nano: shut down on 2026-10-23; last list price shown; successor "
        "gpt-5.6-luna",
    )


def test_the_csv_has_the_same_figures_and_neutralises_formulas(store):
    store.add(MINI, '=HYPERLINK("http://x")', team="@team")
    store.add(FOUR_O, "Four-o", team="@team")
    folio = portfolio.price(store.list(team="@team"), start=DAY, months=2, budget=1.5)
    view = portfolio_link.View("@team", 1.5, 2, DAY, ())
    text = portfolio.report_csv(folio, {}, portfolio_link.url(view)).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    assert rows[0]["scenario_name"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["team"] == "'@team"
    assert [float(r["portfolio_total_usd_per_month"]) for r in rows] == [1.76] * 4
    assert {r["first_month_over_budget"] for r in rows} == {"1"}
    assert sum(float(r["cost_usd_per_month"]) for r in rows if r["month"] == "1") == 1.76


def test_the_portfolio_link_round_trips_and_names_bad_values():
    view = portfolio_link.View("search, infra", 750.5, 24, DAY, ("Bot, v2", "Search & more"))
    assert portfolio_link.decode(portfolio_link.encode(view)).view == view
    assert portfolio_link.decode(portfolio_link.url(view, "http://h")).view == view
    decoded = portfolio_link.decode("?budget=-5&months=999&date=someday&junk=1")
    assert decoded.view == portfolio_link.View()
    assert [w.split(":")[0] for w in decoded.warnings] == ["budget", "months", "date", "'junk'"]
