"""The source check: every checkable figure of the five source documents, evaluated against the
price table at the list prices of its document's date.

``schema`` (the claims file ``claims.toml`` beside it, and its loader), ``evaluate`` (a verdict
per claim, and what would make a failing figure hold), ``tables`` (the page's tables). The page
(``app_pages/source_check.py``) and the CLI (``tokenbudget claims``) use the names below.
"""

from scenarios.claims.evaluate import (
    TOKENS_PER_REQUEST,
    Evaluation,
    evaluate_all,
    evaluate_claim,
    scenario_costs,
    scenario_workload,
    split_costs,
)
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
    ComparisonTable,
    claims_frame,
    compare_link,
    comparison_tables,
    cost_table_findings,
    scenario_chart_frame,
    scenarios_frame,
    verdict_counts,
)

__all__ = [
    "CLAIMS_FILE",
    "DOCUMENT_PRESET_PREFIX",
    "FAILS",
    "HOLDS",
    "TOKENS_PER_REQUEST",
    "UNCHECKABLE",
    "VERDICTS",
    "ClaimSpec",
    "ClaimsDataError",
    "ClaimsFile",
    "ComparisonTable",
    "Evaluation",
    "ScenarioSpec",
    "claims_frame",
    "compare_link",
    "comparison_tables",
    "cost_table_findings",
    "evaluate_all",
    "evaluate_claim",
    "load_claims",
    "scenario_chart_frame",
    "scenario_costs",
    "scenario_workload",
    "scenarios_frame",
    "split_costs",
    "verdict_counts",
]
