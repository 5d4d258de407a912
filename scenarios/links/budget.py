"""The Budget page's link: ``bud_usd`` (the budget, always USD) plus the Compare link's
parameters with a ``bud_`` prefix (``bud_req``, ``bud_in``, ``bud_models``, ``bud_date``,
``bud_cur``, ``bud_rate``, ...), decoded like a Compare link: any input gives a valid case
and warnings naming the parameter and what was used.
Pure (no streamlit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pricing import book
from pricing.catalog import Catalog
from pricing.reasons import Problem
from scenarios import links, written
from scenarios.fields import FIELDS, TRAFFIC_FIELDS, Field
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario

PREFIX = "bud_"
BUDGET = Field(
    "budget", "usd", 500.0, 0.0, 1e9, "USD a month", "Monthly budget (USD)", "Budget",
    "the monthly budget in USD", flag=None,
)  # fmt: skip
"""``bud_usd``: the monthly budget in USD."""
SCENARIO_KEYS = (
    *(f.key for f in FIELDS if f.budget),
    *("models", "date", "cur"),
    *(f.key for f in TRAFFIC_FIELDS if f.budget),
    *book.LINK_KEYS,
)
"""Compare link parameters the Budget page uses (each with the ``bud_`` prefix): the ``budget``
fields of ``scenarios.fields``, the models and the date; ``cur`` and ``rate`` are the display
currency (the budget itself stays USD); ``disc``, ``ovr`` and ``mine`` your price book."""


@dataclass(frozen=True)
class BudgetCase:
    """The Budget page's inputs: a budget and a Compare-style scenario (per month)."""

    budget: float = BUDGET.default
    scenario: Scenario = field(default_factory=Scenario)
    warnings: list[Problem] = field(default_factory=list)
    from_link: bool = False
    """True when the parameters held any Budget parameter."""


def case_from_scenario(scenario: Scenario, budget: float = BUDGET.default) -> BudgetCase:
    """A Budget case with a Compare scenario's request shape, tiers, models, date and price
    book (requests converted to per month; growth and horizon do not apply to a budget)."""
    values = {f.name: getattr(scenario, f.name) for f in (*FIELDS, *TRAFFIC_FIELDS) if f.budget}
    values["requests"] = scenario.requests_per_month
    kept = {k: getattr(scenario, k) for k in ("models", "baseline", "as_of", "currency", "book")}
    return BudgetCase(budget=budget, scenario=Scenario(**values, **kept))


def _budget_value(raw: str, warnings: list[Problem]) -> float:
    """``bud_usd``: a number of USD (``$`` allowed), clamped by ``BUDGET``."""
    name = PREFIX + BUDGET.key
    value, why = written.parse_number(raw.strip().replace(" ", "").lstrip("$"))
    if value is None:
        why = why if why == "not a finite number" else "not a number"
        used = written.number_text(BUDGET.default)
        warnings.append(Problem(name, "not_a_number", given=written.show(raw), why=why, used=used))
        return BUDGET.default
    used, problems = BUDGET.check(value, raw)
    warnings.extend(problem.keyed(name) for problem in problems)
    return round(used, 2)


def decode_params(params: Mapping, catalog: Catalog | None = None) -> BudgetCase:
    """A valid Budget case from any mapping of query parameters; never raises.

    Only ``bud_*`` keys are read (other pages' parameters are left alone); an unknown ``bud_*``
    key, a bad number, an unknown model or a bad date each give a warning naming the parameter
    and what was used instead.
    """
    pairs = links.params(params)
    ours = {k[len(PREFIX) :]: v for k, v in pairs.items() if k.startswith(PREFIX)}
    warnings: list[Problem] = []
    budget = BUDGET.default
    if "usd" in ours:
        budget = _budget_value(ours["usd"], warnings)
    unknown = [PREFIX + key for key in ours if key != "usd" and key not in SCENARIO_KEYS]
    links.unknown_params(unknown, "Budget ", warnings)
    scenario_params = {k: v for k, v in ours.items() if k in SCENARIO_KEYS}
    decoded = compare_link.decode(scenario_params, catalog)
    for problem in decoded.warnings:
        ours = problem.key in SCENARIO_KEYS
        warnings.append(problem.keyed(PREFIX + problem.key) if ours else problem)
    return BudgetCase(budget, decoded.scenario, warnings, from_link=bool(ours))


def to_params(budget: float, scenario: Scenario) -> dict[str, str]:
    """The case as ``bud_*`` link parameters (tier and reasoning shares only when set)."""
    out = {PREFIX + "usd": written.number_text(round(budget, 2))}
    compare = compare_link.to_params(scenario.with_values(per="month"))
    for key in SCENARIO_KEYS:
        if key in compare:
            out[PREFIX + key] = compare[key]
    return out
