"""Share links: a Compare scenario <-> URL query parameters. Pure (no streamlit).

A link is short and readable, versioned, and pins the pricing date::

    ./?v=1&req=100000&in=1500&out=300&cached=50&models=gpt-4.1-mini,gpt-4o-mini
      &base=gpt-4.1-mini&date=2025-06-01

Compare is the app's default page, so its links point at the app's root.

Its parameters (format version 1) are the figures of ``scenarios.fields`` by their ``key``
(shares and growth in **percent**) and ``TEXT_PARAMS``; the README's table of them is written
from both (``python -m cli.readme``). The traffic figures and texts are left out at their
default, and a part's details are read only with the part (``ORPHANS``).

``decode`` accepts ANY query string (or mapping) and always returns a valid ``Scenario`` plus a
list of warnings, each naming the parameter, what was wrong and what was used instead. It never
raises. ``encode`` / ``compare_url`` write the canonical form that ``decode`` reads back exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from urllib.parse import quote, urlencode

from pricing import book, clock
from pricing.catalog import Catalog, UnknownModelError, load_catalog
from pricing.reasons import Problem
from pricing.workload import Workload
from scenarios import fields, links, written
from scenarios.currency import USD, display_currency
from scenarios.scenario import (
    MAX_MODELS,
    MAX_NAME,
    MAX_OWN,
    MAX_PRESET,
    ROUTES,
    SHAPES,
    OwnTokens,
    Scenario,
    complete,
    figure_values,
)

FORMAT_VERSION = 1
MAX_UNKNOWN_NAMED = 3
"""Unknown models of a link named one by one; the rest are one warning, "9,997 more"."""

VIEW_PARAMS = ("tab",)
"""Query parameters of the page's view (which chart tab is open), not of the scenario; the page
reads them, the decoder accepts them without a warning."""


@dataclass(frozen=True)
class Decoded:
    scenario: Scenario
    warnings: list[Problem]
    version: int = FORMAT_VERSION


# -- encoding ---------------------------------------------------------------------------------


def to_params(scenario: Scenario) -> dict[str, str]:
    """The scenario as link parameters (canonical order, optional defaults left out)."""
    params: dict[str, str] = {"v": str(FORMAT_VERSION)}
    if scenario.name:
        params["name"] = scenario.name
    if scenario.preset:
        params["preset"] = scenario.preset
    for spec in fields.FIELDS:
        value = float(getattr(scenario, spec.name))
        if scenario.is_session and spec.box in REQUEST_BOXES and value == spec.default:
            continue
        if not spec.always_written and value == spec.default:
            continue
        params[spec.key] = spec.text(value)
        if spec.key == "req" and scenario.per == "day" and not scenario.is_session:
            params["per"] = "day"
    params["models"] = ",".join(scenario.models)
    params["base"] = scenario.baseline
    params["date"] = scenario.as_of.isoformat()
    params.update(traffic_params(scenario))
    params.update(session_params(scenario))
    if scenario.own:
        params["own"] = ",".join(own_text(o) for o in scenario.own)
    params.update(book.link_text(scenario.book)[0])
    return params


def book_note(scenario: Scenario) -> str:
    """Why the scenario's price book is not in its link ("" when it is, or there is none)."""
    return book.link_text(scenario.book)[1]


OWN_FIELDS = ("input_tokens", "output_tokens", "reasoning_tokens", "cached_share")
"""A model's own tokens in a link, ``own=MODEL:IN:OUT:RSN:CACHED%:TASKS:PASSES``, each figure
written and bounded as its field of ``scenarios.fields``."""


def own_text(own: OwnTokens) -> str:
    table = fields.by_name()
    figures = [table[name].text(getattr(own, name)) for name in OWN_FIELDS]
    return ":".join([own.model, *figures, str(own.tasks), str(own.passes)])


def _own(raw: str, catalog: Catalog, warnings: list[Problem]) -> tuple[OwnTokens, ...]:
    """``own=...`` read: an entry that cannot be read is left out with a warning naming it."""
    table = fields.by_name()
    found: dict[str, OwnTokens] = {}
    for entry in [e for e in raw.split(",") if e.strip()][: MAX_OWN * 4]:
        parts = entry.strip().split(":")
        shown = written.show(entry[:80])
        if len(parts) != 7:
            warnings.append(Problem("own", "own_entry", given=shown, why="needs 7 parts"))
            continue
        try:
            model = catalog.resolve(parts[0], suggest=False)
        except UnknownModelError:
            warnings.append(Problem("own", "own_entry", given=shown, why="unknown model"))
            continue
        values, bad = {}, None
        for name, text in zip(OWN_FIELDS, parts[1:5], strict=True):
            spec = table[name]
            number, _ = spec.parse(text)
            if number is None or not spec.low * spec.scale <= number <= spec.high * spec.scale:
                bad = f"{spec.key} {text[:20]!r} is not {spec.bounds_text}"
                break
            values[name] = spec.core(number)
        counts = [p.strip() for p in parts[5:]]
        if bad is None and not all(c.isdigit() and len(c) <= 9 for c in counts):
            bad = "tasks and passes must be whole numbers"
        if bad is None and int(counts[1]) > int(counts[0]):
            bad = "more passes than tasks"
        if bad is not None:
            warnings.append(Problem("own", "own_entry", given=shown, why=bad))
            continue
        found.setdefault(
            model, OwnTokens(model, **values, tasks=int(counts[0]), passes=int(counts[1]))
        )
    if len(found) > MAX_OWN:
        warnings.append(Problem("own", "too_many_models", most=MAX_OWN))
    return tuple(found.values())[:MAX_OWN]


def session_params(scenario: Scenario) -> dict[str, str]:
    """A session workload's parameters (``shape=sessions`` and the session fields: those
    always written, the others where they differ from their default); none for requests."""
    if not scenario.is_session:
        return {}
    out = {"shape": "sessions"}
    for spec in fields.SESSION_FIELDS:
        value = float(getattr(scenario, spec.name))
        if spec.always_written or value != spec.default:
            out[spec.key] = spec.text(value)
    if scenario.per == "day":
        out["per"] = "day"
    return out


def traffic_params(scenario: Scenario) -> dict[str, str]:
    """Retries, images, the routed mix and the display currency as link parameters: only
    what differs from the defaults, and a part's details only when the part is on."""
    out: dict[str, str] = {}
    table = fields.figures(fields.TRAFFIC)

    def figure(key: str) -> None:
        out[key] = table[key].text(getattr(scenario, table[key].name))

    if scenario.retry_share:
        figure("retry")
    if scenario.images_per_request:
        figure("img")
        figure("imgw")
        figure("imgh")
        if scenario.image_detail != "high":
            out["detail"] = scenario.image_detail
    if scenario.web_search_calls:
        figure("web")
    if scenario.file_search_calls:
        figure("file")
    if scenario.routing() is not None:
        out["route"] = scenario.route
        out["first"] = scenario.route_first
        out["second"] = scenario.route_second
        figure("esc")
        if scenario.route_answer and scenario.route == "cascade":
            out["answer"] = "1"
    if scenario.currency != USD:
        out["cur"] = scenario.currency
        if scenario.currency_rate:
            figure("rate")
    return out


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
    """A scenario from a workload dict (``Workload`` field names, in core units, plus optional
    ``growth``, ``months``, ``baseline``, ``name``, ``preset``, ``per``), checked like a link."""
    catalog = catalog or load_catalog()
    values = asdict(workload) if isinstance(workload, Workload) else dict(workload)
    warnings: list[Problem] = []
    given = {
        f.key: f.written(values[f.name]) for f in fields.FIELDS if values.get(f.name) is not None
    }
    checked = figure_values(given, warnings)
    text = {k: str(values[n]) for k, n in TEXT_FIELDS.items() if values.get(n)}
    checked.update(_text_values(text, warnings), as_of=as_of)
    known = _models(",".join(models), catalog, warnings)
    base = _base(text["base"], catalog) if "base" in text else None
    scenario = complete(checked, known, base, catalog, warnings, text.get("base"))
    return scenario, warnings


TEXT_FIELDS = {"per": "per", "base": "baseline", "name": "name", "preset": "preset"}
"""A workload dict's text values, by link key (``scenario_from_workload``)."""


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

TEXT_PARAMS = {
    "v": "format version (1)",
    "name": "scenario name (text, at most 80 characters)",
    "preset": "the preset the scenario started from (informational)",
    "per": "`month` or `day`: what `req` counts (a month is 30 days)",
    "models": "comma-separated model ids (at most 12; none: the default models of the date)",
    "base": "the baseline model (one of `models`)",
    "date": "pricing date, YYYY-MM-DD: the link shows the prices of that day",
    "detail": "`low` or `high`: the images' detail (with `img`)",
    "route": "`split` or `cascade`: a routed mix of `first` and `second`",
    "first": "the mix's first model (with `route`)",
    "second": "the model requests are split or escalated to (with `route`)",
    "answer": "`1`: escalated requests carry the first answer (a cascade)",
    "cur": "display currency (EUR, GBP, ...); figures stay USD, `rate` its units per USD",
    "shape": "`sessions`: the workload is sessions (the session figures); absent: requests",
    "own": "models priced on their own tokens per request, from an eval: "
    "`MODEL:IN:OUT:RSN:CACHED%:TASKS:PASSES`, comma-separated",
    "disc": "your discounts: `PROVIDER_OR_MODEL:PERCENT[:FROM:UNTIL]`, comma-separated",
    "ovr": "your price of one field: `MODEL:FIELD:USD_PER_1M[:FROM:UNTIL]`, comma-separated",
    "mine": "your private models: `ID:INPUT:OUTPUT:CACHED:WINDOW[:FROM:UNTIL]` (USD per 1M)",
}
"""The Compare link's parameters that are not figures, and what each says."""
TRAFFIC_TEXT = ("detail", "route", "first", "second", "answer", "cur")
SCENARIO_PARAMS = (
    *("v", "name", "preset", "per"),
    *fields.figures(fields.WORKLOAD),
    *("models", "base", "date"),
    *fields.figures(fields.TRAFFIC),
    *TRAFFIC_TEXT,
    "shape",
    *fields.figures(fields.SESSION),
    "own",
    *book.LINK_KEYS,
)
"""Every parameter of a Compare link."""


def decode(query: str | Mapping | Iterable | None, catalog: Catalog | None = None) -> Decoded:
    """A valid scenario and warnings from any query string or mapping. Never raises.

    Each parameter is read on its own: a bad value is named in a warning and replaced by its
    default (or clamped), and every other parameter is still read.
    """
    catalog = catalog or load_catalog()
    warnings: list[Problem] = []
    params = links.params(query)
    version = _version(params, warnings)
    values = _text_values(params, warnings)
    table = fields.figures()
    values.update(figure_values({k: v for k, v in params.items() if k in table}, warnings))
    if any(key in params for key in book.LINK_KEYS):
        values["book"], problems = book.from_text(params, catalog)
        warnings.extend(problems)
        catalog = book.apply(catalog, values["book"])  # its private models are models
    _traffic_values(params, values, catalog, warnings)
    _session_orphans(values, warnings)
    if "own" in params:
        values["own"] = _own(params["own"], catalog, warnings)
    models = _models(params["models"], catalog, warnings) if "models" in params else []
    day = links.date_param("date", params["date"], warnings) if "date" in params else None
    values["as_of"] = day or clock.today()  # a link without a (good) date: today's prices
    # The models and the baseline depend on the date: the defaults follow the price table,
    # and a model shut down (or not released) on the date is never the baseline by default.
    base = _base(params["base"], catalog) if "base" in params else None
    scenario = complete(values, models, base, catalog, warnings, params.get("base"))
    if not models:  # the models used are known once the date is
        used = f"used {', '.join(scenario.models)}"
        warnings[:] = [_with_models(w, used) for w in warnings]
    known = (*SCENARIO_PARAMS, *links.STREAMLIT_PARAMS, *VIEW_PARAMS)
    links.unknown_params([key for key in params if key not in known], "", warnings)
    return Decoded(scenario, warnings, version)


def _version(params: Mapping[str, str], warnings: list[Problem]) -> int:
    raw = params.get("v", str(FORMAT_VERSION)).strip()
    if not (raw.isdigit() and int(raw) == FORMAT_VERSION):
        given = written.show(params["v"])
        warnings.append(Problem("v", "unknown_version", given=given, version=FORMAT_VERSION))
    return FORMAT_VERSION


def _text_values(params: Mapping[str, str], warnings: list[Problem]) -> dict:
    """``name``, ``preset`` and ``per``, checked."""
    values: dict = {}
    if "name" in params:
        values["name"] = written.clean_text(params["name"], MAX_NAME)
        if len(params["name"]) > MAX_NAME:
            warnings.append(Problem("name", "shortened", most=MAX_NAME))
    if "preset" in params:
        values["preset"] = written.clean_text(params["preset"], MAX_PRESET)
    if "shape" in params:
        shape = params["shape"].strip().lower()
        if shape in SHAPES:
            values["shape"] = shape
        else:
            warnings.append(_not_one_of("shape", params["shape"], "sessions", "used requests"))
    if "per" in params:
        per = params["per"].strip().lower()
        if per in ("month", "day"):
            values["per"] = per
        else:
            warnings.append(_not_one_of("per", params["per"], "month or day", "used month"))
    return values


def _traffic_values(
    params: Mapping[str, str], values: dict, catalog: Catalog, warnings: list[Problem]
):
    """``detail``, the routed mix (``route``, ``first``, ``second``, ``answer``) and the display
    currency (``cur`` with ``rate``), checked; a mix that cannot be read is left out, whole."""
    if "detail" in params:
        detail = params["detail"].strip().lower()
        if detail in ("low", "high"):
            values["image_detail"] = detail
        else:
            warnings.append(_not_one_of("detail", params["detail"], "low or high", "used high"))
    if "answer" in params:
        answer = params["answer"].strip().lower()
        if answer in ("1", "0", "yes", "no", "true", "false"):
            values["route_answer"] = answer in ("1", "yes", "true")
        else:
            warnings.append(_not_one_of("answer", params["answer"], "1 or 0", "used 0"))
    if "route" in params:
        _route(params, values, catalog, warnings)
    elif "first" in params or "second" in params:
        warnings.append(Problem("route", "route_without_kind"))
    _orphans(params, values, warnings)
    if values.get("route") == "split" and values.get("route_answer"):
        values["route_answer"] = False
        warnings.append(Problem("answer", "answer_without_cascade"))
    if "cur" in params:
        rate = values.get("currency_rate") or None
        shown, problem = display_currency(params["cur"][:12], rate)
        if problem:
            warnings.append(Problem("cur", "currency", why=problem))
        values["currency"] = shown.code
        values["currency_rate"] = 0.0 if shown.reference or shown.code == USD else shown.rate


def _session_orphans(values: dict, warnings: list[Problem]) -> None:
    """Session figures in a link without ``shape=sessions`` are not kept (a warning each)."""
    if values.get("shape") == "sessions":
        return
    for spec in fields.SESSION_FIELDS:
        if spec.name in values:
            values[spec.name] = spec.default_value
            warnings.append(Problem(spec.key, "session_without_shape"))


REQUEST_BOXES = ("volume", "tokens")
"""The request-shape figures (requests, tokens per request, cached share): a session link
leaves them out (a session's figures replace them)."""


ORPHANS = {
    "img": ("imgw", "imgh", "detail"),
    "route": ("esc", "answer"),
    "cur": ("rate",),
}
"""A part's detail parameters, read only with the part itself (else reset, with a warning)."""
_DEFAULTS = Scenario.__dataclass_fields__


def _orphans(params: Mapping[str, str], values: dict, warnings: list[Problem]) -> None:
    """Details of a part that is off (images without ``img``, ``esc`` without a mix, ``rate``
    without ``cur``) are not kept: a link reads back as it was written."""
    fields = {
        "imgw": "image_width",
        "imgh": "image_height",
        "detail": "image_detail",
        "esc": "escalation",
        "answer": "route_answer",
        "rate": "currency_rate",
    }
    on = {
        "img": bool(values.get("images_per_request")),
        "route": bool(values.get("route")),
        "cur": "cur" in params,
    }
    for part, keys in ORPHANS.items():
        if on[part]:
            continue
        for key in keys:
            field = fields[key]
            if field in values:
                values[field] = _DEFAULTS[field].default
            if key in params:
                warnings.append(Problem(key, "detail_without_part", part=part))


def _route(params: Mapping[str, str], values: dict, catalog: Catalog, warnings: list[Problem]):
    kind = params["route"].strip().lower()
    if kind not in ROUTES:
        warnings.append(_not_one_of("route", params["route"], "split or cascade", "no mix"))
        return
    chosen = []
    for key in ("first", "second"):
        raw = params.get(key, "")
        try:
            chosen.append(catalog.resolve(raw.strip(), suggest=False) if raw.strip() else "")
        except UnknownModelError:
            warnings.append(Problem(key, "unknown_model", given=written.show(raw), then="no mix"))
            return
    first, second = chosen
    if not first or not second:
        warnings.append(Problem("route", "route_needs_models"))
        return
    if first == second:
        warnings.append(Problem("route", "route_same_models", model=first))
        return
    values.update(route=kind, route_first=first, route_second=second)


def _base(raw: str, catalog: Catalog) -> str:
    """The model ``base`` names ("" when none: it is then not among the models)."""
    try:
        return catalog.resolve(raw) if raw.strip() else ""
    except UnknownModelError:
        return ""


_USED_DEFAULTS = "used the default models"
"""Stands in a problem until the date is read; then replaced by the models used."""


def _with_models(problem: Problem, used: str) -> Problem:
    """``problem`` naming the default models used, once they are known."""
    if getattr(problem, "code", None) == "no_known_model":
        return Problem(problem.key, problem.code, **{**problem.values, "then": used})
    return problem


def _not_one_of(key: str, raw: str, choices: str, then: str) -> Problem:
    return Problem(key, "not_one_of", given=written.show(raw), choices=choices, then=then)


def _models(raw: str, catalog: Catalog, warnings: list[Problem]) -> list[str]:
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
        warnings.append(Problem("models", "unknown_model_left_out", given=written.show(name)))
    if len(unknown) > MAX_UNKNOWN_NAMED:
        more = len(unknown) - MAX_UNKNOWN_NAMED
        s = "s" if more != 1 else ""
        warnings.append(Problem("models", "more_unknown_models", more=f"{more:,}", s=s))
    if len(models) > MAX_MODELS:
        warnings.append(Problem("models", "too_many_models", most=MAX_MODELS))
        models = models[:MAX_MODELS]
    if not models:
        given = written.show(raw)
        warnings.append(Problem("models", "no_known_model", given=given, then=_USED_DEFAULTS))
    return models


def decode_url(url: str, catalog: Catalog | None = None) -> Decoded:
    """``decode`` of the query part of a full or relative URL (never its fragment)."""
    address = url.split("#", 1)[0]
    return decode(address.split("?", 1)[1] if "?" in address else "", catalog)


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


PAGE_PATHS = (
    *("compare", "tokenize", "prices", "budget", "source-check", "usage", "tasks"),
    "workspace",
)
"""The app's page URL paths (``base_of`` strips them)."""
