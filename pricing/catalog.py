"""The price table: the provider files of a folder (read by ``pricing.providers``) loaded as one
catalog, with the live peer layer on top, and the questions asked of it: a table as of a date,
one model's history, and what changed between two dates.

Prices stay ``Decimal`` on the records (exactly as written in the files); the DataFrames this
module returns hold them as float64 USD per 1M tokens (NaN where a model does not offer it), which
is what the vectorised cost engine consumes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pricing import datafile, providers
from pricing.columns import PRICE_COLUMNS, TIER_PARTS, TIERS
from pricing.errors import PriceDataError
from pricing.peers import hosts, layer
from pricing.peers.genai import genai_models
from pricing.peers.judged import load_judged
from pricing.schema import (
    TOOLS,
    Model,
    PriceEntry,
    Promotion,
    Shutdown,
    TierPrices,
)

DATA_DIR = Path(__file__).parent / "data"

STEP_PRICES = ("input", "cached_input", "output")
"""The prices ``Catalog.price_steps`` charts by default."""

DEFAULT_MIN_CACHED_PROMPT_TOKENS = 1024
"""OpenAI's rule: prompts shorter than this are never cached."""

MAX_SUGGEST_LENGTH = 100
"""Longest name (characters) for which ``Catalog.resolve`` looks for close matches; the longest
model id or alias in the table is under 40."""

MAX_QUOTED = 60
"""Characters of an unknown name quoted in a message; a longer one is cut and its length said."""


def quoted_name(name: str) -> str:
    """``'name'``, or ``'first 60 characters…' (61,000,000 characters)`` for a long one."""
    if len(name) <= MAX_QUOTED:
        return repr(name)
    return f"{name[:MAX_QUOTED]!r}… ({len(name):,} characters)"


class UnknownModelError(ValueError):
    """A model id or alias that is not in the price table."""


class NotReleasedError(LookupError):
    """A model looked up as of a date before its release."""


@dataclass(frozen=True)
class ModelInfo:
    """One model of the catalog, with its provider and full price history."""

    id: str
    name: str
    provider: str
    provider_name: str
    encoding: str
    encoding_exact: bool
    context_window: int
    max_output_tokens: int
    released: dt.date
    shutdown: Shutdown | None
    successor: str | None
    min_cached_prompt_tokens: int
    aliases: tuple[str, ...]
    prices: tuple[PriceEntry, ...]
    source_file: str
    source_kind: str = "curated"
    """``curated`` (a file in ``pricing/data``, checked against two sources) or ``peer`` (the
    live peer layer, ``pricing.peers.layer``: genai-prices' price, not yet checked)."""
    provenance: str = ""
    """For a peer entry: "price from genai-prices 0.2.5, not yet checked against a second
    source"; empty for a curated one."""
    your_rules: tuple = ()
    """The rules of a price book of your own (``pricing.book``) that price this model, each with
    ``text`` and ``active(date)``; empty at the table's prices."""

    @property
    def your_price(self) -> str:
        """ "your price: 20% off openai" when a book prices the model on some day, else ""."""
        said = "; ".join(rule.text for rule in self.your_rules)
        return f"your price: {said}" if said else ""

    def your_price_on(self, date: dt.date) -> str:
        """The mark of the book's rules in force on ``date`` ("" when none is)."""
        said = "; ".join(rule.text for rule in self.your_rules if rule.active(date))
        return f"your price: {said}" if said else ""

    @property
    def curated(self) -> bool:
        return self.source_kind == "curated"

    @property
    def price_from(self) -> str:
        """For a table cell: "curated", or "genai-prices 0.2.5 (unchecked)" for a peer entry."""
        if self.source_kind == "yours":
            return "your price book"
        if self.curated:
            base = "curated"
        else:
            where = self.provenance.removeprefix("price from ").split(",", 1)[0]
            base = f"{where or 'peer data'} (unchecked)"
        return f"{base}; {self.your_price}" if self.your_price else base

    @property
    def shutdown_date(self) -> dt.date | None:
        return self.shutdown.date if self.shutdown else None

    @property
    def priced_from(self) -> dt.date:
        """The first day the model exists and has a price (``released_on`` from then on)."""
        return max(self.released, self.prices[0].effective)

    def price_as_of(self, date: dt.date) -> PriceEntry:
        """The entry in effect on ``date``: the last one whose ``effective`` is on or before it."""
        if not self.released_on(date):
            raise NotReleasedError(
                f"{self.id} did not exist yet on {date} (released {self.released})"
            )
        current = self.prices[0]
        for entry in self.prices[1:]:
            if entry.effective <= date:
                current = entry
            else:
                break
        return current

    def tool_fees(self, date: dt.date) -> dict[str, Decimal]:
        """Tool -> USD per 1,000 calls in the entry in effect on ``date`` (empty: no tool fee
        known); raises ``NotReleasedError`` before the release."""
        fees = self.price_as_of(date).tool_fees
        return fees.per_thousand() if fees else {}

    def released_on(self, date: dt.date) -> bool:
        """True when the model exists and has a price on ``date``."""
        return date >= self.priced_from

    def retired_on(self, date: dt.date) -> bool:
        """True when the provider's announced shutdown date is on or before ``date``."""
        return self.shutdown is not None and self.shutdown.date <= date

    def available_on(self, date: dt.date) -> bool:
        """The one rule for "available on this date": released, and not shut down."""
        return self.released_on(date) and not self.retired_on(date)

    def lifecycle(self, date: dt.date) -> Lifecycle:
        """Where the model stands on ``date``: see ``Lifecycle``."""
        if not self.released_on(date):
            return Lifecycle(NOT_RELEASED, self.released, self.successor, None)
        entry = self.price_as_of(date)
        promo = entry.promotion
        if self.retired_on(date):
            return Lifecycle(SHUT_DOWN, self.shutdown_date, self.successor, promo)
        if self.shutdown is not None and (
            self.shutdown.announced is None or self.shutdown.announced <= date
        ):
            return Lifecycle(SHUTS_DOWN, self.shutdown_date, self.successor, promo)
        # Before its announcement a coming shutdown was not known: a link pinned then shows
        # the model as it was, available.
        return Lifecycle(AVAILABLE, None, self.successor, promo)


AVAILABLE = "available"
SHUTS_DOWN = "shuts_down"
SHUT_DOWN = "shut_down"
NOT_RELEASED = "not_released"
LIFECYCLE_STATES = (AVAILABLE, SHUTS_DOWN, SHUT_DOWN, NOT_RELEASED)
"""``available`` and ``shuts_down`` (a shutdown is announced for a later day) can be priced
and chosen; ``shut_down`` (last list price shown) and ``not_released`` cannot be chosen."""


@dataclass(frozen=True)
class Lifecycle:
    """A model's standing on one date, as codes and figures (pages word it, never parse it)."""

    state: str
    """One of ``LIFECYCLE_STATES``."""
    date: dt.date | None
    """The shutdown date (``shuts_down``, ``shut_down``) or the release date (``not_released``)."""
    successor: str | None
    promotion: Promotion | None
    """The price in effect is a promotion (with its announced end)."""

    @property
    def selectable(self) -> bool:
        """Can be cheapest, a default, or the basis of a savings figure."""
        return self.state in (AVAILABLE, SHUTS_DOWN)

    def days_until(self, today: dt.date) -> int | None:
        return (self.date - today).days if self.date else None

    def promotion_text(self, as_of: dt.date | None = None) -> str:
        """ "promotional until 2026-11-21", or "promotional (announced end 2026-11-21 passed)"
        once ``as_of`` is after it (the price still applies until a dated entry replaces it);
        "" without a promotion."""
        if self.promotion is None or self.state == NOT_RELEASED:
            return ""
        until = self.promotion.until
        if until is None:
            return "promotional"
        if as_of is not None and until < as_of:
            return f"promotional (announced end {until} passed)"
        return f"promotional until {until}"

    def short(self, as_of: dt.date | None = None) -> str:
        """For a table cell: "shut down on 2026-10-23 (last list price)", "shuts down on
        2026-12-10; promotional until 2026-01-31", "available"."""
        text = {
            AVAILABLE: "available",
            SHUTS_DOWN: f"shuts down on {self.date}",
            SHUT_DOWN: f"shut down on {self.date} (last list price)",
            NOT_RELEASED: f"not released until {self.date}",
        }[self.state]
        promotion = self.promotion_text(as_of)
        return f"{text}; {promotion}" if promotion else text

    def describe(self, as_of: dt.date) -> str:
        """A sentence for a reader: "shut down on 2026-10-23; successor gpt-5.4-nano"."""
        if self.state == NOT_RELEASED:
            text = f"not released until {self.date}"
        elif self.state == SHUT_DOWN:
            text = f"shut down on {self.date}; last list price shown"
        elif self.state == SHUTS_DOWN:
            days = self.days_until(as_of)
            text = f"shuts down on {self.date}, in {days:,} day{'s' if days != 1 else ''}"
        else:
            text = "available"
        if self.successor and self.state != AVAILABLE:
            text += f"; successor {self.successor}"
        if self.promotion is not None and self.state != NOT_RELEASED:
            until = self.promotion.until
            ended = until is not None and until < as_of
            text += (
                f"; promotional price ({self.promotion.wording}"
                + ("; the promotion's announced end has passed" if ended else "")
                + ")"
            )
        return text


def flatten_prices(entry: PriceEntry) -> dict[str, float]:
    """One price entry as flat columns (see ``PRICE_COLUMNS``), NaN where not offered."""

    def price(rates: object, part: str) -> float:
        value = getattr(rates, part) if rates is not None else None
        return float("nan") if value is None else float(value)

    standard = ("input", "cached_input", "output", "cache_write", "cache_write_1h")
    row = {part: price(entry, part) for part in standard}
    for tier in TIERS:
        prices: TierPrices | None = getattr(entry, tier)
        for part in TIER_PARTS:
            row[f"{tier}_{part}"] = price(prices, part)
        tier_long = prices.long_context if prices else None
        for part in TIER_PARTS:
            row[f"{tier}_long_context_{part}"] = price(tier_long, part)
    for part in ("threshold", *TIER_PARTS):
        row[f"long_context_{part}"] = price(entry.long_context, part)
    return row


def _problem(model: ModelInfo, field_path: str, message: str) -> str:
    """A problem the whole table shows in one of its models, worded as a file's problems are."""
    return datafile.problem(model.source_file, field_path, message, [f"model {model.id}"])


class Catalog:
    """Every model of every provider file, with lookups by id and alias."""

    def __init__(self, models: Iterable[ModelInfo]):
        self._models: dict[str, ModelInfo] = {}
        self._names: dict[str, str] = {}
        for model in models:
            for name in (model.id, *model.aliases):
                key = name.lower()
                if key in self._names:
                    used = f"{name!r} is already used by {self._names[key]}"
                    raise PriceDataError(_problem(model, "id/aliases", used))
                self._names[key] = model.id
            self._models[model.id] = model
        for model in self._models.values():
            if model.successor is not None and model.successor not in self._models:
                unknown = f"{model.successor!r} is not a model id in the price table"
                raise PriceDataError(_problem(model, "successor", unknown))

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> Catalog:
        models = []
        for path in sorted(paths):
            data = providers.load_provider_file(path)
            for model in data.models:
                models.append(model_info(model, data.provider, data.name, path.name))
        return cls(models)

    # -- lookups ------------------------------------------------------------------------------

    def model_ids(self) -> list[str]:
        return list(self._models)

    def models(self) -> list[ModelInfo]:
        return list(self._models.values())

    def resolve(self, name: str, *, suggest: bool = True) -> str:
        """The canonical id for an id, alias or ``provider/id``; raises ``UnknownModelError``.

        The error suggests close names (``suggest``) only for a name of at most
        ``MAX_SUGGEST_LENGTH`` characters, and quotes at most ``MAX_QUOTED`` of it: fuzzy matching
        costs memory and time in the name's length (a 60 MB name peaked at 2.9 GB), and no model
        id is that long. Callers resolving many names (a usage file) suggest for a bounded few.
        """
        key = name.strip().lower()
        if key not in self._names and "/" in key:
            key = key.rsplit("/", 1)[1]
        if key in self._names:
            return self._names[key]
        hint = ""
        if suggest and len(key) <= MAX_SUGGEST_LENGTH:
            close = difflib.get_close_matches(key, list(self._names), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownModelError(f"unknown model {quoted_name(name)}{hint}")

    def model(self, name: str) -> ModelInfo:
        return self._models[self.resolve(name)]

    def price(self, name: str, as_of: dt.date) -> PriceEntry:
        return self.model(name).price_as_of(as_of)

    def tool_fee(self, name: str, tool: str, as_of: dt.date) -> Decimal | None:
        """USD per 1,000 calls of ``tool`` (``pricing.schema.TOOLS``) on ``name`` on ``as_of``,
        or None where the model's entry lists no fee for it."""
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}; expected one of {', '.join(TOOLS)}")
        return self.model(name).tool_fees(as_of).get(tool)

    # -- tables -------------------------------------------------------------------------------

    def table(self, as_of: dt.date, include_retired: bool = False) -> pd.DataFrame:
        """One row per model released (and, unless asked, not yet retired) on ``as_of``."""
        rows = []
        for model in self._models.values():
            if not model.released_on(as_of):
                continue
            if model.retired_on(as_of) and not include_retired:
                continue
            entry = model.price_as_of(as_of)
            rows.append(_row(model, entry, as_of))
        return _frame(rows)

    def history(self, name: str) -> pd.DataFrame:
        """Every dated entry of one model, oldest first, with the day each stopped applying."""
        model = self.model(name)
        rows = []
        for index, entry in enumerate(model.prices):
            row = _row(model, entry)
            following = model.prices[index + 1] if index + 1 < len(model.prices) else None
            row["effective_to"] = following.effective - dt.timedelta(days=1) if following else None
            row["note"] = entry.note or ""
            rows.append(row)
        return _frame(rows)

    def diff(self, before: dt.date, after: dt.date, include_retired: bool = False) -> PriceDiff:
        """What changed between two dates: models added, removed and repriced (a retired
        model, at its last list price, too when ``include_retired``)."""
        old = self.table(before, include_retired).set_index("model")
        new = self.table(after, include_retired).set_index("model")
        added = new.loc[[m for m in new.index if m not in old.index]].reset_index()
        removed = old.loc[[m for m in old.index if m not in new.index]].reset_index()
        changes = []
        for model_id in (m for m in new.index if m in old.index):
            for column in PRICE_COLUMNS:
                was, now = old.at[model_id, column], new.at[model_id, column]
                if pd.isna(was) and pd.isna(now):
                    continue
                if pd.isna(was) or pd.isna(now) or was != now:
                    changes.append(
                        {
                            "model": model_id,
                            "field": column,
                            "old": was,
                            "new": now,
                            "change_pct": (now / was - 1) * 100
                            if not (pd.isna(was) or pd.isna(now)) and was
                            else float("nan"),
                            "effective_from": new.at[model_id, "effective_from"],
                        }
                    )
        repriced = pd.DataFrame(
            changes, columns=["model", "field", "old", "new", "change_pct", "effective_from"]
        )
        return PriceDiff(before, after, added, removed, repriced)

    def price_steps(
        self,
        name: str,
        until: dt.date,
        prices: Sequence[str] = STEP_PRICES,
    ) -> pd.DataFrame:
        """One model's prices as step-chart data: a row per price and dated entry, plus each
        price's latest value again on ``until`` (or on its last change, if later), so every
        step reaches the right edge. Prices a model does not offer at an entry are left out.

        Columns: ``price`` (the column name, e.g. ``input``), ``effective_from`` (datetime64),
        ``usd_per_mtok`` (USD per 1M tokens, as written), ``carried`` (True on the edge row).
        """
        history = self.history(name)
        long = history.melt(
            id_vars=["effective_from"],
            value_vars=list(prices),
            var_name="price",
            value_name="usd_per_mtok",
        ).dropna(subset=["usd_per_mtok"])
        long["effective_from"] = pd.to_datetime(long["effective_from"])
        long["carried"] = False
        long = long.sort_values(["effective_from"], kind="stable")
        tail = long.groupby("price", sort=False).tail(1).copy()
        edge = max(pd.Timestamp(until), long["effective_from"].max()) if len(long) else None
        tail["effective_from"] = edge
        tail["carried"] = True
        steps = pd.concat([long, tail], ignore_index=True)
        order = {p: i for i, p in enumerate(prices)}
        steps = steps.sort_values(
            ["price", "effective_from", "carried"],
            key=lambda s: s.map(order) if s.name == "price" else s,
            kind="stable",
        )
        return steps[["price", "effective_from", "usd_per_mtok", "carried"]].reset_index(drop=True)

    def changes(self, before: dt.date, after: dt.date) -> PriceChanges:
        """Like ``diff``, with real price changes kept apart from tiers (or cached, long-context
        prices) that a model started or stopped offering between the dates."""
        diff = self.diff(before, after)
        repriced, offered = split_repriced(diff.repriced)
        return PriceChanges(before, after, diff.added, diff.removed, repriced, offered)


@dataclass(frozen=True)
class PriceDiff:
    before: dt.date
    after: dt.date
    added: pd.DataFrame
    """Table rows (as of ``after``) of models that exist on ``after`` but not on ``before``."""
    removed: pd.DataFrame
    """Table rows (as of ``before``) of models gone by ``after`` (retired)."""
    repriced: pd.DataFrame
    """One row per changed price field: model, field, old, new, change_pct, effective_from."""

    @property
    def empty(self) -> bool:
        return self.added.empty and self.removed.empty and self.repriced.empty


TABLE_COLUMNS = (
    "model",
    "name",
    "provider",
    *PRICE_COLUMNS,
    "context_window",
    "max_output_tokens",
    "encoding",
    "encoding_exact",
    "released",
    "shutdown",
    "successor",
    "status",
    "status_detail",
    "promotion_until",
    "effective_from",
    "source",
    "checked",
    "source_kind",
    "provenance",
)


def _row(model: ModelInfo, entry: PriceEntry, as_of: dt.date | None = None) -> dict:
    """A table row; ``status`` / ``status_detail`` say the model's lifecycle on ``as_of``."""
    lifecycle = model.lifecycle(as_of) if as_of is not None else None
    return {
        "model": model.id,
        "name": model.name,
        "provider": model.provider,
        **flatten_prices(entry),
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
        "encoding": model.encoding,
        "encoding_exact": model.encoding_exact,
        "released": model.released,
        "shutdown": model.shutdown_date,
        "successor": model.successor,
        "status": lifecycle.state if lifecycle else None,
        "status_detail": lifecycle.describe(as_of) if lifecycle else None,
        "promotion_until": entry.promotion.until if entry.promotion else None,
        "effective_from": entry.effective,
        "source": str(entry.source),
        "checked": entry.checked,
        "source_kind": model.source_kind,
        "provenance": model.provenance,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    columns = list(TABLE_COLUMNS)
    if rows and "effective_to" in rows[0]:
        columns += ["effective_to", "note"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in PRICE_COLUMNS:
        frame[column] = frame[column].astype("float64")
    return frame


FROM_THE_FILE = (
    "id",
    "name",
    "encoding",
    "encoding_exact",
    "context_window",
    "max_output_tokens",
    "released",
    "shutdown",
    "successor",
    "aliases",
    "prices",
)
"""The ``ModelInfo`` fields a price-file model gives as they are written."""


def model_info(
    model: Model, provider: str, provider_name: str, source_file: str, **peer: str
) -> ModelInfo:
    """One model of a price file (or of the peer layer: ``source_kind``, ``provenance``)."""
    return ModelInfo(
        **{name: getattr(model, name) for name in FROM_THE_FILE},
        provider=provider,
        provider_name=provider_name,
        min_cached_prompt_tokens=model.min_cached_prompt_tokens or DEFAULT_MIN_CACHED_PROMPT_TOKENS,
        source_file=source_file,
        **peer,
    )


@functools.lru_cache(maxsize=4)
def _load_dir(data_dir: str) -> Catalog:
    return Catalog.from_files(providers.provider_files(data_dir))


def require_models(catalog: Catalog, names: Iterable[str], what: str) -> None:
    """Raise ``PriceDataError`` when ``what`` (a default, a preset, a link) names a model no
    provider file has: the usual cause is a provider file deleted or renamed."""
    unknown = []
    for name in names:
        try:
            catalog.resolve(name, suggest=False)
        except UnknownModelError:
            unknown.append(name)
    if unknown:
        providers = ", ".join(sorted({m.source_file for m in catalog.models() if m.curated}))
        raise PriceDataError(
            f"{what} names {', '.join(unknown)}, which no provider file in pricing/data has "
            f"(files loaded: {providers}): is a provider file missing?"
        )


def load_catalog(data_dir: Path | str | None = None, *, peers: bool | None = None) -> Catalog:
    """The catalog of every provider file in ``data_dir`` (default: the shipped price files).

    ``peers`` (default: on for the shipped files, off for any other folder) adds the live peer
    layer (``pricing.peers.layer``): genai-prices' models of our providers that the files lack,
    each marked ``source_kind = "peer"``. The audit asks for ``peers=False``.

    Loaded once per directory and peer data, and cached; the returned object is never mutated.
    The default directory's path is resolved once (a filesystem walk per call showed in every
    count).
    """
    path = Path(data_dir or DATA_DIR)
    folder = _resolved(str(path)) if path.is_absolute() else str(path.resolve())
    with_peers = (data_dir is None) if peers is None else peers
    if not with_peers:
        return _load_dir(folder)
    return _with_peers(folder, peer_source())


@functools.lru_cache(maxsize=1)
def peer_source() -> layer.PeerSource:
    """The peer data this process uses, decided once (``forget_peer_source`` after a refresh)."""
    return layer.current_source()


def forget_peer_source() -> None:
    """Look for the newest peer data again on the next ``load_catalog`` (after a refresh, or
    when a long-running app sees a new snapshot)."""
    peer_source.cache_clear()


def peer_layer(folder: Path | str | None = None) -> layer.PeerLayer:
    """The peer layer on top of the curated files in ``folder`` (default: the shipped ones)."""
    path = Path(folder or DATA_DIR)
    return _layer(str(path.resolve()), peer_source())


@functools.lru_cache(maxsize=4)
def _layer(folder: str, source: layer.PeerSource) -> layer.PeerLayer:
    curated = _load_dir(folder)
    names: dict[str, list[str]] = {}
    for model in curated.models():
        names.setdefault(model.provider, []).extend((model.id, *model.aliases))
    encodings = layer.usual_encodings((m.provider, m.encoding) for m in curated.models())
    judged_out = [
        (entry.provider, entry.judgement.model)
        for entry in load_judged()
        if entry.judgement.field == "missing_here" and entry.judgement.peer == layer.GENAI
    ]
    return layer.layer_for(curated, names, encodings, source, judged_out)


@functools.lru_cache(maxsize=4)
def _with_peers(folder: str, source: layer.PeerSource) -> Catalog:
    curated = _load_dir(folder)
    found = _layer(folder, source)
    variants = _hosts(folder, source)
    if not found.models and not variants:
        return curated
    provider_names = {m.provider: m.provider_name for m in curated.models()}
    provenance = source.provenance()
    extra = [
        model_info(
            model,
            provider,
            provider_names.get(provider, provider),
            "genai-prices",
            source_kind="peer",
            provenance=provenance,
        )
        for provider, model in found.models
    ]
    return Catalog([*curated.models(), *extra, *variants])


@functools.lru_cache(maxsize=4)
def _hosts(folder: str, source: layer.PeerSource) -> tuple[ModelInfo, ...]:
    """The curated models on other hosts (``pricing.peers.hosts``), from the same peer data."""
    try:
        providers, _ = layer.load_providers(source)
    except Exception:  # no peer data: no host prices from it (the litellm snapshot stays)
        providers = []
    peers = genai_models(providers, hosts.GENAI_PROVIDERS)
    return tuple(hosts.host_variants(_load_dir(folder), peers, source.label()))


@functools.lru_cache(maxsize=16)
def _resolved(path: str) -> str:
    """An absolute path resolved (symlinks followed) once: it does not depend on the cwd."""
    return str(Path(path).resolve())


@dataclass(frozen=True)
class PriceChanges:
    """What changed between two dates, with offers kept apart from price changes."""

    before: dt.date
    after: dt.date
    added: pd.DataFrame
    """Table rows (as of ``after``) of models that exist on ``after`` but not on ``before``."""
    removed: pd.DataFrame
    """Table rows (as of ``before``) of models gone by ``after`` (retired)."""
    repriced: pd.DataFrame
    """Prices offered on both dates that changed: model, field, old, new, change_pct,
    effective_from (USD per 1M tokens)."""
    offered: pd.DataFrame
    """Prices that appeared or disappeared (a new tier, a cached rate dropped): model, field,
    change (``"added"`` or ``"removed"``), old, new (NaN on the side without it),
    effective_from."""

    @property
    def empty(self) -> bool:
        return (
            self.added.empty and self.removed.empty and self.repriced.empty and self.offered.empty
        )


def split_repriced(repriced: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``PriceDiff.repriced`` split into (real price changes, prices added or removed)."""
    both = repriced["old"].notna() & repriced["new"].notna()
    changed = repriced[both].reset_index(drop=True)
    offered = repriced[~both].copy()
    offered.insert(2, "change", ["added" if pd.isna(v) else "removed" for v in offered["old"]])
    offered = offered.drop(columns=["change_pct"]).reset_index(drop=True)
    return changed, offered
