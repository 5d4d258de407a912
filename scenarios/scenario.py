"""The scenario the planner prices: a workload, its models, baseline and pricing date, and the
limits of every figure. Pure (no streamlit).

The limits are typed: ``Limit.clamp`` takes a number as a person writes it (shares and growth in
percent) and says what it used instead and why. The link decoders and the page's widgets call the
same clamping, so a typed value and a link value are checked alike, without going through text.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from pricing import clock
from pricing.catalog import Catalog, UnknownModelError, load_catalog
from pricing.cost import Workload, monthly_cost
from scenarios.currency import DisplayCurrency, display_currency
from scenarios.formatting import count
from scenarios.routing import Route
from scenarios.traffic import Images, Traffic
from scenarios.written import number_text, show

DAYS_PER_MONTH = 30
"""``per=day`` multiplies by this to get requests per month."""

DEFAULT_MODELS = ("gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano")
"""The three models the app exists for, gpt-4.1-mini the baseline. A scenario without models
gets ``default_models(date)``: these, plus what a planner would pick instead on that date."""
DEFAULT_PROVIDER = "openai"
"""``default_models`` adds the cheapest model of this provider."""
PLANNING_MONTHS = 12
"""A model added to the defaults must not shut down within this many months of the date."""
MAX_MODELS = 12
MAX_NAME = 80
MAX_PRESET = 60
SHARE_SLACK = 1e-9
"""Batch + flex + priority may exceed 100% by this much (float sums)."""


@dataclass(frozen=True)
class Limit:
    """Bounds of one numeric figure (inclusive) and its default, in the scenario's units."""

    field: str
    default: float
    low: float
    high: float
    integer: bool = False
    percent: bool = False
    """Stored as a 0..1 fraction on the scenario, written (in a link, a box) as 0..100."""

    @property
    def scale(self) -> float:
        """Written units per scenario unit (100 for a percent)."""
        return 100.0 if self.percent else 1.0

    def written(self, value: float) -> float:
        """A scenario value as a person writes it (a share 0.4 -> 40)."""
        return round(float(value) * self.scale, 6)

    def clamp(self, written: float) -> tuple[float, list[tuple[str, float]]]:
        """A finite number in written units, within bounds (whole if ``integer``), rounded to
        the 6 decimals a link keeps; and each problem found with the value used after it
        (``("is below 0", 0.0)``)."""
        value = float(written)
        low, high = float(self.low) * self.scale, float(self.high) * self.scale
        problems: list[tuple[str, float]] = []
        if value < low:
            value = low
            problems.append((f"is below {number_text(low)}", value))
        elif value > high:
            value = high
            unit = "%" if self.percent else ""
            problems.append((f"is above the most allowed, {count(high)}{unit}", value))
        if self.integer and not value.is_integer():
            value = float(round(value))
            problems.append(("is not a whole number", value))
        return round(value, 6), problems

    def field_value(self, written: float) -> float | int:
        """A clamped written value in scenario units (40 -> 0.4; a whole number for months)."""
        value = written / self.scale
        return int(value) if self.integer else float(value)


LIMITS: dict[str, Limit] = {
    "req": Limit("requests", 100_000, 0, 1e12),
    "in": Limit("input_tokens", 1_500, 0, 10_000_000),
    "out": Limit("output_tokens", 300, 0, 1_000_000),
    "rsn": Limit("reasoning_tokens", 0, 0, 1_000_000),
    "cached": Limit("cached_share", 0, 0, 1, percent=True),
    "batch": Limit("batch_share", 0, 0, 1, percent=True),
    "flex": Limit("flex_share", 0, 0, 1, percent=True),
    "prio": Limit("priority_share", 0, 0, 1, percent=True),
    "growth": Limit("growth", 0, -0.9, 2.0, percent=True),
    "months": Limit("months", 12, 1, 60, integer=True),
}
"""Short name (the link parameter, the widget key) -> scenario field. ``req`` is per ``per``."""

TRAFFIC_LIMITS: dict[str, Limit] = {
    "retry": Limit("retry_share", 0, 0, 1, percent=True),
    "img": Limit("images_per_request", 0, 0, 100),
    "imgw": Limit("image_width", 1024, 1, 65_535, integer=True),
    "imgh": Limit("image_height", 1024, 1, 65_535, integer=True),
    "web": Limit("web_search_calls", 0, 0, 100),
    "file": Limit("file_search_calls", 0, 0, 100),
    "esc": Limit("escalation", 0.2, 0, 1, percent=True),
    "rate": Limit("currency_rate", 0, 0, 1e6),
}
"""How the requests run and how figures are shown (``scenarios.traffic``, ``scenarios.routing``,
``scenarios.currency``): retries, images per request and their size, the routed mix's
escalation rate, tool calls per request (``web``, ``file``: priced from the table's
``tool_fees``), the display currency's rate (0: the shipped reference rate). Kept apart from
``LIMITS`` (the workload's figures every page draws a box for)."""

ALL_LIMITS: dict[str, Limit] = {**LIMITS, **TRAFFIC_LIMITS}
"""Every figure's limit, by short name (``clamp_figure`` reads these)."""

ROUTES = ("split", "cascade")
"""``Scenario.route``: each request to one model, or all to the first and a share escalated."""


@dataclass(frozen=True)
class Scenario:
    """Everything the Compare page shows, in core units (shares 0..1, requests per ``per``)."""

    requests: float = LIMITS["req"].default
    """Requests per ``per`` (month or day)."""
    per: str = "month"
    input_tokens: float = LIMITS["in"].default
    output_tokens: float = LIMITS["out"].default
    reasoning_tokens: float = 0.0
    cached_share: float = 0.0
    batch_share: float = 0.0
    flex_share: float = 0.0
    priority_share: float = 0.0
    growth: float = 0.0
    """Monthly growth of requests (0.05 = +5% a month)."""
    months: int = 12
    models: tuple[str, ...] = DEFAULT_MODELS
    baseline: str = DEFAULT_MODELS[0]
    as_of: dt.date = field(default_factory=clock.today)
    name: str = ""
    preset: str = ""
    retry_share: float = 0.0
    """Share (0..1) of requests sent again, in full (``scenarios.traffic``)."""
    images_per_request: float = 0.0
    image_width: int = 1024
    image_height: int = 1024
    image_detail: str = "high"
    web_search_calls: float = 0.0
    """Web search calls per request, priced from the table's ``tool_fees`` (per 1,000 calls)."""
    file_search_calls: float = 0.0
    """File search calls per request, priced likewise."""
    route: str = ""
    """A routed mix (``scenarios.routing``): "" (none), ``split`` or ``cascade``."""
    route_first: str = ""
    route_second: str = ""
    escalation: float = 0.2
    """Share (0..1) of requests sent to (split) or escalated to (cascade) ``route_second``."""
    route_answer: bool = False
    """Cascade: the escalated request carries the first model's answer as extra input."""
    currency: str = "USD"
    """The display currency (``scenarios.currency``); figures stay USD underneath."""
    currency_rate: float = 0.0
    """The user's rate (units per USD); 0: the shipped reference rate."""

    @property
    def requests_per_month(self) -> float:
        return self.requests * (DAYS_PER_MONTH if self.per == "day" else 1)

    def workload(self) -> Workload:
        """The month-1 workload for the cost engine."""
        return Workload(
            requests=self.requests_per_month,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            reasoning_tokens=self.reasoning_tokens,
            cached_share=self.cached_share,
            batch_share=self.batch_share,
            flex_share=self.flex_share,
            priority_share=self.priority_share,
            tool_calls=self.tool_calls(),
        )

    def tool_calls(self) -> dict[str, float]:
        """Calls per request of each built-in tool the scenario uses (``Workload.tool_calls``);
        a tool at 0 is left out, so a model without its fee is not refused for it."""
        calls = {"web_search": self.web_search_calls, "file_search": self.file_search_calls}
        return {tool: float(n) for tool, n in calls.items() if n > 0}

    def with_values(self, **changes) -> Scenario:
        return replace(self, **changes)

    def traffic(self) -> Traffic:
        """Retries and images per request, for ``scenarios.traffic.price``."""
        images = None
        if self.images_per_request > 0:
            images = Images(
                self.images_per_request, self.image_width, self.image_height, self.image_detail
            )
        return Traffic(retry_share=self.retry_share, images=images)

    def routing(self) -> Route | None:
        """The routed mix, or None when the scenario routes nothing."""
        if self.route not in ROUTES or not self.route_first or not self.route_second:
            return None
        return Route(
            self.route_first,
            self.route_second,
            self.escalation,
            self.route,
            self.route_answer and self.route == "cascade",
        )

    def display(self) -> DisplayCurrency:
        """How figures are shown (USD, or another currency at a stated rate)."""
        return display_currency(self.currency, self.currency_rate or None)[0]


# -- typed clamping ---------------------------------------------------------------------------


def clamp_figure(key: str, written: float, given: str, warnings: list[str]) -> float | int:
    """The scenario value of figure ``key`` written as ``written`` (``req`` 5e15, ``cached``
    40), clamped by its ``Limit``; a warning per change names the key, the value as ``given``
    and the value used."""
    limit = ALL_LIMITS[key]
    used, problems = limit.clamp(written)
    for problem, value in problems:
        warnings.append(f"{key}: {show(given)} {problem}; used {number_text(value)}")
    return limit.field_value(used)


def hold_shares(values: dict, warnings: list[str]) -> None:
    """Batch + flex + priority add up to at most 100%: flex, then priority, give way."""
    batch = values.get("batch_share", 0.0)
    flex = values.get("flex_share", 0.0)
    prio = values.get("priority_share", 0.0)
    if batch + flex > 1 + SHARE_SLACK:
        values["flex_share"] = flex = round(1 - batch, 9)
        warnings.append(f"flex: batch + flex exceed 100%; used {number_text(round(flex * 100, 6))}")
    if batch + flex + prio > 1 + SHARE_SLACK:
        values["priority_share"] = prio = max(0.0, round(1 - batch - flex, 9))
        warnings.append(
            f"prio: batch + flex + priority exceed 100%; used {number_text(round(prio * 100, 6))}"
        )


def complete(
    values: Mapping,
    models: Sequence[str],
    base: str | None,
    catalog: Catalog,
    warnings: list[str],
    given_base: str | None = None,
) -> Scenario:
    """The scenario of checked ``values`` (scenario fields), the known ``models`` (none: the
    ``default_models`` of the date) and the baseline: ``base`` when it is one of the models
    (else a warning ``base: ...`` quoting ``given_base``, the text given), otherwise the first
    model selectable on the date."""
    as_of = values.get("as_of") or clock.today()
    chosen = tuple(models) or default_models(as_of, catalog)
    baseline = default_baseline(chosen, as_of, catalog)
    if base is not None:
        if base in chosen:
            baseline = base
        else:
            warnings.append(
                f"base: {show(base if given_base is None else given_base)} is not one of the "
                f"models compared; used {baseline}"
            )
    return Scenario(**{**values, "models": chosen, "baseline": baseline})


def from_preset(preset, choice: str, as_of: dt.date, catalog: Catalog) -> Scenario:
    """The whole scenario a preset (``scenarios.presets.Preset``) describes: its workload, its
    models and baseline, every tier share 0, the default growth and horizon, on ``as_of``."""
    models = [catalog.resolve(m) for m in preset.models][:MAX_MODELS]
    models = list(dict.fromkeys(models)) or list(default_models(as_of, catalog))
    return Scenario(
        requests=float(preset.requests_per_month),
        per="month",
        input_tokens=float(preset.input_tokens),
        output_tokens=float(preset.output_tokens),
        reasoning_tokens=float(preset.reasoning_tokens or 0),
        cached_share=round(float(preset.cached_share), 6),
        models=tuple(models),
        baseline=default_baseline(models, as_of, catalog),  # never a shut-down model
        as_of=as_of,
        name=preset.title[:MAX_NAME],
        preset=choice,
    )


# -- default models ---------------------------------------------------------------------------


def _selectable(catalog: Catalog, model_id: str, as_of: dt.date) -> bool:
    return catalog.model(model_id).lifecycle(as_of).selectable


def _plannable(catalog: Catalog, model_id: str, as_of: dt.date) -> bool:
    """Selectable on the date, with no shutdown announced within ``PLANNING_MONTHS``."""
    model = catalog.model(model_id)
    if not model.lifecycle(as_of).selectable:
        return False
    end = as_of + dt.timedelta(days=round(PLANNING_MONTHS * 365.25 / 12))
    return model.shutdown_date is None or model.shutdown_date > end


def replacement(model_id: str, as_of: dt.date, catalog: Catalog | None = None) -> str | None:
    """The model to use instead of ``model_id`` on ``as_of``: its named successor, or that
    model's successor, and so on, up to the first one selectable on the date (None when the
    chain names none)."""
    catalog = catalog or load_catalog()
    seen = {model_id}
    current = catalog.model(model_id).successor
    while current is not None and current not in seen:
        if _selectable(catalog, current, as_of):
            return current
        seen.add(current)
        current = catalog.model(current).successor
    return None


def default_baseline(models: Sequence[str], as_of: dt.date, catalog: Catalog | None = None) -> str:
    """The first of ``models`` selectable on ``as_of`` (the first model if none is)."""
    catalog = catalog or load_catalog()
    for model_id in models:
        try:
            if _selectable(catalog, model_id, as_of):
                return model_id
        except (UnknownModelError, KeyError):
            continue
    return models[0]


def default_models(as_of: dt.date, catalog: Catalog | None = None) -> tuple[str, ...]:
    """The models of a view that names none, on ``as_of``, computed from the price table:

    * ``DEFAULT_MODELS`` (those the table holds), shut down or not: the app exists for them,
      and a shut-down one is shown with its last list price, marked;
    * for each of them not selectable on the date (or shutting down within
      ``PLANNING_MONTHS``), its ``replacement``;
    * the cheapest ``DEFAULT_PROVIDER`` model for the default workload (``Scenario()``'s
      request shape) that is selectable on the date and not shutting down within
      ``PLANNING_MONTHS`` (a planner would not start on a model about to go).
    """
    catalog = catalog or load_catalog()
    return _default_models(as_of, catalog)


@functools.lru_cache(maxsize=64)
def _default_models(as_of: dt.date, catalog: Catalog) -> tuple[str, ...]:
    known = set(catalog.model_ids())
    chosen = [m for m in DEFAULT_MODELS if m in known]
    for model_id in list(chosen):
        if not _plannable(catalog, model_id, as_of):
            successor = replacement(model_id, as_of, catalog)
            if successor is not None:
                chosen.append(successor)
    candidates = [
        m.id
        for m in catalog.models()
        if m.provider == DEFAULT_PROVIDER and _plannable(catalog, m.id, as_of)
    ]
    if candidates:
        priced = monthly_cost(Scenario(as_of=as_of).workload(), candidates, as_of, catalog)
        priced = priced[priced["available"]]
        if len(priced):
            chosen.append(str(priced.loc[priced["total_cost"].idxmin(), "model"]))
    return tuple(dict.fromkeys(chosen))[:MAX_MODELS] or DEFAULT_MODELS
