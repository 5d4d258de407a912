"""The Prices page's link: ``prices_tab`` (table | history | changes), ``prices_as_of``,
``prices_all`` (1 shows every column), ``prices_available`` (1, the default: only models
available on the date; 0 also shows those shut down by then), ``prices_model``,
``prices_before``, ``prices_after``. Pure (no streamlit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pricing.catalog import Catalog
from scenarios import links, written

PREFIX = "prices_"
TABS = {"table": "Table as of a date", "history": "One model's history", "changes": "What changed"}
"""Link value -> tab label."""
DEFAULT_MODEL = "gpt-4o"
DEFAULT_BEFORE = dt.date(2024, 6, 1)


def decode_params(
    params: Mapping, model_ids: Sequence[str], today: dt.date, catalog: Catalog | None = None
) -> tuple[dict, list[str]]:
    """The page's view from any query parameters, and warnings naming each bad parameter and
    what was used instead. Only ``prices_*`` keys are read. Never raises."""
    values = {
        "tab": "table",
        "as_of": today,
        "all": False,
        "available": True,
        "model": DEFAULT_MODEL if DEFAULT_MODEL in model_ids else model_ids[0],
        "before": DEFAULT_BEFORE,
        "after": today,
    }
    warnings: list[str] = []
    raw = {k: v for k, v in links.params(params).items() if k.startswith(PREFIX)}
    for key, text in raw.items():
        name = key[len(PREFIX) :]
        if name == "tab":
            choice = text.strip().lower()
            if choice in TABS:
                values["tab"] = choice
            else:
                warnings.append(
                    f"{key}: {written.show(text)} is not one of {', '.join(TABS)}; used table"
                )
        elif name in ("as_of", "before", "after"):
            values[name] = links.date_param(key, text, warnings, values[name])
        elif name in ("all", "available"):
            flag = text.strip().lower()
            default = "1" if values[name] else "0"
            if flag in ("1", "true", "yes", "0", "false", "no", ""):
                values[name] = flag in ("1", "true", "yes") if flag else values[name]
            else:
                warnings.append(f"{key}: {written.show(text)} is not 1 or 0; used {default}")
        elif name == "model":
            try:
                model = catalog.resolve(text) if catalog else text.strip()
            except ValueError:
                model = None
            if model in model_ids:
                values["model"] = model
            else:
                warnings.append(
                    f"{key}: unknown model {written.show(text)}; used {values['model']}"
                )
        else:
            warnings.append(f"{key}: not a Prices link parameter; ignored")
    return values, warnings


def to_params(values: Mapping) -> dict[str, str]:
    """The view as link parameters (defaults included, so a link reads on its own)."""
    return {
        PREFIX + "tab": values["tab"],
        PREFIX + "as_of": values["as_of"].isoformat(),
        PREFIX + "all": "1" if values["all"] else "0",
        PREFIX + "available": "1" if values.get("available", True) else "0",
        PREFIX + "model": values["model"],
        PREFIX + "before": values["before"].isoformat(),
        PREFIX + "after": values["after"].isoformat(),
    }
