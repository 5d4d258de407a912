"""Saved scenarios priced together, month by month, against one monthly budget. Pure: saved
scenarios in, DataFrames out.

Each workload runs on its scenario's baseline model (a routed scenario: on its mix) from the
portfolio's first month (``start``, a required date): the scenario's own month-by-month
projection (``scenarios.projection.monthly_projection``; a session scenario's
``session_report.session_months``), under its own growth and each month's list prices,
shutdowns and scheduled price changes included. Nothing is priced here: the portfolio's month
is the sum of its workloads' months as those functions give them. A workload whose model has
no figures in a month (shut down) adds nothing that month, and the month says so
(``complete`` False, ``missing``).

What switching would save: each workload's cost over the horizon against the cheapest of its
scenario's models (one with figures in every month; the workload's own when none is cheaper,
a saving of 0) and against its model's successor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, load_catalog
from scenarios import projection, session_report
from scenarios.export import to_csv
from scenarios.scenario import Scenario
from scenarios.workspace import link as portfolio_link
from scenarios.workspace.store import Saved


def runs_on(scenario: Scenario) -> str:
    """The model a workload runs on: the routed mix's label, else the baseline."""
    route = scenario.routing()
    return route.label if route is not None else scenario.baseline


def scenario_months(scenario: Scenario, catalog: Catalog | None = None) -> pd.DataFrame:
    """The scenario's own month-by-month projection, one row per (month, model)."""
    catalog = scenario.priced(catalog or load_catalog())
    if scenario.is_session:
        sessions = session_report.session_comparison(scenario, catalog)
        return session_report.session_months(scenario, sessions, catalog, scenario.months)
    return projection.monthly_projection(scenario, catalog)


def dated(scenario: Scenario, start: dt.date, months: int) -> Scenario:
    """The scenario from ``start`` over ``months`` months (its figures and models unchanged)."""
    return dataclasses.replace(scenario, as_of=start, months=months)


@dataclass(frozen=True)
class Portfolio:
    start: dt.date
    months: int
    budget: float
    """USD per month; 0: none."""
    names: tuple[str, ...]
    workloads: pd.DataFrame
    """One row per (month, workload): ``month``, ``prices_as_of``, ``scenario``, ``team``,
    ``model``, ``requests``, ``total_cost`` (NaN: no figures that month), ``available``,
    ``note``, ``share`` (of the month's total, 0..1)."""
    totals: pd.DataFrame
    """One row per month: ``month``, ``prices_as_of``, ``total_cost`` (the sum of the
    workloads' known figures), ``budget``, ``over_budget``, ``complete``, ``missing``."""
    switches: pd.DataFrame
    """One row per workload: ``scenario``, ``model``, ``horizon_cost``, ``cheapest_model``,
    ``cheapest_cost``, ``cheapest_saving``, ``successor_model``, ``successor_cost``,
    ``successor_saving`` (USD over the horizon; NaN where a figure is missing), ``note``."""
    notices: tuple[str, ...] = ()

    @property
    def first_over(self) -> tuple[int, dt.date] | None:
        """The first month (number, date) whose total is over the budget; None when none is."""
        over = self.totals[self.totals["over_budget"]]
        if over.empty:
            return None
        row = over.iloc[0]
        return int(row["month"]), row["prices_as_of"]

    @property
    def horizon_total(self) -> float:
        return float(self.totals["total_cost"].sum())

    def shares(self) -> pd.DataFrame:
        """Each workload's cost over the horizon and its share of the portfolio's."""
        by = self.workloads.groupby("scenario", sort=False)["total_cost"].sum(min_count=1)
        total = float(by.sum())
        return pd.DataFrame(
            {
                "scenario": by.index,
                "horizon_cost": by.to_numpy(),
                "share": by.to_numpy() / total if total else np.nan,
            }
        )


def price(
    saved: Sequence[Saved],
    *,
    start: dt.date,
    months: int = portfolio_link.DEFAULT_MONTHS,
    budget: float = portfolio_link.DEFAULT_BUDGET,
    catalog: Catalog | None = None,
) -> Portfolio:
    """The portfolio of ``saved`` from ``start`` over ``months`` months against ``budget``."""
    if not 1 <= months <= portfolio_link.MAX_MONTHS:
        raise ValueError(f"months: 1 to {portfolio_link.MAX_MONTHS} ({months})")
    catalog = catalog or load_catalog()
    frames, switches, notices = [], [], []
    for item in saved:
        opened = item.open(catalog, today=start)
        notices.extend(f"{item.name}: {n}" for n in opened.notices)
        scenario = dated(opened.scenario, start, months)
        model = runs_on(scenario)
        priced = scenario.priced(catalog)
        successor = None
        if scenario.routing() is None:
            try:
                successor = priced.model(model).successor
            except ValueError:
                successor = None
        wider = scenario
        if successor and successor not in scenario.models:
            wider = dataclasses.replace(scenario, models=(*scenario.models, successor))
        months_frame = scenario_months(wider, catalog)
        mine = _rows_of(months_frame, model)
        frames.append(
            pd.DataFrame(
                {
                    "month": mine["month"].to_numpy(dtype=int),
                    "prices_as_of": mine["prices_as_of"].to_numpy(),
                    "scenario": item.name,
                    "team": item.team,
                    "model": model,
                    "requests": _volume(mine),
                    "total_cost": mine["total_cost"].to_numpy(dtype="float64"),
                    "available": mine["available"].to_numpy(dtype=bool),
                    "note": mine["note"].fillna("").astype(str).to_numpy(),
                }
            )
        )
        switches.append(_switch(item.name, model, scenario, successor, months_frame, months))
    workloads = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(
            columns=[
                "month",
                "prices_as_of",
                "scenario",
                "team",
                "model",
                "requests",
                "total_cost",
                "available",
                "note",
            ]
        )
    )
    totals = _totals(workloads, start, months, budget)
    month_total = workloads["month"].map(
        dict(zip(totals["month"], totals["total_cost"], strict=True))
    )
    workloads["share"] = np.where(
        month_total.to_numpy(dtype="float64") > 0,
        workloads["total_cost"].to_numpy(dtype="float64") / month_total.to_numpy(dtype="float64"),
        np.nan,
    )
    workloads = workloads.sort_values(["month"], kind="stable").reset_index(drop=True)
    return Portfolio(
        start=start,
        months=months,
        budget=float(budget),
        names=tuple(s.name for s in saved),
        workloads=workloads,
        totals=totals,
        switches=pd.DataFrame(switches, columns=SWITCH_COLUMNS),
        notices=tuple(notices),
    )


def _rows_of(frame: pd.DataFrame, model: str) -> pd.DataFrame:
    """The rows of the model (or the mix) the workload runs on, in month order."""
    if (
        "mix_role" in frame
        and (frame["mix_role"] == "mix").any()
        and model not in set(frame.loc[frame["mix_role"] != "mix", "model"])
    ):
        rows = frame[frame["mix_role"] == "mix"]
    else:
        rows = frame[(frame["model"] == model) & (frame.get("mix_role", "") != "mix")]
    return rows.sort_values("month", kind="stable").reset_index(drop=True)


def _volume(rows: pd.DataFrame) -> np.ndarray:
    column = "requests" if "requests" in rows else "sessions"
    return rows[column].to_numpy(dtype="float64")


def _totals(workloads: pd.DataFrame, start: dt.date, months: int, budget: float) -> pd.DataFrame:
    out = []
    for month in range(1, months + 1):
        rows = workloads[workloads["month"] == month]
        total = float(rows["total_cost"].sum(min_count=1)) if len(rows) else 0.0
        total = 0.0 if np.isnan(total) else total
        missing = rows.loc[~rows["available"].astype(bool), "scenario"].tolist()
        out.append(
            {
                "month": month,
                "prices_as_of": projection.add_months(start, month - 1),
                "total_cost": total,
                "budget": float(budget),
                "over_budget": bool(budget > 0 and total > budget),
                "complete": not missing,
                "missing": ", ".join(missing),
            }
        )
    return pd.DataFrame(out)


SWITCH_COLUMNS = (
    "scenario",
    "model",
    "horizon_cost",
    "cheapest_model",
    "cheapest_cost",
    "cheapest_saving",
    "successor_model",
    "successor_cost",
    "successor_saving",
    "note",
)


def _switch(
    name: str,
    model: str,
    scenario: Scenario,
    successor: str | None,
    frame: pd.DataFrame,
    months: int,
) -> dict:
    """What running the workload on its cheapest model, or its model's successor, would cost
    over the horizon, and save (the model's own cost when it has figures in every month)."""
    singles = frame[frame.get("mix_role", "") != "mix"] if "mix_role" in frame else frame
    horizon = singles.groupby("model", sort=False)["total_cost"].sum(min_count=months)
    mine = _rows_of(frame, model)["total_cost"]
    own = float(mine.sum(min_count=months)) if len(mine) == months else float("nan")
    candidates = {
        m: float(horizon[m]) for m in scenario.models if m in horizon and not np.isnan(horizon[m])
    }
    if model in candidates and np.isnan(own):
        del candidates[model]
    cheapest = min(candidates, key=candidates.get) if candidates else ""
    notes = []
    if np.isnan(own):
        missing = mine.isna().to_numpy().nonzero()[0]
        first = int(missing[0]) + 1 if len(missing) else 1
        notes.append(f"{model} has no figures from month {first}: no saving against it")
    successor_cost = float(horizon[successor]) if successor and successor in horizon else np.nan
    return {
        "scenario": name,
        "model": model,
        "horizon_cost": own,
        "cheapest_model": cheapest,
        "cheapest_cost": candidates.get(cheapest, np.nan),
        "cheapest_saving": own - candidates[cheapest] if cheapest else np.nan,
        "successor_model": successor or "",
        "successor_cost": successor_cost,
        "successor_saving": own - successor_cost if successor else np.nan,
        "note": "; ".join(notes),
    }


# -- the report -----------------------------------------------------------------------------------

CSV_DECIMALS = 10


def _number(value: object) -> object:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        return value
    number = float(value)
    if not np.isfinite(number):
        return None
    number = round(number, CSV_DECIMALS) + 0.0
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def report_frame(folio: Portfolio, links: dict[str, str], view_link: str) -> pd.DataFrame:
    """One row per (month, workload): the workload's figures, the month's total against the
    budget, the first month over it, and what switching the workload would save over the
    horizon; ``links`` maps a scenario to its Compare link, ``view_link`` is the portfolio's."""
    totals = folio.totals.set_index("month")
    switches = folio.switches.set_index("scenario")
    first = folio.first_over
    rows = []
    for row in folio.workloads.to_dict("records"):
        month = int(row["month"])
        switch = switches.loc[row["scenario"]]
        rows.append(
            {
                "month": month,
                "prices_as_of": row["prices_as_of"],
                "scenario_name": row["scenario"],
                "team": row["team"],
                "model": row["model"],
                "requests_per_month": row["requests"],
                "cost_usd_per_month": row["total_cost"],
                "share_of_month_pct": row["share"] * 100,
                "available": bool(row["available"]),
                "note": row["note"],
                "portfolio_total_usd_per_month": totals.loc[month, "total_cost"],
                "monthly_budget_usd": folio.budget,
                "over_budget": bool(totals.loc[month, "over_budget"]),
                "first_month_over_budget": first[0] if first else None,
                "cheapest_model": switch["cheapest_model"],
                "saving_on_cheapest_usd_over_horizon": switch["cheapest_saving"],
                "successor_model": switch["successor_model"],
                "saving_on_successor_usd_over_horizon": switch["successor_saving"],
                "scenario_link": links.get(row["scenario"], ""),
                "portfolio_link": view_link,
            }
        )
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return frame.astype(object).map(_number) if len(frame) else frame


REPORT_COLUMNS = (
    "month",
    "prices_as_of",
    "scenario_name",
    "team",
    "model",
    "requests_per_month",
    "cost_usd_per_month",
    "share_of_month_pct",
    "available",
    "note",
    "portfolio_total_usd_per_month",
    "monthly_budget_usd",
    "over_budget",
    "first_month_over_budget",
    "cheapest_model",
    "saving_on_cheapest_usd_over_horizon",
    "successor_model",
    "saving_on_successor_usd_over_horizon",
    "scenario_link",
    "portfolio_link",
)


def report_csv(folio: Portfolio, links: dict[str, str], view_link: str) -> bytes:
    """The portfolio as UTF-8 CSV through the project's one writer (``export.to_csv``:
    formulas neutralised)."""
    return to_csv(report_frame(folio, links, view_link)).encode("utf-8")
