"""The scenario the planner prices: a workload, its models, baseline and pricing date. Pure (no
streamlit).

Its figures come from the table of fields (``scenarios.fields``): one attribute each, in core
units. A figure written as a person writes it (a link's ``cached=40``, a page box) enters a
scenario through ``figure_values`` (each clamped by its field, with a problem saying what was
used instead), and a scenario is built from checked values by ``complete``: the link decoders,
the pages, the presets and the command line all go that one way.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, make_dataclass, replace

from pricing import clock
from pricing.book import NO_BOOK, PriceBook
from pricing.book import apply as book_apply
from pricing.catalog import Catalog, UnknownModelError, load_catalog
from pricing.cost import monthly_cost
from pricing.dated import prices_on
from pricing.reasons import Problem
from pricing.workload import Workload
from scenarios import fields
from scenarios.currency import DisplayCurrency, display_currency
from scenarios.routing import Route
from scenarios.session import Shape, Spread, Tiers
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


SHAPES = ("requests", "sessions")
"""``Scenario.shape``: N requests of one shape, or sessions whose context grows every turn."""
ROUTES = ("split", "cascade")
"""``Scenario.route``: each request to one model, or all to the first and a share escalated."""


@dataclass(frozen=True)
class OwnTokens:
    """One model's own tokens per request (the mean of its eval tasks)."""

    model: str
    input_tokens: float
    output_tokens: float
    reasoning_tokens: float = 0.0
    cached_share: float = 0.0
    tasks: int = 0
    passes: int = 0
    """The eval behind it: tasks run and passed (0: not given)."""


MAX_OWN = 12


@dataclass(frozen=True)
class ScenarioParts:
    """What a scenario holds besides its figures, and what it computes from them. ``Scenario``
    adds one attribute per figure of ``scenarios.fields`` (in core units: shares 0..1,
    requests per ``per``), so a field added to the table is a scenario attribute."""

    per: str = "month"
    """``requests`` (or ``sessions``) are counted per ``month`` or per ``day``."""
    shape: str = "requests"
    """``requests`` (the workload fields) or ``sessions`` (the session fields,
    ``scenarios.session``)."""
    models: tuple[str, ...] = DEFAULT_MODELS
    baseline: str = DEFAULT_MODELS[0]
    as_of: dt.date = field(default_factory=clock.today)
    name: str = ""
    preset: str = ""
    image_detail: str = "high"
    route: str = ""
    """A routed mix (``scenarios.routing``): "" (none), ``split`` or ``cascade``."""
    route_first: str = ""
    route_second: str = ""
    route_answer: bool = False
    """Cascade: the escalated request carries the first model's answer as extra input."""
    currency: str = "USD"
    """The display currency (``scenarios.currency``); figures stay USD underneath."""
    own: tuple[OwnTokens, ...] = ()
    """Models priced on their own tokens per request (a team's eval, ``scenarios.tasks``):
    each listed model's request shape replaces the scenario's tokens for that model only."""
    book: PriceBook = NO_BOOK
    """Your own prices (``pricing.book``): discounts, overrides and private models on top of
    the table; every figure of the scenario is priced with them (``priced``)."""

    def priced(self, catalog: Catalog | None = None) -> Catalog:
        """The catalog the scenario is priced with: ``catalog`` (default: the shipped table)
        with the scenario's price book on top (the same catalog when there is none, and when
        it already carries the book)."""
        return book_apply(catalog or load_catalog(), self.book)

    @property
    def requests_per_month(self) -> float:
        return self.requests * (DAYS_PER_MONTH if self.per == "day" else 1)

    @property
    def is_session(self) -> bool:
        return self.shape == "sessions"

    @property
    def sessions_per_month(self) -> float:
        return self.sessions * (DAYS_PER_MONTH if self.per == "day" else 1)

    def session(self) -> Shape:
        """The session workload (``scenarios.session.Shape``) its session fields describe."""

        def spread(p50: float, p10: float, p90: float) -> Spread:
            return Spread(float(p50), float(p10) or None, float(p90) or None)

        return Shape(
            prefix=float(self.prefix_tokens),
            turns=spread(self.turns, self.turns_p10, self.turns_p90),
            turn_input=spread(self.turn_input_tokens, self.turn_input_p10, self.turn_input_p90),
            turn_output=spread(self.turn_output_tokens, self.turn_output_p10, self.turn_output_p90),
            turn_reasoning=float(self.turn_reasoning_tokens),
            turn_gap=float(self.turn_gap),
            session_gap=float(self.session_gap),
            cache=bool(self.cache),
            cache_1h=bool(self.cache_1h),
            compact_tokens=float(self.compact_tokens),
            compact_share=float(self.compact_share),
            summary_tokens=float(self.summary_tokens),
        )

    def tiers(self) -> Tiers:
        return Tiers(self.batch_share, self.flex_share, self.priority_share)

    def workload(self) -> Workload:
        """The month-1 workload for the cost engine: the table's ``workload`` fields."""
        values = {f.name: getattr(self, f.name) for f in fields.FIELDS if f.workload}
        values["requests"] = self.requests_per_month
        return Workload(**values, tool_calls=self.tool_calls())

    def own_tokens(self, model: str) -> OwnTokens | None:
        return next((o for o in self.own if o.model == model), None)

    def workload_for(self, model: str) -> Workload:
        """The month-1 workload of ``model``: the scenario's, with the model's own tokens per
        request where the scenario lists them (``own``)."""
        workload = self.workload()
        own = self.own_tokens(model)
        if own is None:
            return workload
        return replace(
            workload,
            input_tokens=own.input_tokens,
            output_tokens=own.output_tokens,
            reasoning_tokens=own.reasoning_tokens,
            cached_share=own.cached_share,
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


def _scenario_class() -> type:
    figures = [
        (f.name, int if f.integer else float, field(default=f.default_value))
        for f in fields.all_fields()
    ]
    cls = make_dataclass("Scenario", figures, bases=(ScenarioParts,), frozen=True)
    cls.__module__ = __name__
    cls.__doc__ = """Everything the Compare page shows: ``ScenarioParts`` and one attribute per
    figure of ``scenarios.fields`` (``requests``, ``input_tokens``, ``cached_share``, ...)."""
    return cls


Scenario = _scenario_class()


# -- from written values ----------------------------------------------------------------------


def figure_values(written: Mapping[str, object], warnings: list[Problem]) -> dict:
    """Core values of figures written as a person writes them, by link key: a link's text
    (``"40"``, ``"1,500"``) or a page box's number (``cached`` 40, ``req`` 5e15). Each is read
    and clamped by its field (``Field.parse``, ``Field.check``: a problem per change, in the
    table's order), then batch + flex + priority are held to 100% (``hold_shares``). The one
    way a written figure enters a scenario."""
    values: dict = {}
    for key, spec in fields.figures().items():
        if key not in written or written[key] is None:
            continue
        raw = written[key]
        if isinstance(raw, str):
            number, problems = spec.parse(raw)
            warnings.extend(problems)
            if number is None:
                continue
        else:
            number, raw = float(raw), repr(raw)
        values[spec.name], problems = spec.check(number, raw)
        warnings.extend(problems)
    hold_shares(values, warnings)
    return values


def hold_shares(values: dict, warnings: list[Problem]) -> None:
    """Batch + flex + priority add up to at most 100%: flex, then priority, give way."""
    batch = values.get("batch_share", 0.0)
    flex = values.get("flex_share", 0.0)
    prio = values.get("priority_share", 0.0)
    if batch + flex > 1 + SHARE_SLACK:
        values["flex_share"] = flex = round(1 - batch, 9)
        used = number_text(round(flex * 100, 6))
        warnings.append(Problem("flex", "shares_exceed", shares="batch + flex", used=used))
    if batch + flex + prio > 1 + SHARE_SLACK:
        values["priority_share"] = prio = max(0.0, round(1 - batch - flex, 9))
        used = number_text(round(prio * 100, 6))
        shares = "batch + flex + priority"
        warnings.append(Problem("prio", "shares_exceed", shares=shares, used=used))


def complete(
    values: Mapping,
    models: Sequence[str],
    base: str | None,
    catalog: Catalog,
    warnings: list[Problem],
    given_base: str | None = None,
) -> Scenario:
    """The scenario of checked ``values`` (scenario fields, the pricing date ``as_of`` among
    them: the caller, at the edge, decides it), the known ``models`` (none: the
    ``default_models`` of the date) and the baseline: ``base`` when it is one of the models
    (else a warning ``base: ...`` quoting ``given_base``, the text given), otherwise the first
    model selectable on the date."""
    as_of = values["as_of"]
    chosen = tuple(models) or default_models(as_of, catalog)
    baseline = default_baseline(chosen, as_of, catalog)
    if base is not None:
        if base in chosen:
            baseline = base
        else:
            given = show(base if given_base is None else given_base)
            warnings.append(Problem("base", "not_among_models", given=given, used=baseline))
    return Scenario(**{**values, "models": chosen, "baseline": baseline})


def from_preset(preset, choice: str, as_of: dt.date, catalog: Catalog) -> Scenario:
    """The whole scenario a preset (``scenarios.presets.Preset``) describes: its workload, its
    models and baseline, every tier share 0, the default growth and horizon, on ``as_of``."""
    models = [catalog.resolve(m) for m in preset.models][:MAX_MODELS]
    values = {
        "requests": float(preset.requests_per_month),
        "input_tokens": float(preset.input_tokens),
        "output_tokens": float(preset.output_tokens),
        "reasoning_tokens": float(preset.reasoning_tokens or 0),
        "cached_share": round(float(preset.cached_share), 6),
        "as_of": as_of,
        "name": preset.title[:MAX_NAME],
        "preset": choice,
    }
    if getattr(preset, "session", None):
        values.update(preset.session, shape="sessions")
    return complete(values, list(dict.fromkeys(models)), None, catalog, [])


# -- default models ---------------------------------------------------------------------------


def _selectable(catalog: Catalog, model_id: str, as_of: dt.date) -> bool:
    return prices_on(catalog, as_of).selectable(model_id)


def _plannable(catalog: Catalog, model_id: str, as_of: dt.date) -> bool:
    """Selectable on the date, with no shutdown announced within ``PLANNING_MONTHS``."""
    model = catalog.model(model_id)
    if not prices_on(catalog, as_of).selectable(model_id):
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
