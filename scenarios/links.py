"""Share links: a Compare scenario <-> URL query parameters. Pure (no streamlit).

A link is short and readable, versioned, and pins the pricing date::

    ./?v=1&req=100000&in=1500&out=300&cached=50&models=gpt-4.1-mini,gpt-4o-mini
      &base=gpt-4.1-mini&date=2025-06-01

Compare is the app's default page, so its links point at the app's root.

Parameters of format version 1 (shares and growth are **percent**)::

    v        format version (1)                       name    scenario name (text)
    req      requests per ``per``                     per     month | day (30 days a month)
    in       input tokens per request                 out     visible output tokens per request
    rsn      reasoning tokens per request             cached  % of input tokens that are cache hits
    batch    % of requests via Batch                  flex    % of requests via flex
    prio     % of requests via priority               growth  % monthly growth of requests
    months   projection horizon in months             models  comma-separated model ids
    base     baseline model                           date    pricing date YYYY-MM-DD
    preset   the preset the scenario started from (informational)

``decode`` accepts ANY query string (or mapping) and always returns a valid ``Scenario`` plus a
list of warnings, each naming the parameter, what was wrong and what was used instead. It never
raises. ``encode`` / ``compare_url`` write the canonical form that ``decode`` reads back exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from urllib.parse import parse_qsl, quote, urlencode

from pricing.catalog import Catalog, UnknownModelError, load_catalog
from pricing.cli_support import NUMBER_TEXT, number_problem, strict_date
from pricing.cost import Workload

FORMAT_VERSION = 1
DAYS_PER_MONTH = 30
"""``per=day`` links multiply by this to get requests per month."""

DEFAULT_MODELS = ("gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano")
"""The three models the app exists for, gpt-4.1-mini the baseline. A link without ``models``
gets ``default_models(date)``: these, plus what a planner would pick instead on that date."""
DEFAULT_PROVIDER = "openai"
"""``default_models`` adds the cheapest model of this provider."""
PLANNING_MONTHS = 12
"""A model added to the defaults must not shut down within this many months of the date."""
MAX_MODELS = 12
MAX_UNKNOWN_NAMED = 3
"""Unknown models of a link named one by one; the rest are one warning, "9,997 more"."""
MAX_NAME = 80
MIN_DATE = dt.date(2020, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Limit:
    """Bounds of one numeric parameter (inclusive) and its version-1 default."""

    field: str
    default: float
    low: float
    high: float
    integer: bool = False
    percent: bool = False
    """Stored as a 0..1 fraction on the scenario, written as 0..100 in the link."""


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
"""Link parameter -> scenario field. ``req`` is in the unit of ``per``."""

STREAMLIT_PARAMS = ("embed", "embed_options")
"""Query parameters Streamlit itself reads; never warned about."""

VIEW_PARAMS = ("tab",)
"""Query parameters of the page's view (which chart tab is open), not of the scenario; the page
reads them, the decoder accepts them without a warning."""

ALWAYS_WRITTEN = ("req", "in", "out", "cached")
"""Numeric parameters written even at their default, so a link reads on its own."""


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
    as_of: dt.date = field(default_factory=dt.date.today)
    name: str = ""
    preset: str = ""

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
        )

    def with_values(self, **changes) -> Scenario:
        return replace(self, **changes)


@dataclass(frozen=True)
class Decoded:
    scenario: Scenario
    warnings: list[str]
    version: int = FORMAT_VERSION


# -- encoding ---------------------------------------------------------------------------------


def _number_text(value: float, integer: bool = False) -> str:
    """Shortest readable form: 100000, 1.5, 12.5 (no exponent, no trailing zeros)."""
    if integer or float(value).is_integer():
        return str(round(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def to_params(scenario: Scenario) -> dict[str, str]:
    """The scenario as link parameters (canonical order, optional defaults left out)."""
    params: dict[str, str] = {"v": str(FORMAT_VERSION)}
    if scenario.name:
        params["name"] = scenario.name
    if scenario.preset:
        params["preset"] = scenario.preset
    for key, limit in LIMITS.items():
        value = float(getattr(scenario, limit.field))
        if key not in ALWAYS_WRITTEN and value == limit.default:
            continue
        shown = value * 100 if limit.percent else value
        params[key] = _number_text(round(shown, 6), limit.integer)
        if key == "req" and scenario.per == "day":
            params["per"] = "day"
    params["models"] = ",".join(scenario.models)
    params["base"] = scenario.baseline
    params["date"] = scenario.as_of.isoformat()
    return params


def encode(scenario: Scenario) -> str:
    """The query string (without ``?``); commas in ``models`` are kept readable."""
    return urlencode(to_params(scenario), quote_via=quote, safe=",")


def with_base(query: str, base: str = "") -> str:
    """A link to the Compare page, which is the app's default page and so lives at its root
    (``st.navigation`` serves the default page at ``/``): ``./?v=1&...`` or ``{base}/?v=1&...``.
    """
    return f"{base.rstrip('/')}/?{query}" if base else f"./?{query}"


def scenario_from_workload(
    workload: Mapping | Workload,
    models: Sequence[str],
    as_of: dt.date,
    catalog: Catalog | None = None,
) -> tuple[Scenario, list[str]]:
    """A scenario from a workload dict (``Workload`` field names, plus optional ``growth``,
    ``months``, ``baseline``, ``name``, ``preset``, ``per``), checked like a link."""
    values = asdict(workload) if isinstance(workload, Workload) else dict(workload)
    params: dict[str, str] = {"v": str(FORMAT_VERSION)}
    for key, limit in LIMITS.items():
        if limit.field in values and values[limit.field] is not None:
            number = float(values[limit.field])
            params[key] = repr(number * 100 if limit.percent else number)
    for key, name in (("per", "per"), ("base", "baseline"), ("name", "name"), ("preset", "preset")):
        if values.get(name):
            params[key] = str(values[name])
    params["models"] = ",".join(models)
    params["date"] = as_of.isoformat()
    decoded = decode(params, catalog=catalog)
    return decoded.scenario, decoded.warnings


def compare_url(
    workload: Mapping | Workload, models: list[str], as_of: dt.date, base: str = ""
) -> str:
    """A share link to the Compare page (the app's root) for this workload, models and date.

    ``workload`` holds ``Workload`` field names (``requests`` per month, ``input_tokens``, ...;
    shares as 0..1 fractions) and optionally ``growth``, ``months``, ``baseline``, ``name``.
    Values out of range are clamped as a link decoder would. Relative (``./?v=1&...``) unless
    ``base`` (e.g. ``http://host:8501``) is given.
    """
    scenario, _ = scenario_from_workload(workload, models, as_of)
    return with_base(encode(scenario), base)


# -- decoding ---------------------------------------------------------------------------------

_NUMBER = re.compile(rf"^{NUMBER_TEXT.pattern}$")
"""``pricing.cli_support.NUMBER_TEXT``, anchored: ASCII digits, commas only between groups of
three (so ``req=1,5`` is a warning, not 15)."""


def _clean_text(text: str, limit: int = MAX_NAME) -> str:
    """Printable text only, trimmed."""
    cleaned = "".join(ch for ch in text if ch.isprintable()).strip()
    return cleaned[:limit]


def _show(raw: str) -> str:
    shown = raw if len(raw) <= 40 else raw[:37] + "..."
    return repr(shown)


def _params(query: str | Mapping | Iterable | None) -> dict[str, str]:
    """Last value wins for repeated keys; bytes and odd types become text."""
    if query is None:
        return {}
    if isinstance(query, (bytes, bytearray)):
        query = bytes(query).decode("utf-8", "replace")
    if isinstance(query, str):
        text = query.split("?", 1)[1] if "?" in query else query
        text = text.split("#", 1)[0]
        pairs = parse_qsl(text, keep_blank_values=True, errors="replace")
    elif isinstance(query, Mapping):
        pairs = []
        for key, value in query.items():
            if isinstance(value, (list, tuple)):
                pairs.extend((key, v) for v in value)
            else:
                pairs.append((key, value))
    else:
        pairs = list(query)
    out: dict[str, str] = {}
    for key, value in pairs:
        out[str(key).strip().lower()] = "" if value is None else str(value)
    return out


def _number(key: str, raw: str, warnings: list[str]) -> float | None:
    limit = LIMITS[key]
    default = float(limit.default) * (100 if limit.percent else 1)
    text = raw.strip().replace(" ", "")
    if text.endswith("%") and limit.percent:
        text = text[:-1]
    if len(text) > 40 or not _NUMBER.match(text):
        problem = "not a number" if len(text) > 40 else number_problem(text)
        warnings.append(f"{key}: {_show(raw)} is {problem}; used {_number_text(default)}")
        return None
    value = float(text.replace("_", "").replace(",", ""))
    if not math.isfinite(value):
        warnings.append(f"{key}: {_show(raw)} is not a finite number; used {_number_text(default)}")
        return None
    # Floats throughout: a clamped value must still have ``float.is_integer``.
    low = float(limit.low) * (100 if limit.percent else 1)
    high = float(limit.high) * (100 if limit.percent else 1)
    if value < low:
        warnings.append(
            f"{key}: {_show(raw)} is below {_number_text(low)}; used {_number_text(low)}"
        )
        value = low
    elif value > high:
        what = "is too large" if not limit.percent else "is above"
        warnings.append(
            f"{key}: {_show(raw)} {what} (at most {_number_text(high)}); used {_number_text(high)}"
        )
        value = high
    if limit.integer and not value.is_integer():
        rounded = float(round(value))
        warnings.append(f"{key}: {_show(raw)} is not a whole number; used {_number_text(rounded)}")
        value = rounded
    value = round(value, 6)  # the precision a link is written with, so links round-trip
    return value / 100 if limit.percent else value


def decode(query: str | Mapping | Iterable | None, catalog: Catalog | None = None) -> Decoded:
    """A valid scenario and warnings from any query string or mapping. Never raises.

    Each parameter is read on its own (``_guarded``): a value that breaks the reader is named in
    a warning and replaced by its default, and every other parameter is still read.
    """
    return _decode(query, catalog)


class _Guard:
    """``with _Guard("req", warnings):`` -- an unexpected error while reading one parameter
    becomes a warning naming it, so one bad value never discards the others."""

    def __init__(self, key: str, warnings: list[str]) -> None:
        self.key = key
        self.warnings = warnings

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, traceback) -> bool:
        if exc is None or not isinstance(exc, Exception):
            return False
        self.warnings.append(
            f"{self.key}: could not be read ({type(exc).__name__}: {exc}); used the default"
        )
        return True


def _decode(query: str | Mapping | Iterable | None, catalog: Catalog | None) -> Decoded:
    catalog = catalog or load_catalog()
    warnings: list[str] = []
    params: dict[str, str] = {}
    with _Guard("link", warnings):
        params = _params(query)
    values: dict = {}

    version = FORMAT_VERSION
    if "v" in params:
        raw = params["v"].strip()
        if raw.isdigit() and int(raw) == FORMAT_VERSION:
            version = int(raw)
        else:
            warnings.append(
                f"v: link format {_show(params['v'])} is not known; "
                f"read as version {FORMAT_VERSION}"
            )

    if "name" in params:
        with _Guard("name", warnings):
            values["name"] = _clean_text(params["name"])
            if len(params["name"]) > MAX_NAME:
                warnings.append(f"name: longer than {MAX_NAME} characters; shortened")
    if "preset" in params:
        with _Guard("preset", warnings):
            values["preset"] = _clean_text(params["preset"], 60)

    if "per" in params:
        per = params["per"].strip().lower()
        if per in ("month", "day"):
            values["per"] = per
        else:
            warnings.append(f"per: {_show(params['per'])} is not month or day; used month")

    for key, limit in LIMITS.items():
        if key in params:
            with _Guard(key, warnings):
                number = _number(key, params[key], warnings)
                if number is not None:
                    values[limit.field] = int(number) if limit.integer else float(number)

    # Shares that must add up to at most 100%.
    batch = values.get("batch_share", 0.0)
    flex = values.get("flex_share", 0.0)
    prio = values.get("priority_share", 0.0)
    if batch + flex > 1 + 1e-9:
        values["flex_share"] = flex = round(1 - batch, 9)
        warnings.append(
            f"flex: batch + flex exceed 100%; used {_number_text(round(flex * 100, 6))}"
        )
    if batch + flex + prio > 1 + 1e-9:
        values["priority_share"] = prio = max(0.0, round(1 - batch - flex, 9))
        warnings.append(
            f"prio: batch + flex + priority exceed 100%; used {_number_text(round(prio * 100, 6))}"
        )

    models: list[str] = []
    if "models" in params:
        with _Guard("models", warnings):
            models = _models(params["models"], catalog, warnings)

    if "date" in params:
        with _Guard("date", warnings):
            raw = params["date"].strip()
            day = strict_date(raw)
            if day is None:
                warnings.append(
                    f"date: {_show(params['date'])} is not a date (YYYY-MM-DD); used today"
                )
            elif not MIN_DATE <= day <= MAX_DATE:
                warnings.append(f"date: {raw} is outside {MIN_DATE}..{MAX_DATE}; used today")
            else:
                values["as_of"] = day

    # The models and the baseline depend on the date: the defaults follow the price table,
    # and a model shut down (or not released) on the date is never the baseline by default.
    as_of = values.get("as_of") or dt.date.today()
    values["models"] = tuple(models) or DEFAULT_MODELS
    values["baseline"] = values["models"][0]
    with _Guard("models", warnings):
        if not models:
            values["models"] = default_models(as_of, catalog)
            used = f"used {', '.join(values['models'])}"
            warnings[:] = [w.replace(_USED_DEFAULTS, used) for w in warnings]
        values["baseline"] = default_baseline(values["models"], as_of, catalog)
    if "base" in params:
        with _Guard("base", warnings):
            try:
                base = catalog.resolve(params["base"]) if params["base"].strip() else ""
            except UnknownModelError:
                base = ""
            if base in values["models"]:
                values["baseline"] = base
            else:
                warnings.append(
                    f"base: {_show(params['base'])} is not one of the models compared; "
                    f"used {values['baseline']}"
                )

    known = {
        "v",
        "name",
        "preset",
        "per",
        "models",
        "base",
        "date",
        *LIMITS,
        *STREAMLIT_PARAMS,
        *VIEW_PARAMS,
    }
    for key in params:
        if key not in known:
            warnings.append(f"{_show(key)[1:-1]}: not a link parameter; ignored")
    return Decoded(Scenario(**values), warnings, version)


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
    from pricing.cost import monthly_cost

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


_USED_DEFAULTS = "used the default models"
"""Stands in a warning until the date is read; then replaced by the models used."""


def _models(raw: str, catalog: Catalog, warnings: list[str]) -> list[str]:
    models: list[str] = []
    unknown: list[str] = []
    names = [n.strip() for n in raw.split(",") if n.strip()]
    for name in names:
        try:
            model_id = catalog.resolve(name, suggest=False)  # no fuzzy matching: linear cost
        except UnknownModelError:
            unknown.append(name)
            continue
        if model_id not in models:
            models.append(model_id)
    for name in unknown[:MAX_UNKNOWN_NAMED]:
        warnings.append(f"models: unknown model {_show(name)} left out")
    if len(unknown) > MAX_UNKNOWN_NAMED:
        more = len(unknown) - MAX_UNKNOWN_NAMED
        warnings.append(f"models: {more:,} more unknown model{'s' if more != 1 else ''} left out")
    if len(models) > MAX_MODELS:
        warnings.append(f"models: more than {MAX_MODELS} models; kept the first {MAX_MODELS}")
        models = models[:MAX_MODELS]
    if not models:
        warnings.append(f"models: no known model in {_show(raw)}; {_USED_DEFAULTS}")
    return models


def decode_url(url: str, catalog: Catalog | None = None) -> Decoded:
    """``decode`` of the query part of a full or relative URL."""
    return decode(url.split("?", 1)[1] if "?" in url else "", catalog)


def base_of(url: str) -> str:
    """The app's base address in a page URL: ``http://h:8501/compare?x`` -> ``http://h:8501``.

    A relative or empty URL gives ``""`` (links are then relative, ``./?v=1&...``).
    """
    address = url.split("#", 1)[0].split("?", 1)[0]
    if "://" not in address:
        return ""
    scheme, rest = address.split("://", 1)
    host, _, path = rest.partition("/")
    parts = [p for p in path.split("/") if p]
    if parts and parts[-1] in PAGE_PATHS:
        parts = parts[:-1]
    return f"{scheme}://{host}" + "".join(f"/{p}" for p in parts)


PAGE_PATHS = ("compare", "tokenize", "prices", "budget", "source-check", "usage")
"""The app's page URL paths (``base_of`` strips them)."""
