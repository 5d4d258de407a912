"""Check the source documents' figures against the price table.

``claims.toml`` lists every figure in the five source documents that a price table can check.
Each is evaluated at the list prices in effect on its document's date: the computed
figure, a verdict (holds within its tolerance / does not hold / cannot be checked) and, for a
figure that does not hold, what would make it hold: the input/output split or cached share it
needs, the tier or model whose price it matches, or that nothing at list prices produces it (with
the nearest possible figure).

Splits: ``input_share`` is the share of a workload's tokens that are input (1 = all input,
0 = all output). A cost is linear in the split, so its range over all splits is reached at the
ends: the minimum at all-input (for every model whose output costs more than its input) and the
maximum at all-output. Where a document does not say its split, the claim (or its scenario)
records the one assumed, and the range is reported alongside.

Each kind of claim is checked in its own module: ``listed`` (a price, a discount, a release
date), ``ratios`` (one model against another), ``monthly`` (a scenario's monthly cost or
saving), on the engine's costs (``costs``); ``verdict`` holds the record they fill in. This
module sends each claim to its check.

Pure: no streamlit. ``tables`` shapes these evaluations for the page
(``app_pages/source_check.py``); the CLI (``tokenbudget claims``) prints them.
"""

from __future__ import annotations

from pricing.catalog import Catalog, load_catalog
from scenarios.claims.listed import evaluate_discount, evaluate_price, evaluate_release
from scenarios.claims.monthly import evaluate_monthly_cost, evaluate_savings
from scenarios.claims.ratios import evaluate_ratio
from scenarios.claims.schema import UNCHECKABLE, ClaimsFile, ClaimSpec, load_claims
from scenarios.claims.verdict import Evaluation, Uncheckable, evaluation_fields, join


def evaluate_claim(
    claim: ClaimSpec, claims: ClaimsFile | None = None, catalog: Catalog | None = None
) -> Evaluation:
    """Check one claim at the list prices in effect on its document's date."""
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    as_of = claims.document(claim.source).date
    try:
        if claim.kind == "price":
            fields = evaluate_price(claim, as_of, catalog)
        elif claim.kind == "discount":
            fields = evaluate_discount(claim, as_of, catalog)
        elif claim.kind == "ratio":
            fields = evaluate_ratio(claim, as_of, catalog, claims)
        elif claim.kind == "monthly_cost":
            fields = evaluate_monthly_cost(claim, as_of, catalog, claims)
        elif claim.kind == "savings":
            fields = evaluate_savings(claim, as_of, catalog, claims)
        else:
            fields = evaluate_release(claim, as_of, catalog)
    except Uncheckable as why:
        fields = evaluation_fields(
            claim,
            as_of,
            unit="",
            verdict=UNCHECKABLE,
            note=join(f"Cannot be checked: {why}.", claim.note),
        )
    return Evaluation(**{**fields, "document": claims.document(claim.source).label})


def evaluate_all(
    claims: ClaimsFile | None = None, catalog: Catalog | None = None
) -> list[Evaluation]:
    """Every claim of the file, in file order."""
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    return [evaluate_claim(claim, claims, catalog) for claim in claims.claims]
