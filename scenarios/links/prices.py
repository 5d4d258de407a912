"""The Prices page's link: ``prices_tab`` (table | history | changes), ``prices_date`` (the
pricing date, spelt as the other links spell it: ``date``, ``bud_date``; ``prices_as_of``, its
old name, is still read),
``prices_all`` (1 shows every column), ``prices_available`` (1, the default: only models
available on the date; 0 also shows those shut down by then), ``prices_model``,
``prices_before``, ``prices_after``. Pure (no streamlit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pricing.catalog import Catalog
from pricing.reasons import Problem
from scenarios import links, written

PREFIX = "prices_"
TABS = {"table": "Table as of a date", "history": "One model's history", "changes": "What changed"}
"""Link value -> tab label."""
DEFAULT_MODEL = "gpt-4o"
DEFAULT_BEFORE = dt.date(2024, 6, 1)
OLD_NAMES = {"as_of": "date"}
"""Parameters of older links, read under their new name (a problem names the one given)."""


def decode_params(
    params: Mapping, model_ids: Sequence[str], today: dt.date, catalog: Catalog | None = None
) -> tuple[dict, list[str]]:
    """The page's view from any query parameters, and warnings naming each bad parameter and
    what was used instead. Only ``prices_*`` keys are read. Never raises."""
    values = {
        "tab": "table",
        "date": today,
        "all": False,
        "available": True,
        "model": DEFAULT_MODEL if DEFAULT_MODEL in model_ids else model_ids[0],
        "before": DEFAULT_BEFORE,
        "after": today,
    }
    warnings: list[Problem] = []
    raw = {k: v for k, v in links.params(params).items() if k.startswith(PREFIX)}
    unknown = []
    for key, text in raw.items():
        name = OLD_NAMES.get(key[len(PREFIX) :], key[len(PREFIX) :])
        if name == "tab":
            choice = text.strip().lower()
            if choice in TABS:
                values["tab"] = choice
            else:
                choices = f"one of {', '.join(TABS)}"
                given = written.show(text)
                warnings.append(
                    Problem(key, "not_one_of", given=given, choices=choices, then="used table")
                )
        elif name in ("date", "before", "after"):
            values[name] = links.date_param(key, text, warnings, values[name])
        elif name in ("all", "available"):
            flag = text.strip().lower()
            default = "1" if values[name] else "0"
            if flag in ("1", "true", "yes", "0", "false", "no", ""):
                values[name] = flag in ("1", "true", "yes") if flag else values[name]
            else:
                given, then = written.show(text), f"used {default}"
                warnings.append(
                    Problem(key, "not_one_of", given=given, choices="1 or 0", then=then)
                )
        elif name == "model":
            try:
                model = catalog.resolve(text) if catalog else text.strip()
            except ValueError:
                model = None
            if model in model_ids:
                values["model"] = model
            else:
                then = f"used {values['model']}"
                warnings.append(Problem(key, "unknown_model", given=written.show(text), then=then))
        else:
            unknown.append(key)
    links.unknown_params(unknown, "Prices ", warnings)
    return values, warnings


def to_params(values: Mapping) -> dict[str, str]:
    """The view as link parameters (defaults included, so a link reads on its own)."""
    return {
        PREFIX + "tab": values["tab"],
        PREFIX + "date": values["date"].isoformat(),
        PREFIX + "all": "1" if values["all"] else "0",
        PREFIX + "available": "1" if values.get("available", True) else "0",
        PREFIX + "model": values["model"],
        PREFIX + "before": values["before"].isoformat(),
        PREFIX + "after": values["after"].isoformat(),
    }
