"""Read one data file (TOML) and validate it with a pydantic model: the one loader of the price
files, the judged files, the audit stamp, the claims file and the presets, with one wording for
what is wrong with a file::

    <file>: [<item>: ...]field <path>: <problem>

``<item>`` names the entry of an array of tables the problem is in, as the reader says it
(``model gpt-4o: price entry 2024-10-01``, ``claim 000-gpt4-input``, ``judged entry 1 (model
o3)``); ``<path>`` is the field inside it (``batch.input``), ``(entry)`` for the entry as a whole
and ``(file)`` for the whole file. Several problems are joined with ``"; "``. A file that cannot
be read at all says ``<file>: cannot be read: ...``, ``not UTF-8 text: ...`` or ``not valid TOML:
...``. Every such error is a ``DataFileError`` (a reader raises its own subclass of it).

No streamlit, no cli: the pages and commands show the message as it is.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Schema = TypeVar("Schema", bound=BaseModel)

PROBLEMS = {"extra_forbidden": "unknown key", "missing": "required field is missing"}
"""pydantic error types worded our way; any other error keeps pydantic's message."""


class DataFileError(ValueError):
    """A data file cannot be read or is malformed; the message names the file, the entry and
    the field (see the module docstring)."""


def problem(file: str, field_path: str, message: str, where: Sequence[str] = ()) -> str:
    """One problem in the one wording: ``file: where...: field path: message``."""
    return ": ".join((file, *where, f"field {field_path}", message))


@dataclass(frozen=True)
class Items:
    """How a problem inside an array of tables names its entry: ``label(index, entry)`` (the
    entry as written, ``{}`` when it is not a table), and the arrays inside an entry."""

    label: Callable[[int, Mapping[str, Any]], str]
    inner: Mapping[str, Items] = field(default_factory=dict)


def named(noun: str, *keys: str, inner: Mapping[str, Items] | None = None) -> Items:
    """Entries named by the first of ``keys`` they have: ``model gpt-4o``, else ``model #3``."""

    def label(index: int, entry: Mapping[str, Any]) -> str:
        name = next((entry[key] for key in keys if entry.get(key)), None)
        return f"{noun} {name or f'#{index + 1}'}"

    return Items(label, inner or {})


def numbered(noun: str, key: str) -> Items:
    """Entries named by their number, and ``key`` where they have it: ``judged entry 1 (model
    o3)``."""

    def label(index: int, entry: Mapping[str, Any]) -> str:
        value = entry.get(key)
        return f"{noun} {index + 1}" + (f" ({key} {value})" if value else "")

    return Items(label)


def read_toml(path: Path, name: str, error: type[DataFileError], *, decimal: bool = False) -> dict:
    """``path`` parsed (floats as ``Decimal`` with ``decimal``), or ``error`` naming ``name``."""
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text, parse_float=Decimal if decimal else float)
    except OSError as exc:
        raise error(f"{name}: cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{name}: not UTF-8 text: {exc.reason}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{name}: not valid TOML: {exc}") from None


def describe(name: str, raw: Mapping[str, Any], error: Mapping, items: Mapping[str, Items]) -> str:
    """One pydantic error in the one wording, its entries named as ``items`` says."""
    loc, where, data = list(error["loc"]), [], raw
    while len(loc) >= 2 and loc[0] in items and isinstance(loc[1], int):
        spec, index = items[loc[0]], loc[1]
        entries = data.get(loc[0])
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
        data = entry if isinstance(entry, Mapping) else {}
        where.append(spec.label(index, data))
        items, loc = spec.inner, loc[2:]
    field_path = ".".join(str(part) for part in loc) or ("(entry)" if where else "(file)")
    return problem(name, field_path, PROBLEMS.get(error["type"], error["msg"]), where)


def load(
    path: Path,
    schema: type[Schema],
    error: type[DataFileError] = DataFileError,
    *,
    name: str | None = None,
    items: Mapping[str, Items] | None = None,
    decimal: bool = False,
    defaults: Mapping[str, Any] | None = None,
) -> Schema:
    """``path`` read and validated with ``schema``, or ``error`` saying every problem.

    ``name`` is how the messages name the file (default: its name); ``items`` names the entries
    of its arrays of tables; ``decimal`` reads floats as ``Decimal`` (prices, exactly as
    written); ``defaults`` fills keys the file does not set (a preset's ``id``: its file name).
    """
    name = name or path.name
    raw = read_toml(path, name, error, decimal=decimal)
    for key, value in (defaults or {}).items():
        raw.setdefault(key, value)
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        problems = (describe(name, raw, err, items or {}) for err in exc.errors())
        raise error("; ".join(problems)) from None
