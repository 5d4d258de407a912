"""Routed mixes: one workload served by two models. Pure (no streamlit).

Two shapes, both of one ``Route`` (a first model, a second model, a rate):

* **split** (``--route nano:0.8,gpt-4.1:0.2``): each request goes to one model; the ``rate`` is
  the share sent to the second model, ``1 - rate`` to the first;
* **cascade** (``--escalate nano:gpt-4.1:0.2``): every request goes to the first model, and the
  ``rate`` share of them (those that fail a check) is escalated: sent again, in full, to the
  second model, with the first model's answer added to its input when ``with_answer``.

Each part is a ``Workload`` priced by the one cost engine (``pricing.cost.monthly_cost``);
this module only decides which requests go where. The cost of a mix is linear in the rate
(``cost(r) = cost(0) + r * (cost(1) - cost(0))``), so the escalation rate at which it costs as
much as one model alone is solved exactly from the two ends (``break_even``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, load_catalog
from pricing.cost import monthly_cost
from pricing.workload import Workload
from scenarios.written import number_text

SPLIT = "split"
CASCADE = "cascade"
KINDS = (SPLIT, CASCADE)

FIRST = "first"
ESCALATED = "escalated"
SPLIT_SHARE = "split"
"""Roles of a part: the first model (all requests of a cascade, ``1 - rate`` of a split), the
escalated requests of a cascade, the second model's share of a split."""


@dataclass(frozen=True)
class Route:
    """Which requests go to which model."""

    first: str
    second: str
    rate: float
    """Share (0..1) of requests escalated to (cascade) or sent to (split) ``second``."""
    kind: str = CASCADE
    with_answer: bool = False
    """Cascade only: the escalated request carries the first model's answer (its visible
    output tokens) as extra input."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"route: kind must be split or cascade ({self.kind!r})")
        if not (0.0 <= float(self.rate) <= 1.0):
            raise ValueError(f"route: rate must be between 0 and 1 ({self.rate:g})")
        if self.first == self.second:
            raise ValueError(f"route: the two models must differ ({self.first})")

    def at(self, rate: float) -> Route:
        return replace(self, rate=float(rate))

    @property
    def label(self) -> str:
        """``80% gpt-5.4-nano -> 20% gpt-4.1 escalated`` (cascade: the first model answers
        the rest) or ``80% gpt-4.1-nano + 20% gpt-4.1`` (split)."""
        kept, moved = _percent(1 - self.rate), _percent(self.rate)
        if self.kind == SPLIT:
            return f"{kept} {self.first} + {moved} {self.second}"
        answer = " with the first answer" if self.with_answer else ""
        return f"{kept} {self.first} -> {moved} {self.second} escalated{answer}"


def _percent(share: float) -> str:
    """``80%``, ``85.5%``: a share as a percent with at most one decimal."""
    return number_text(round(float(share) * 100, 1)) + "%"


@dataclass(frozen=True)
class Part:
    """One model's share of a routed mix, as the workload the engine prices."""

    model: str
    role: str
    workload: Workload


def parts(route: Route, workload: Workload) -> list[Part]:
    """The workloads of a routed mix: the requests each model is sent, with their shape.

    An escalated request is the original request again (same input, cached share of the same
    cached tokens, same output), plus the first model's visible answer as uncached input when
    ``with_answer``."""
    requests = workload.requests
    if route.kind == SPLIT:
        return [
            Part(route.first, FIRST, replace(workload, requests=requests * (1 - route.rate))),
            Part(route.second, SPLIT_SHARE, replace(workload, requests=requests * route.rate)),
        ]
    escalated = replace(workload, requests=requests * route.rate)
    if route.with_answer and workload.output_tokens > 0:
        extra = workload.output_tokens
        grown = workload.input_tokens + extra
        escalated = replace(
            escalated,
            input_tokens=grown,
            # The cached tokens stay the same count; the added answer is not a cache hit.
            cached_share=workload.cached_share * workload.input_tokens / grown,
            cache_write_share=workload.cache_write_share * workload.input_tokens / grown,
        )
    return [Part(route.first, FIRST, workload), Part(route.second, ESCALATED, escalated)]


Pricer = Callable[[Workload, str], pd.DataFrame]
"""Prices one workload on one model: a one-row frame of ``monthly_cost`` columns (at least
``total_cost``, ``available``, ``reasons``, ``warnings``). ``scenarios.traffic`` passes one that
adds retries and per-model image tokens."""


def remembering(pricer: Pricer) -> Pricer:
    """``pricer`` that prices each (workload, model) once: a mix, its two ends and the models
    alone share parts (a cascade's first part is the same at every rate)."""
    seen: dict[tuple[Workload, str], pd.DataFrame] = {}

    def price(workload: Workload, model: str) -> pd.DataFrame:
        key = (workload, model)
        if key not in seen:
            seen[key] = pricer(workload, model)
        return seen[key]

    return price


def engine_pricer(as_of: dt.date, catalog: Catalog | None = None) -> Pricer:
    """The plain engine on ``as_of`` as a ``Pricer``."""
    catalog = catalog or load_catalog()
    return lambda workload, model: monthly_cost(workload, [model], as_of, catalog)


@dataclass(frozen=True)
class RoutedCost:
    """A routed mix priced: one engine row per part, and the mix's total."""

    route: Route
    table: pd.DataFrame
    """One row per part (``model``, ``role`` and the engine's columns), first model first."""

    @property
    def available(self) -> bool:
        return bool(self.table["available"].all())

    @property
    def total(self) -> float:
        """USD per month; NaN when a part cannot be priced."""
        return float(self.table["total_cost"].sum()) if self.available else float("nan")

    def by_model(self) -> dict[str, float]:
        """Model -> its USD per month in the mix."""
        return {str(r.model): float(r.total_cost) for r in self.table.itertuples()}

    @property
    def warnings(self) -> list[str]:
        seen: dict[str, None] = {}
        for row in self.table.itertuples():
            for text in row.warnings:
                seen.setdefault(text, None)
        return list(seen)


def routed_cost(route: Route, workload: Workload, pricer: Pricer) -> RoutedCost:
    """The monthly cost of ``workload`` served by ``route``, each part priced by ``pricer``."""
    rows = []
    for part in parts(route, workload):
        row = pricer(part.workload, part.model).iloc[[0]].copy()
        row.insert(0, "role", part.role)
        rows.append(row)
    return RoutedCost(route, pd.concat(rows, ignore_index=True))


NEVER = "never"
ALWAYS = "always"
BELOW = "below"
ABOVE = "above"


@dataclass(frozen=True)
class BreakEven:
    """The escalation rate at which the mix costs as much as one model alone.

    ``kind``: ``below`` (the mix is cheaper while the rate is below ``rate``), ``above``
    (cheaper while above it: the second model is the cheaper one), ``always`` (cheaper at
    every rate from 0 to 100%), ``never`` (at none)."""

    kind: str
    rate: float | None
    """0..1 for ``below`` / ``above``; None otherwise."""
    against: str
    second: str
    """The model the rate sends requests to."""
    split: bool
    """A split (the rate is the share sent to ``second``) rather than a cascade."""
    mix_at_zero: float
    mix_at_one: float
    alone: float
    """USD per month: the mix with no escalation, with every request escalated, the model
    alone."""

    @property
    def text(self) -> str:
        """``routing is cheaper than gpt-4.1 alone while fewer than 95% of requests escalate``
        (a split: ``... of requests go to gpt-4.1``)."""
        lead = f"routing is cheaper than {self.against} alone"
        what = f"go to {self.second}" if self.split else "escalate"
        rate = "share" if self.split else "escalation rate"
        if self.kind == BELOW and self.rate is not None and self.rate >= 1 - 1e-12:
            return f"{lead} at every {rate} below 100%"
        if self.kind == ABOVE and self.rate is not None and self.rate <= 1e-12:
            return f"{lead} at every {rate} above 0%"
        if self.kind == BELOW:
            return f"{lead} while fewer than {_percent(self.rate)} of requests {what}"
        if self.kind == ABOVE:
            return f"{lead} while more than {_percent(self.rate)} of requests {what}"
        if self.kind == ALWAYS:
            return f"{lead} at every {rate}"
        return f"routing is never cheaper than {self.against} alone"


def break_even(route: Route, workload: Workload, pricer: Pricer, against: str) -> BreakEven | None:
    """The rate at which ``route`` costs as much as ``against`` alone (None when a figure is
    missing). Solved exactly: the mix costs ``c0 + r * (c1 - c0)``, so ``r = (alone - c0) /
    (c1 - c0)``; equal cost counts as not cheaper."""
    c0 = routed_cost(route.at(0.0), workload, pricer).total
    c1 = routed_cost(route.at(1.0), workload, pricer).total
    alone = pricer(workload, against).iloc[0]
    alone_cost = float(alone["total_cost"]) if bool(alone["available"]) else float("nan")
    if not all(np.isfinite(v) for v in (c0, c1, alone_cost)):
        return None
    slope = c1 - c0
    cheaper_at_0, cheaper_at_1 = c0 < alone_cost, c1 < alone_cost
    if cheaper_at_0 and cheaper_at_1:
        kind, rate = ALWAYS, None
    elif not cheaper_at_0 and not cheaper_at_1:
        kind, rate = NEVER, None
    else:
        rate = (alone_cost - c0) / slope
        kind = BELOW if cheaper_at_0 else ABOVE
    split = route.kind == SPLIT
    return BreakEven(kind, rate, against, route.second, split, c0, c1, alone_cost)
