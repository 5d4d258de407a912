"""The source check's tables for the page: claims as rows, the documents' tables beside their
recomputed twins, the cost-scenario chart, the scenarios table and the findings in sentences.
Pure: no streamlit; every figure comes from ``scenarios.claims.evaluate`` and its
``costs``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pricing.catalog import Catalog, UnknownModelError, load_catalog
from scenarios.claims.costs import scenario_costs, scenario_workload
from scenarios.claims.evaluate import evaluate_all
from scenarios.claims.schema import VERDICTS, ClaimsFile, ClaimSpec, ScenarioSpec, load_claims
from scenarios.claims.verdict import Evaluation
from scenarios.formatting import money, split_text, times
from scenarios.links.compare import compare_url

REPORT_COLUMNS = [
    "id",
    "source",
    "document",
    "as_of",
    "kind",
    "claim",
    "claimed",
    "computed",
    "unit",
    "verdict",
    "note",
    "claimed_value",
    "computed_value",
    "low",
    "high",
    "input_share",
    "expected_verdict",
]


def claims_frame(evaluations: Sequence[Evaluation] | None = None) -> pd.DataFrame:
    """One row per claim (``REPORT_COLUMNS`` plus model/scenario/table placement)."""
    evaluations = evaluate_all() if evaluations is None else evaluations
    rows = [e.__dict__ for e in evaluations]
    columns = [*REPORT_COLUMNS, "model", "other", "scenario", "table", "row", "column"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("claimed_value", "computed_value", "low", "high", "input_share"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def verdict_counts(evaluations: Sequence[Evaluation]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for e in evaluations:
        counts[e.verdict] += 1
    return counts


@dataclass(frozen=True)
class ComparisonTable:
    """One of the documents' tables beside its recomputed twin."""

    id: str
    source: str
    title: str
    as_of: dt.date
    document: pd.DataFrame
    """Rows and columns as in the document, cells as it prints them."""
    recomputed: pd.DataFrame
    """The same cells recomputed at list prices as of ``as_of``."""
    verdicts: pd.DataFrame
    """The same cells' verdicts."""


def comparison_tables(
    evaluations: Sequence[Evaluation] | None = None, claims: ClaimsFile | None = None
) -> list[ComparisonTable]:
    """Each document table (claims with ``table``), as printed and as recomputed."""
    claims = claims or load_claims()
    evaluations = evaluate_all(claims) if evaluations is None else evaluations
    tables = []
    for spec in claims.tables:
        cells = [e for e in evaluations if e.table == spec.id]
        if not cells:
            continue
        rows = list(dict.fromkeys(e.row for e in cells))
        columns = list(dict.fromkeys(e.column for e in cells))

        def grid(attribute: str, cells=cells, rows=rows, columns=columns) -> pd.DataFrame:
            frame = pd.DataFrame("", index=pd.Index(rows, name="row"), columns=columns)
            for e in cells:
                frame.at[e.row, e.column] = getattr(e, attribute)
            return frame.reset_index()

        tables.append(
            ComparisonTable(
                id=spec.id,
                source=spec.source,
                title=spec.title,
                as_of=claims.document(spec.source).date,
                document=grid("claimed"),
                recomputed=grid("computed"),
                verdicts=grid("verdict"),
            )
        )
    return tables


CHART_COLUMNS = [
    "scenario",
    "scenario_id",
    "model",
    "series",
    "cost",
    "low",
    "high",
    "input_share",
    "available",
    "reason",
]


def scenario_chart_frame(
    claims: ClaimsFile | None = None,
    catalog: Catalog | None = None,
    table: str = "cost-scenarios",
) -> pd.DataFrame:
    """Monthly cost per scenario and model, as the document prints it and as recomputed.

    One row per (scenario, model, series): ``scenario`` (title), ``scenario_id``, ``model``,
    ``series`` ("document" or "recomputed"), ``cost`` (USD/month), ``low``/``high`` (the
    recomputed range over all splits; NaN for the document's figure), ``input_share``, and
    ``available`` / ``reason``: a model the price table cannot price on the document's date
    (unknown, not released yet) keeps its document row but its recomputed row has NaN costs,
    ``available`` False and the reason, for the page to say rather than plot.
    """
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    rows = []
    for claim in claims.claims:
        if claim.table != table or claim.kind != "monthly_cost" or claim.scenario is None:
            continue
        scenario = claims.scenario(claim.scenario)
        as_of = claims.document(claim.source).date
        base = {
            "scenario": scenario.title,
            "scenario_id": scenario.id,
            "model": claim.model,
            "input_share": scenario.input_share,
        }
        try:
            costs = scenario_costs(scenario, [claim.model], as_of, catalog).iloc[0].to_dict()
        except UnknownModelError:
            costs = {
                "model": claim.model,
                "available": False,
                "reason": f"{claim.model}: not in the price table",
            }
        nan = float("nan")
        base["model"] = costs["model"]
        rows.append(
            {**base, "series": "document", "cost": claim.claimed, "low": nan, "high": nan}
            | {"available": True, "reason": ""}
        )
        rows.append(
            {
                **base,
                "series": "recomputed",
                "cost": costs.get("cost", nan),
                "low": costs.get("low", nan),
                "high": costs.get("high", nan),
                "available": bool(costs["available"]),
                "reason": costs["reason"],
            }
        )
    frame = pd.DataFrame(rows, columns=CHART_COLUMNS)
    for column in ("cost", "low", "high", "input_share"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["available"] = frame["available"].astype(bool)
    return frame


def compare_link(scenario: ScenarioSpec, as_of: dt.date, base: str = "") -> str:
    """A link opening the scenario in Compare, filled as its document preset fills it."""
    workload = scenario_workload(scenario)
    values = {
        "requests": round(workload.requests),
        "input_tokens": round(workload.input_tokens),
        "output_tokens": round(workload.output_tokens),
        "name": scenario.preset_title,
        "preset": scenario.preset_id,
    }
    return compare_url(values, list(scenario.models), as_of, base)


SCENARIO_COLUMNS = [
    "scenario_id",
    "scenario",
    "document",
    "tokens_per_month",
    "split",
    "as_of",
    "model",
    "cost",
    "all_input",
    "all_output",
    "available",
    "reason",
    "compare_link",
]


def scenarios_frame(
    claims: ClaimsFile | None = None, catalog: Catalog | None = None, base: str = ""
) -> pd.DataFrame:
    """Every document scenario on each of its models at list prices as of its document's date.

    One row per (scenario, model): ``scenario`` (title), ``document`` (its label),
    ``tokens_per_month``, ``split`` (text), ``as_of``, ``model``, ``cost`` (USD/month at the
    scenario's split), ``all_input`` / ``all_output`` (USD/month at the ends of the split),
    ``available`` / ``reason`` (why a model has no figure), ``compare_link`` (opens the
    scenario in Compare).
    """
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    rows = []
    for scenario in claims.scenarios:
        document = claims.document(scenario.source)
        costs = scenario_costs(scenario, as_of=document.date, catalog=catalog)
        link = compare_link(scenario, document.date, base)
        for item in costs.to_dict("records"):
            rows.append(
                {
                    "scenario_id": scenario.id,
                    "scenario": scenario.title,
                    "document": document.label,
                    "tokens_per_month": scenario.total_tokens,
                    "split": split_text(scenario.input_share),
                    "as_of": document.date,
                    **{k: item[k] for k in ("model", "cost", "all_input", "all_output")},
                    "available": bool(item["available"]),
                    "reason": item["reason"],
                    "compare_link": link,
                }
            )
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)


def cost_table_findings(
    claims: ClaimsFile | None = None,
    catalog: Catalog | None = None,
    table: str = "cost-scenarios",
) -> list[str]:
    """What the recomputation says about a document's cost table, in sentences (markdown).

    For each pair of models the table compares: how many times the second costs the first over
    every split (and whether the table's savings then run the other way), and the table's
    monthly figures no split at list prices can produce, with the reachable bound.
    """
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    cells = [c for c in claims.claims if c.table == table and c.scenario is not None]
    return [*_pair_findings(cells, claims, catalog), *_unreachable_findings(cells, claims, catalog)]


def _pair_findings(cells: list[ClaimSpec], claims: ClaimsFile, catalog: Catalog) -> list[str]:
    """How many times the second model of each compared pair costs the first, over all splits."""
    found: list[str] = []
    pairs = dict.fromkeys(
        (c.model, c.other, c.scenario) for c in cells if c.kind == "savings" and c.other
    )
    done: set[tuple[str, str]] = set()
    for saver, other, scenario_id in pairs:
        if (saver, other) in done:
            continue
        done.add((saver, other))
        scenario = claims.scenario(scenario_id or "")
        as_of = claims.document(scenario.source).date
        try:
            costs = scenario_costs(scenario, [saver, other], as_of, catalog).set_index("model")
        except UnknownModelError as exc:
            found.append(f"The table's models cannot all be priced: {exc}.")
            continue
        if not costs["available"].all():
            found.append(" ".join(costs.loc[~costs["available"], "reason"]) + ".")
            continue
        a, b = catalog.resolve(saver), catalog.resolve(other)
        ends = [costs.at[a, col] / costs.at[b, col] for col in ("all_input", "all_output")]
        lo, hi = sorted(ends)
        multiple = (
            f"**{times(hi)}**"
            if abs(hi - lo) < 1e-9 * hi
            else f"**{times(lo)}** to **{times(hi)}**"
        )
        where = "at every split" if abs(hi - lo) < 1e-9 * hi else "depending on the split"
        sentence = f"At list prices {a} costs {multiple} {b} {where}"
        if lo > 1:
            sentence += f", so the table's savings of {a} against {b} run the other way"
        found.append(sentence + ".")
    return found


def _unreachable_findings(
    cells: list[ClaimSpec], claims: ClaimsFile, catalog: Catalog
) -> list[str]:
    """The table's monthly figures no split at list prices produces, with the reachable bound."""
    found: list[str] = []
    unreachable: dict[str, list[tuple[float, float, str]]] = {}
    for claim in cells:
        if claim.kind != "monthly_cost" or claim.claimed is None:
            continue
        scenario = claims.scenario(claim.scenario or "")
        as_of = claims.document(scenario.source).date
        try:
            row = scenario_costs(scenario, [claim.model], as_of, catalog).iloc[0]
        except UnknownModelError:
            continue
        if not row["available"]:
            continue
        if claim.claimed > row["high"]:
            unreachable.setdefault(row["model"], []).append((claim.claimed, row["high"], "most"))
        elif claim.claimed < row["low"]:
            unreachable.setdefault(row["model"], []).append((claim.claimed, row["low"], "least"))
    for model, misses in unreachable.items():
        figures = ", ".join(
            f"{_figure(claimed)} (at {word} {money(bound)})" for claimed, bound, word in misses
        )
        found.append(
            f"No input/output split at list prices produces the table's {model} figures {figures}."
        )
    return found


def _figure(value: float) -> str:
    """A document's round dollar figure as it prints it: ``$150``."""
    return f"${value:,.0f}" if float(value).is_integer() else money(value)
