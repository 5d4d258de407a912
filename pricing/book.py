"""Your own prices: a price book layered on top of the table (curated, then peer data, then yours).
Pure.

A book holds

* **discounts**: a percentage off every token price of a provider or of one model (tiers and
  long-context rates included; tool fees are not discounted), optionally from one date to another;
* **overrides**: one price field of one model set to your price, optionally dated;
* **private models**: a fine-tune or a self-hosted endpoint of your own, priced per token.

``apply(catalog, book)`` returns a new ``Catalog`` whose price histories carry them, so every
figure the core computes from it (the comparison, the projections, the CSV, the command line) is
priced with your book, and each model it touches says so (``ModelInfo.your_price``: "your price:
20% off openai"; the cost engine adds a ``your_price`` reason on the days a rule is in force).
A model's own discount replaces its provider's; an override is applied after the discount.
Applying the same book twice is applying it once.

A book file (TOML)::

    [[discount]]
    target = "openai"        # a provider id or a model id
    percent = 20
    from = 2026-01-01        # optional
    until = 2026-12-31       # optional, inclusive

    [[override]]
    model = "gpt-4.1-mini"
    field = "output"         # input, cached_input, cache_write, cache_write_1h, output
    price = 1.20             # USD per 1M tokens

    [[model]]
    id = "support-ft"        # lower-case letters, digits, '.' and '-'
    input = 0.30             # USD per 1M tokens
    output = 1.20
    cached_input = 0.075     # optional
    context_window = 128000  # optional (128,000)
    encoding = "o200k_base"  # optional: the tokenizer counts are made with (approximate)

Bad books (a negative or absurd price, a discount over 100%, an unknown model or provider, a
field that is not a price, dates in the wrong order, a private id the table already uses) are a
``PriceBookError`` naming the entry; a book that makes a model free is read, with a warning.

In a link a book is compact text (``to_text`` / ``from_text``): ``disc=openai:20,gpt-4.1:10``,
``ovr=gpt-4.1-mini:output:1.2``, ``mine=support-ft:0.3:1.2:0.075:128000`` (each entry may end
with ``:FROM:UNTIL``). A book longer than ``MAX_LINK_CHARS`` is not put in a link: the share box
says so and offers the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pricing.catalog import Catalog, ModelInfo
from pricing.reasons import Problem
from pricing.schema import ENCODINGS, PriceEntry

PRICE_FIELDS = ("input", "cached_input", "cache_write", "cache_write_1h", "output")
NESTED = ("batch", "flex", "priority", "long_context")
MAX_PRICE = Decimal(1_000_000)
"""USD per 1M tokens above which a price in a book is refused (no model costs that much)."""
MAX_RULES = 500
MAX_WINDOW = 100_000_000
MAX_LINK_CHARS = 1_500
"""A book whose link text is longer than this is not carried in a link."""
MAX_BOOK_BYTES = 1_000_000
PRIVATE_PROVIDER = "yours"
PRIVATE_SOURCE = "your price book"
MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]{0,63}$")
EARLIEST = dt.date(2000, 1, 1)
"""A private model without ``from`` is priced on every date from this one."""


class PriceBookError(ValueError):
    """A price book that cannot be applied (one line: the entry and what is wrong)."""


@dataclass(frozen=True)
class Span:
    start: dt.date | None = None
    end: dt.date | None = None

    def active(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def said(self) -> str:
        if self.start is None and self.end is None:
            return ""
        return f" ({self.start or '...'} to {self.end or '...'})"

    @property
    def link(self) -> str:
        if self.start is None and self.end is None:
            return ""
        return f":{self.start or ''}:{self.end or ''}"


@dataclass(frozen=True)
class Discount(Span):
    target: str = ""
    percent: Decimal = Decimal(0)

    @property
    def text(self) -> str:
        return f"{_number(self.percent)}% off {self.target}{self.said}"


@dataclass(frozen=True)
class Override(Span):
    model: str = ""
    field: str = "input"
    price: Decimal = Decimal(0)

    @property
    def text(self) -> str:
        return f"{self.field} ${_number(self.price)} on {self.model}{self.said}"


@dataclass(frozen=True)
class PrivateModel(Span):
    id: str = ""
    input: Decimal = Decimal(0)
    output: Decimal = Decimal(0)
    cached_input: Decimal | None = None
    context_window: int = 128_000
    encoding: str = "o200k_base"

    @property
    def text(self) -> str:
        return f"a private model of yours{self.said}"


@dataclass(frozen=True)
class PriceBook:
    discounts: tuple[Discount, ...] = ()
    overrides: tuple[Override, ...] = ()
    models: tuple[PrivateModel, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What reading found worth saying (a model the book makes free); not part of the book."""

    def __bool__(self) -> bool:
        return bool(self.discounts or self.overrides or self.models)

    def __len__(self) -> int:
        return len(self.discounts) + len(self.overrides) + len(self.models)

    def merged(self, other: PriceBook) -> PriceBook:
        return PriceBook(
            self.discounts + other.discounts,
            self.overrides + other.overrides,
            self.models + other.models,
            self.warnings + other.warnings,
        )

    @property
    def text(self) -> str:
        """One line: "20% off openai; output $1.2 on gpt-4.1-mini; 1 private model"."""
        parts = [r.text for r in (*self.discounts, *self.overrides)]
        if self.models:
            n = len(self.models)
            parts.append(
                f"{n} private model{'s' * (n != 1)} ({', '.join(m.id for m in self.models)})"
            )
        return "; ".join(parts)


NO_BOOK = PriceBook()
"""The table's own prices."""


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# -- reading ----------------------------------------------------------------------------------


def _decimal(value: object, where: str, low: Decimal, high: Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise PriceBookError(f"{where}: not a number ({_shown(value)})")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise PriceBookError(f"{where}: not a number ({_shown(value)})") from None
    if not number.is_finite() or not low <= number <= high:
        raise PriceBookError(f"{where}: must be {low} to {high} ({_shown(value)})")
    return number + 0  # -0 is 0


def _shown(value: object) -> str:
    text = str(value)[:40]
    return repr(text) if isinstance(value, str) else text


def _date(value: object, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PriceBookError(f"{where}: not a date YYYY-MM-DD ({_shown(value)})") from None


def _span(entry: dict, where: str) -> dict:
    start, end = (
        _date(entry.get("from"), f"{where}.from"),
        _date(entry.get("until"), f"{where}.until"),
    )
    if start and end and end < start:
        raise PriceBookError(f"{where}: until {end} is before from {start}")
    return {"start": start, "end": end}


def _target(name: str, catalog: Catalog, where: str) -> str:
    key = name.strip().lower()
    if key in {m.provider for m in catalog.models()}:
        return key
    try:
        return catalog.resolve(key, suggest=False)
    except (LookupError, ValueError):
        raise PriceBookError(
            f"{where}: {_shown(name)} is not a provider or a model of the table"
        ) from None


def _model(name: str, catalog: Catalog, where: str) -> str:
    try:
        return catalog.resolve(name.strip(), suggest=False)
    except (LookupError, ValueError):
        raise PriceBookError(f"{where}: {_shown(name)} is not a model of the table") from None


def _keys(entry: object, where: str, needed: set[str], allowed: set[str]) -> dict:
    if not isinstance(entry, dict):
        raise PriceBookError(f"{where}: not a table of fields")
    missing = needed - set(entry)
    if missing:
        raise PriceBookError(f"{where}: needs {', '.join(sorted(missing))}")
    extra = set(entry) - needed - allowed - {"from", "until"}
    if extra:
        raise PriceBookError(f"{where}: unknown field {sorted(extra)[0]!r}")
    return entry


def discount(entry: dict, catalog: Catalog, where: str) -> Discount:
    entry = _keys(entry, where, {"target", "percent"}, set())
    return Discount(
        **_span(entry, where),
        target=_target(str(entry["target"]), catalog, where),
        percent=_decimal(entry["percent"], f"{where}.percent", Decimal(0), Decimal(100)),
    )


def override(entry: dict, catalog: Catalog, where: str) -> Override:
    entry = _keys(entry, where, {"model", "field", "price"}, set())
    if entry["field"] not in PRICE_FIELDS:
        raise PriceBookError(
            f"{where}.field: one of {', '.join(PRICE_FIELDS)} ({_shown(entry['field'])})"
        )
    return Override(
        **_span(entry, where),
        model=_model(str(entry["model"]), catalog, f"{where}.model"),
        field=entry["field"],
        price=_decimal(entry["price"], f"{where}.price", Decimal(0), MAX_PRICE),
    )


def private_model(entry: dict, catalog: Catalog, where: str) -> PrivateModel:
    entry = _keys(
        entry, where, {"id", "input", "output"}, {"cached_input", "context_window", "encoding"}
    )
    model_id = str(entry["id"]).strip().lower()
    if not MODEL_ID.match(model_id):
        raise PriceBookError(
            f"{where}.id: {_shown(entry['id'])}: "
            "lower-case letters, digits, '.' and '-' (64 at most)"
        )
    try:
        catalog.resolve(model_id, suggest=False)
    except (LookupError, ValueError):
        pass
    else:
        raise PriceBookError(f"{where}.id: {model_id!r} is already a model of the table")
    price = {
        name: _decimal(entry[name], f"{where}.{name}", Decimal(0), MAX_PRICE)
        for name in ("input", "output", "cached_input")
        if name in entry
    }
    window = entry.get("context_window", 128_000)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW:
        raise PriceBookError(
            f"{where}.context_window: a whole number of tokens, 1 to {MAX_WINDOW:,}"
        )
    encoding = entry.get("encoding", "o200k_base")
    if encoding not in ENCODINGS:
        raise PriceBookError(f"{where}.encoding: one of {', '.join(ENCODINGS)}")
    if "cached_input" in price and price["cached_input"] > price["input"]:
        raise PriceBookError(f"{where}.cached_input: above input (a cache hit never costs more)")
    return PrivateModel(
        **_span(entry, where),
        id=model_id,
        context_window=window,
        encoding=encoding,
        **price,
    )


def checked(book: PriceBook, catalog: Catalog, name: str = "price book") -> PriceBook:
    """``book`` with its warnings, after the checks that need every rule: the size, private ids
    used twice, and models the book makes free."""
    if len(book) > MAX_RULES:
        raise PriceBookError(f"{name}: {len(book):,} entries; {MAX_RULES} at most")
    ids = [m.id for m in book.models]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise PriceBookError(f"{name}: private model {twice[0]!r} is given twice")
    warnings = []
    applied = apply(catalog, replace(book, warnings=()))
    for model in applied.models():
        if not model.your_rules:
            continue
        free = [e.effective for e in model.prices if e.input == 0 and e.output == 0]
        if free:
            warnings.append(f"{name}: makes {model.id} free (input and output $0 from {free[0]})")
    return replace(book, warnings=tuple(warnings))


def read_book(data: bytes | str, name: str, catalog: Catalog) -> PriceBook:
    """A book from TOML text; a ``PriceBookError`` names the entry at fault."""
    if len(data) > MAX_BOOK_BYTES:
        raise PriceBookError(f"{name}: larger than {MAX_BOOK_BYTES:,} bytes")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        doc = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PriceBookError(f"{name}: not a TOML file ({str(exc)[:120]})") from None
    unknown = set(doc) - {"discount", "override", "model"}
    if unknown:
        raise PriceBookError(
            f"{name}: unknown section {sorted(unknown)[0][:40]!r} (discount, override, model)"
        )
    parts = []
    for section, read in (("discount", discount), ("override", override), ("model", private_model)):
        entries = doc.get(section, [])
        if not isinstance(entries, list):
            raise PriceBookError(f"{name}: {section} must be written [[{section}]]")
        if len(entries) > MAX_RULES:
            raise PriceBookError(f"{name}: {len(entries):,} {section} entries; {MAX_RULES} at most")
        parts.append(
            tuple(read(e, catalog, f"{name}: {section} {i}") for i, e in enumerate(entries, 1))
        )
    return checked(PriceBook(*parts), catalog, name)


def read_book_file(path: str | Path, catalog: Catalog) -> PriceBook:
    where = Path(path)
    if not where.exists():
        raise PriceBookError(f"{where}: no such file")
    if not where.is_file():
        raise PriceBookError(f"{where}: not a regular file")
    if where.stat().st_size > MAX_BOOK_BYTES:
        raise PriceBookError(f"{where}: larger than {MAX_BOOK_BYTES:,} bytes")
    return read_book(where.read_bytes(), where.name, catalog)


def discount_from_text(text: str, catalog: Catalog) -> Discount:
    """``PROVIDER_OR_MODEL:PERCENT`` (``openai:20``), checked against the table."""
    target, sep, percent = text.strip().rpartition(":")
    if not sep or not target:
        raise PriceBookError(f"discount {text[:60]!r}: PROVIDER_OR_MODEL:PERCENT, as in openai:20")
    return discount({"target": target, "percent": percent}, catalog, f"discount {target[:60]!r}")


# -- the link's compact text --------------------------------------------------------------------


def _num(value: Decimal | None) -> str:
    return "" if value is None else _number(value)


def to_text(book: PriceBook) -> dict[str, str]:
    """The link parameters of ``book`` (``disc``, ``ovr``, ``mine``); empty when it has none."""
    params = {}
    if book.discounts:
        params["disc"] = ",".join(f"{d.target}:{_num(d.percent)}{d.link}" for d in book.discounts)
    if book.overrides:
        params["ovr"] = ",".join(
            f"{o.model}:{o.field}:{_num(o.price)}{o.link}" for o in book.overrides
        )
    if book.models:
        params["mine"] = ",".join(
            f"{m.id}:{_num(m.input)}:{_num(m.output)}:{_num(m.cached_input)}:{m.context_window}"
            f"{m.link}"
            for m in book.models
        )
    return params


def link_text(book: PriceBook) -> tuple[dict[str, str], str]:
    """The link parameters of ``book`` and, when it is too long for a link, why not (then no
    parameters): a link carries a discount in a few characters, never a whole book."""
    params = to_text(book)
    size = sum(len(k) + len(v) + 2 for k, v in params.items())
    if size > MAX_LINK_CHARS:
        return {}, (
            f"your price book ({len(book)} entries, {size:,} characters) is too long for a link "
            f"({MAX_LINK_CHARS:,} at most): the link opens at list prices; share the book file"
        )
    return params, ""


LINK_KEYS = ("disc", "ovr", "mine")


def _span_parts(parts: list[str], at: int) -> dict:
    rest = parts[at:]
    if not rest:
        return {}
    if len(rest) != 2:
        raise PriceBookError("a date range is FROM:UNTIL (either may be empty)")
    return {"from": rest[0] or None, "until": rest[1] or None}


def from_text(params: Mapping[str, str], catalog: Catalog) -> tuple[PriceBook, list[Problem]]:
    """The book of a link's ``disc`` / ``ovr`` / ``mine`` parameters; an entry that cannot be
    read is left out, named in the returned problems (keyed by its parameter)."""
    problems: list[Problem] = []
    found: dict[str, list] = {"disc": [], "ovr": [], "mine": []}
    shapes = {
        "disc": (("target", "percent"), discount),
        "ovr": (("model", "field", "price"), override),
        "mine": (("id", "input", "output", "cached_input", "context_window"), private_model),
    }
    for key in LINK_KEYS:
        raw = params.get(key, "")
        if not raw:
            continue
        entries = raw.split(",")
        if len(entries) > MAX_RULES:
            why = f"{len(entries):,} entries; the first {MAX_RULES} read"
            problems.append(Problem(key, "book_entry", why=why))
            entries = entries[:MAX_RULES]
        names, read = shapes[key]
        for text in entries:
            parts = text.split(":")
            try:
                if len(parts) < len(names):
                    raise PriceBookError(f"needs {':'.join(n.upper() for n in names)}")
                entry = {n: p for n, p in zip(names, parts, strict=False) if p != ""}
                if "context_window" in entry:
                    if not entry["context_window"].isdigit() or len(entry["context_window"]) > 9:
                        raise PriceBookError("context window: a whole number of tokens")
                    entry["context_window"] = int(entry["context_window"])
                entry.update(_span_parts(parts, len(names)))
                entry = {k: v for k, v in entry.items() if v is not None}
                found[key].append(read(entry, catalog, key))
            except PriceBookError as exc:
                why = str(exc).removeprefix(key).lstrip(".: ")
                problems.append(Problem(key, "book_entry", why=f"{text[:60]!r}: {why}; left out"))
    book = PriceBook(tuple(found["disc"]), tuple(found["ovr"]), tuple(found["mine"]))
    first = (
        next(k for k in LINK_KEYS if params.get(k)) if any(map(params.get, LINK_KEYS)) else "disc"
    )
    try:
        book = checked(book, catalog, "the link's book")
    except PriceBookError as exc:
        problems.append(Problem(first, "book_entry", why=f"{exc}; the book left out"))
        book = PriceBook()
    problems.extend(Problem(first, "book_entry", why=w) for w in book.warnings)
    return book, problems


def to_toml(book: PriceBook) -> str:
    """``book`` as a book file (what the page's editor downloads); ``read_book`` reads it back
    to the same book."""
    lines: list[str] = []

    def span(rule: Span) -> None:
        if rule.start:
            lines.append(f"from = {rule.start}")
        if rule.end:
            lines.append(f"until = {rule.end}")

    for d in book.discounts:
        lines += ["[[discount]]", f'target = "{d.target}"', f"percent = {_num(d.percent)}"]
        span(d)
        lines.append("")
    for o in book.overrides:
        lines += ["[[override]]", f'model = "{o.model}"', f'field = "{o.field}"']
        lines.append(f"price = {_num(o.price)}")
        span(o)
        lines.append("")
    for m in book.models:
        lines += ["[[model]]", f'id = "{m.id}"', f"input = {_num(m.input)}"]
        lines.append(f"output = {_num(m.output)}")
        if m.cached_input is not None:
            lines.append(f"cached_input = {_num(m.cached_input)}")
        lines += [f"context_window = {m.context_window}", f'encoding = "{m.encoding}"']
        span(m)
        lines.append("")
    return "\n".join(lines)


# -- applying ---------------------------------------------------------------------------------


def _scaled(obj, factor: Decimal):
    """A price entry (or tier, or long-context block) with every token price times ``factor``."""
    update = {}
    for name in PRICE_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, Decimal):
            update[name] = value * factor
    for name in NESTED:
        value = getattr(obj, name, None)
        if value is not None and hasattr(value, "model_copy"):
            update[name] = _scaled(value, factor)
    return obj.model_copy(update=update)


def _rules(book: PriceBook, model: ModelInfo):
    own = [d for d in book.discounts if d.target == model.id]
    provider = [d for d in book.discounts if d.target == model.provider]
    overrides = [o for o in book.overrides if o.model == model.id]
    return own, provider, overrides


def _entry_on(prices: tuple[PriceEntry, ...], day: dt.date) -> PriceEntry:
    current = prices[0]
    for entry in prices:
        if entry.effective <= day:
            current = entry
    return current


def _history(model: ModelInfo, book: PriceBook) -> tuple[PriceEntry, ...]:
    """The model's price entries with the book's rules in force on each: a new entry wherever a
    rule starts or ends, so a dated rule applies only inside its range."""
    own, provider, overrides = _rules(book, model)
    days = {e.effective for e in model.prices}
    for rule in (*own, *provider, *overrides):
        for day in (rule.start, rule.end + dt.timedelta(days=1) if rule.end else None):
            if day is not None and day > model.prices[0].effective:
                days.add(day)
    out = []
    for day in sorted(days):
        entry = _entry_on(model.prices, day)
        rule = next((d for d in own if d.active(day)), None) or next(
            (d for d in provider if d.active(day)), None
        )
        if rule is not None:
            entry = _scaled(entry, (Decimal(100) - rule.percent) / Decimal(100))
        update = {o.field: o.price for o in overrides if o.active(day)}
        out.append(entry.model_copy(update={**update, "effective": day}))
    return tuple(out)


def _private_info(model: PrivateModel) -> ModelInfo:
    start = model.start or EARLIEST
    entry = PriceEntry.model_construct(
        effective=start,
        input=model.input,
        output=model.output,
        cached_input=model.cached_input,
        cache_write=None,
        cache_write_1h=None,
        batch=None,
        flex=None,
        priority=None,
        long_context=None,
        tool_fees=None,
        source=PRIVATE_SOURCE,
        checked=start,
        promotion=None,
        note="your price book",
    )
    return ModelInfo(
        id=model.id,
        name=model.id,
        provider=PRIVATE_PROVIDER,
        provider_name="Your models",
        encoding=model.encoding,
        encoding_exact=False,
        context_window=model.context_window,
        max_output_tokens=model.context_window,
        released=start,
        shutdown=None,
        successor=None,
        min_cached_prompt_tokens=1024,
        aliases=(),
        prices=(entry,),
        source_file=PRIVATE_SOURCE,
        source_kind="yours",
        provenance="a private model of your price book",
        your_rules=(model,),
    )


class BookedCatalog(Catalog):
    """A catalog with a price book on top; ``base`` is the catalog under it."""

    base: Catalog
    book: PriceBook


def apply(catalog: Catalog, book: PriceBook) -> Catalog:
    """``catalog`` with ``book`` on top: each model the book names (or whose provider it names)
    gets a history carrying its discounts and overrides and says so; the book's private models
    join. The same book on a catalog that already carries it changes nothing; another book
    replaces it."""
    base = getattr(catalog, "base", catalog)
    if getattr(catalog, "book", None) == book:
        return catalog
    if not book:
        return base
    return _applied(base, book)


@functools.lru_cache(maxsize=32)
def _applied(catalog: Catalog, book: PriceBook) -> Catalog:
    models = []
    for model in catalog.models():
        own, provider, overrides = _rules(book, model)
        if not (own or provider or overrides):
            models.append(model)
            continue
        rules = (*(own or provider), *overrides)
        models.append(replace(model, prices=_history(model, book), your_rules=rules))
    booked = BookedCatalog([*models, *(_private_info(m) for m in book.models)])
    booked.base = catalog
    booked.book = book
    return booked
