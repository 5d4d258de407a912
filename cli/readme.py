"""README.md's reference tables, written from the code that reads what they describe, so they
cannot drift: ``python -m cli.readme`` rewrites every block between its markers, and
``tests/cli/test_readme.py`` fails when a block differs from what this module writes.

A block starts with ``<!-- NAME: written by `python -m cli.readme` ... -->`` and ends with
``<!-- end of NAME -->``; ``BLOCKS`` maps each NAME to the function that writes it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from pricing import reference as price_file
from scenarios import fields, report_csv
from scenarios.links import budget as budget_link
from scenarios.links import compare as compare_link

README = Path(__file__).resolve().parents[1] / "README.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("%%", "%")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _figure_row(spec: fields.Field, key: str) -> tuple[str, ...]:
    written = "percent" if spec.percent else spec.unit
    flag = f"`{spec.option}`" if spec.option else ""
    return (f"`{key}`", spec.help, written, spec.bounds_text, spec.text(spec.default), flag)


def link_parameters() -> str:
    """The Compare link's parameters (``scenarios.links.compare``: the figures of
    ``scenarios.fields`` and ``TEXT_PARAMS``), then the Budget link's."""
    table = fields.figures()
    rows = []
    for key in compare_link.SCENARIO_PARAMS:
        if key in table:
            rows.append(_figure_row(table[key], key))
        else:
            rows.append((f"`{key}`", compare_link.TEXT_PARAMS[key], "text", "", "", ""))
    header = ("parameter", "what it says", "written as", "range", "default", "command line")
    budget = budget_link.BUDGET
    keys = ", ".join(f"`{budget_link.PREFIX}{k}`" for k in budget_link.SCENARIO_KEYS)
    return (
        _table(header, rows)
        + f"\nThe Budget page's link: `{budget_link.PREFIX}{budget.key}` ({budget.help}, "
        f"{budget.bounds_text}, default {budget.text(budget.default)}) and the Compare "
        f"parameters it uses, with the `{budget_link.PREFIX}` prefix: {keys}.\n"
    )


UNITS = (
    ("_usd_per_month", "USD per month"),
    ("_usd_next_12_months", "USD, the next 12 months"),
    ("_usd_per_1k_requests", "USD per 1,000 requests"),
    ("_display_per_month", "display currency per month"),
    ("_display_next_12_months", "display currency, the next 12 months"),
    ("_tokens_per_month", "tokens per month"),
    ("_tokens_per_request", "tokens per request"),
    ("_calls_per_request", "calls per request"),
    ("_per_request", "per request"),
    ("requests_per_month", "requests per month"),
    ("_pct", "percent"),
    ("_px", "pixels"),
    ("_per_usd", "units per USD"),
)
"""A CSV header's unit, read from how it ends (the headers carry their units)."""


def _unit(header: str) -> str:
    return next((unit for end, unit in UNITS if header.endswith(end)), "")


def csv_columns() -> str:
    """The comparison CSV's columns (``scenarios.report_csv.COMPARISON_COLUMNS`` with the fields'
    columns), each with its unit and where its value comes from."""
    figures = {f.csv: f for f in (*fields.FIELDS, *fields.TRAFFIC_FIELDS) if f.csv}
    rows = []
    for header, source in report_csv.comparison_columns().items():
        if header in figures:
            spec = figures[header]
            where = f"the scenario's `{spec.key}`: {spec.help}"
        elif source is None:
            where = "the scenario"
        else:
            where = f"each row's `{source}`"
        rows.append((f"`{header}`", _unit(header), where))
    return _table(("column", "unit", "value"), rows)


def price_file_fields() -> str:
    """Every field of a price file, from the models that read it (``pricing.reference``)."""
    return _table(price_file.FIELD_HEADER, list(price_file.field_rows()))


BLOCKS: dict[str, Callable[[], str]] = {
    "link-parameters": link_parameters,
    "csv-columns": csv_columns,
    "price-file-fields": price_file_fields,
}
"""Block name -> the function that writes it."""

BEGIN = "<!-- {name}: written by `python -m cli.readme`"
END = "<!-- end of {name} -->"


def _span(text: str, name: str) -> tuple[int, int]:
    """Where block ``name``'s content starts (after its first marker line) and ends."""
    begin = re.search(re.escape(BEGIN.format(name=name)) + r"[^\n]*\n", text)
    end = text.find(END.format(name=name))
    if begin is None or end < begin.end():
        raise ValueError(f"README.md has no block {name!r} (markers {BEGIN.format(name=name)!r})")
    return begin.end(), end


def block(text: str, name: str) -> str:
    """Block ``name``'s content as the README holds it."""
    start, end = _span(text, name)
    return text[start:end]


def rewrite(text: str) -> str:
    """``text`` with every block written anew."""
    for name, write in BLOCKS.items():
        start, end = _span(text, name)
        text = text[:start] + write() + text[end:]
    return text


def main() -> int:
    text = README.read_text(encoding="utf-8")
    README.write_text(rewrite(text), encoding="utf-8")
    print(f"wrote {', '.join(BLOCKS)} into {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
