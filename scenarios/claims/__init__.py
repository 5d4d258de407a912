"""The source check: every checkable figure of the five source documents, evaluated against the
price table at the list prices of its document's date.

``schema`` (the claims file ``claims.toml`` beside it, and its loader), ``evaluate`` (a verdict
per claim, and what would make a failing figure hold: each kind checked in ``listed``,
``ratios`` or ``monthly``, on the engine's costs in ``costs``, into the record of ``verdict``),
``tables`` (the page's tables). The page (``app_pages/source_check.py``) and the CLI
(``tokenbudget claims``) use the names below.
"""

from scenarios.claims.costs import (
    TOKENS_PER_REQUEST,
    CostLine,
    cost_lines,
    scenario_costs,
    scenario_workload,
)
from scenarios.claims.evaluate import evaluate_all, evaluate_claim
from scenarios.claims.schema import (
    CLAIMS_FILE,
    DOCUMENT_PRESET_PREFIX,
    FAILS,
    HOLDS,
    UNCHECKABLE,
    VERDICTS,
    ClaimsDataError,
    ClaimsFile,
    ClaimSpec,
    ScenarioSpec,
    load_claims,
)
from scenarios.claims.tables import (
    REPORT_COLUMNS,
    ComparisonTable,
    claims_frame,
    compare_link,
    comparison_tables,
    cost_table_findings,
    scenario_chart_frame,
    scenarios_frame,
    verdict_counts,
)
from scenarios.claims.verdict import Evaluation

__all__ = [
    "CLAIMS_FILE",
    "DOCUMENT_PRESET_PREFIX",
    "FAILS",
    "HOLDS",
    "REPORT_COLUMNS",
    "TOKENS_PER_REQUEST",
    "UNCHECKABLE",
    "VERDICTS",
    "ClaimSpec",
    "ClaimsDataError",
    "ClaimsFile",
    "ComparisonTable",
    "CostLine",
    "Evaluation",
    "ScenarioSpec",
    "claims_frame",
    "compare_link",
    "comparison_tables",
    "cost_lines",
    "cost_table_findings",
    "evaluate_all",
    "evaluate_claim",
    "load_claims",
    "scenario_chart_frame",
    "scenario_costs",
    "scenario_workload",
    "scenarios_frame",
    "verdict_counts",
]
