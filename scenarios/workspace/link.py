"""The portfolio view's link: ``workspace?team=...&budget=500&months=12&date=2026-12-07
&selection=Support%20bot&selection=Search``. Pure (no streamlit).

``selection`` is repeated, one saved scenario's name each (a name may hold any character, a
comma included); none: every scenario of the team. ``decode`` reads any query and never raises:
a bad value is a warning naming it and the value used instead, as the Compare link does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode

from pricing import clock
from scenarios import written
from scenarios.workspace.models import MAX_NAME, MAX_TEAM

PAGE = "workspace"
"""The workspace page's URL path (``scenarios.links.compare.PAGE_PATHS``)."""
DEFAULT_BUDGET = 500.0
MAX_BUDGET = 1_000_000_000.0
DEFAULT_MONTHS = 12
MAX_MONTHS = 60
MAX_SELECTION = 100
PARAMS = ("team", "budget", "months", "date", "selection")


@dataclass(frozen=True)
class View:
    """What the portfolio view shows: a team's scenarios (or a selection of them), a monthly
    budget in USD, the horizon in months, and the first month's date."""

    team: str = ""
    budget: float = DEFAULT_BUDGET
    months: int = DEFAULT_MONTHS
    start: dt.date | None = None
    """None: today."""
    selection: tuple[str, ...] = ()
    """Names of saved scenarios; empty: all of the team's."""


@dataclass(frozen=True)
class Decoded:
    view: View
    warnings: list[str] = field(default_factory=list)


def to_params(view: View) -> list[tuple[str, str]]:
    """The view as (key, value) pairs, ``selection`` repeated."""
    pairs = [("team", view.team)] if view.team else []
    pairs.append(("budget", f"{view.budget:g}" if view.budget < 1e15 else str(view.budget)))
    pairs.append(("months", str(view.months)))
    if view.start is not None:
        pairs.append(("date", view.start.isoformat()))
    pairs.extend(("selection", name) for name in view.selection)
    return pairs


def encode(view: View) -> str:
    return urlencode(to_params(view), quote_via=quote)


def url(view: View, base: str = "") -> str:
    """``./workspace?...`` or ``{base}/workspace?...``."""
    return f"{base.rstrip('/')}/{PAGE}?{encode(view)}" if base else f"./{PAGE}?{encode(view)}"


def _pairs(query: str | Mapping | Iterable | None) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, str):
        text = query.split("#", 1)[0]
        text = text.split("?", 1)[1] if "?" in text else text
        return parse_qsl(text, keep_blank_values=True, errors="replace")
    if isinstance(query, Mapping):
        out = []
        for key, value in query.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            out.extend((str(key), "" if v is None else str(v)) for v in values)
        return out
    return [(str(k), str(v)) for k, v in query]


def decode(query: str | Mapping | Iterable | None) -> Decoded:
    """A view and warnings from any query (string, mapping of lists, or pairs). Never raises."""
    warnings: list[str] = []
    single: dict[str, str] = {}
    selection: list[str] = []
    for key, value in _pairs(query):
        key = key.strip().lower()
        if key == "selection":
            name = value.strip()
            if name and name not in selection:
                selection.append(name[:MAX_NAME])
        else:
            single[key] = value
    team = single.get("team", "").strip()
    if len(team) > MAX_TEAM:
        warnings.append(f"team: longer than {MAX_TEAM} characters; shortened")
        team = team[:MAX_TEAM]
    budget = DEFAULT_BUDGET
    if "budget" in single:
        number = _number(single["budget"])
        if number is None or not 0 <= number <= MAX_BUDGET:
            warnings.append(
                f"budget: {written.show(single['budget'])} is not 0 to {MAX_BUDGET:,.0f} USD; "
                f"used {DEFAULT_BUDGET:g}"
            )
        else:
            budget = number
    months = DEFAULT_MONTHS
    if "months" in single:
        number = _number(single["months"])
        if number is None or number != int(number) or not 1 <= number <= MAX_MONTHS:
            warnings.append(
                f"months: {written.show(single['months'])} is not a whole number from 1 to "
                f"{MAX_MONTHS}; used {DEFAULT_MONTHS}"
            )
        else:
            months = int(number)
    start = None
    if "date" in single:
        day = written.parse_date(single["date"].strip())
        if day is None or not written.MIN_DATE <= day <= written.MAX_DATE:
            warnings.append(
                f"date: {written.show(single['date'])} is not a date (YYYY-MM-DD); used today, "
                f"{clock.today()}"
            )
        else:
            start = day
    if len(selection) > MAX_SELECTION:
        warnings.append(f"selection: {len(selection):,} names; the first {MAX_SELECTION} used")
        selection = selection[:MAX_SELECTION]
    unknown = [k for k in single if k not in PARAMS and k not in ("embed", "embed_options")]
    for key in unknown[:5]:
        warnings.append(f"{written.show(key[:40])}: not a parameter of this page; ignored")
    return Decoded(View(team, budget, months, start, tuple(selection)), warnings)


def _number(text: str) -> float | None:
    value, _ = written.parse_number(text.strip())
    return value
