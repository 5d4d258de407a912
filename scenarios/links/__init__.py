"""Share links: one codec per page, and the readers they share. Pure (no streamlit).

* ``scenarios.links.compare``: the Compare scenario <-> ``?v=1&req=...`` (the app's root);
* ``scenarios.links.budget``: the Budget page's ``bud_*`` parameters;
* ``scenarios.links.prices``: the Prices page's ``prices_*`` parameters.

This module holds what every decoder reads the same way: the query parameters of any input
(``params``) and a link's date (``date_param``). Numbers, dates and text as written are read in
``scenarios.written``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl

from pricing.reasons import Problem
from scenarios.written import MAX_DATE, MIN_DATE, parse_date, show

STREAMLIT_PARAMS = ("embed", "embed_options")
"""Query parameters Streamlit itself reads; never warned about, never removed."""


def params(query: str | Mapping | Iterable | None) -> dict[str, str]:
    """Any query string, mapping or pairs as ``{key: value}``: keys trimmed and lower-cased, the
    last value wins for repeated keys; bytes and odd types become text."""
    if query is None:
        return {}
    if isinstance(query, (bytes, bytearray)):
        query = bytes(query).decode("utf-8", "replace")
    if isinstance(query, str):
        text = query.split("#", 1)[0]  # the fragment first: a browser never sends it
        text = text.split("?", 1)[1] if "?" in text else text
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


MAX_UNKNOWN_PARAMS = 5
"""Unknown parameters named one by one; the rest are one summary warning (a 128 KB link of
junk gives six lines, not 15,000)."""


def unknown_params(keys: Iterable[str], page: str, warnings: list[Problem]) -> None:
    """A warning for each of the first ``MAX_UNKNOWN_PARAMS`` unknown ``keys`` (``page``: the
    page named in it, ``"Budget "``; empty for Compare), then one for how many more."""
    keys = list(keys)
    for key in keys[:MAX_UNKNOWN_PARAMS]:
        warnings.append(Problem(show(key)[1:-1], "unknown_param", page=page))
    more = len(keys) - MAX_UNKNOWN_PARAMS
    if more > 0:
        s = "" if more == 1 else "s"
        warnings.append(Problem("", "more_unknown_params", more=f"{more:,}", s=s, page=page))


def date_param(
    key: str, raw: str, warnings: list[Problem], default: dt.date | None = None
) -> dt.date | None:
    """A link's date parameter: ``YYYY-MM-DD`` within ``MIN_DATE``..``MAX_DATE``; otherwise a
    warning naming ``key`` and what was used instead (``default``, or today when None), and
    ``default`` is returned."""
    used = str(default) if default is not None else "today"
    text = raw.strip()
    day = parse_date(text)
    if day is None:
        warnings.append(Problem(key, "not_a_date", given=show(raw), used=used))
        return default
    if not MIN_DATE <= day <= MAX_DATE:
        warnings.append(
            Problem(key, "date_outside", given=text, low=MIN_DATE, high=MAX_DATE, used=used)
        )
        return default
    return day
