"""The schema every price file in ``pricing/data/`` is validated against.

One TOML file per provider. Unit prices are USD per 1M tokens, read as ``Decimal`` exactly as
written in the file (``tomllib`` with ``parse_float=Decimal``), and never rounded here.
Unknown keys are errors (``extra="forbid"``), so a typo cannot silently drop a price.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator


def unit(text: str) -> dict[str, str]:
    """A field's unit, as its JSON schema (and the README's field table) says it."""
    return {"unit": text}


Price = Annotated[Decimal, Field(ge=0, json_schema_extra=unit("USD per 1M tokens"))]
Tokens = Annotated[int, Field(gt=0, json_schema_extra=unit("tokens"))]
ToolFee = Annotated[Decimal, Field(ge=0, json_schema_extra=unit("USD per 1,000 calls"))]


def one_of(allowed: tuple[str, ...], what: str, *, listed: bool = True) -> object:
    """A text field that must be one of ``allowed``: the error says ``unknown <what> 'x'`` (and
    the allowed values, when ``listed``), and the JSON schema lists them for an editor."""

    def check(value: str) -> str:
        if value not in allowed:
            expected = f"; expected one of {', '.join(allowed)}" if listed else ""
            raise ValueError(f"unknown {what} {value!r}{expected}")
        return value

    return Annotated[str, AfterValidator(check), Field(json_schema_extra={"enum": list(allowed)})]


ENCODINGS = ("o200k_base", "cl100k_base")
Encoding = one_of(ENCODINGS, "encoding")

TOOLS = ("web_search", "file_search")
"""Built-in tools a provider may charge per call (``ToolFees``)."""


class StrictModel(BaseModel):
    """Base of every data-file schema in the project: unknown keys are errors, values frozen,
    and a field's docstring is its description (in the JSON schema and the README's tables)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Rates(StrictModel):
    """Base of a set of token rates (an entry, a tier, long-context rates): each has ``input``
    and an optional ``cached_input``, and a cache hit never costs more than uncached input."""

    @model_validator(mode="after")
    def _cached_not_above_input(self) -> Self:
        cached, full = self.cached_input, self.input  # fields of every subclass
        if cached is not None and cached > full:
            raise ValueError(f"cached_input ({cached}) is above input ({full})")
        return self


class TierLongContext(Rates):
    """A tier's own rates above the entry's ``long_context.threshold``, where published.

    Absent: the tier's rates scaled by the standard long-context factors."""

    input: Price
    """The tier's uncached input above the threshold."""
    output: Price
    """The tier's output above the threshold."""
    cached_input: Price | None = None
    """The tier's cache hit above the threshold, at most its ``input``."""
    cache_write: Price | None = None
    """The tier's cache write above the threshold."""


class TierPrices(Rates):
    """Prices of one service tier (batch, flex or priority), USD per 1M tokens."""

    input: Price
    """The tier's uncached input."""
    output: Price
    """The tier's output."""
    cached_input: Price | None = None
    """The tier's cache hit, at most its ``input``. Absent when the tier's table lists no cached
    price: cached tokens then cost the tier's ``input`` rate (see ``pricing/data/README.md``,
    "Cached input in the Batch tier")."""
    cache_write: Price | None = None
    """The tier's cache write. Absent: the standard ``cache_write`` scaled by this tier's input
    discount."""
    long_context: TierLongContext | None = None
    """This tier's rates above the entry's long-context threshold, where the provider lists
    them (the entry must have ``long_context``)."""


class LongContext(Rates):
    """Rates that apply to the *whole* request once its input tokens exceed ``threshold``."""

    threshold: Annotated[int, Field(gt=0, json_schema_extra=unit("input tokens"))]
    """Input tokens per request above which the long-context rates apply."""
    input: Price
    """Uncached input of a request above the threshold."""
    output: Price
    """Output of a request above the threshold."""
    cached_input: Price | None = None
    """A cache hit in a request above the threshold, at most ``input``."""
    cache_write: Price | None = None
    """A cache write in a request above the threshold. Absent: the standard ``cache_write``
    scaled by the long-context input factor."""


class ToolFees(StrictModel):
    """Per-call fees of a provider's built-in tools, USD per 1,000 calls, on top of the tokens
    (a tool's search results read as input are billed as input tokens). Absent tool: the model
    does not offer it at a fee the table knows. Part of a dated price entry, so a fee follows
    the same history as the token prices: the entry in effect on a date carries its fees."""

    web_search: ToolFee | None = None
    """A web search call. Absent: no fee the table knows (a workload that calls it is
    unavailable on the model)."""
    file_search: ToolFee | None = None
    """A file search call. Absent: no fee the table knows."""
    source: HttpUrl
    """Where the fees were read (often another table than the token prices)."""
    checked: dt.date
    """The day the fees were last checked against ``source`` (and two other public tables)."""

    def per_thousand(self) -> dict[str, Decimal]:
        """Tool -> USD per 1,000 calls, for the tools that have a fee."""
        return {t: getattr(self, t) for t in TOOLS if getattr(self, t) is not None}


class Promotion(StrictModel):
    """A price the provider calls temporary."""

    until: dt.date | None = None
    """The announced last day (absent: open-ended). After it the entry still applies until a
    later dated entry replaces it: record the end price as its own entry when it is announced."""
    wording: str
    """The provider's words, e.g. "at least through 2026-11-21"."""
    source: HttpUrl
    """Where the provider says it."""


class Shutdown(StrictModel):
    """An announced shutdown: the first day the provider no longer serves the model."""

    date: dt.date
    """The first day the provider no longer serves the model."""
    announced: dt.date | None = None
    """The day the provider announced it."""
    source: HttpUrl
    """Where it was announced (the provider's deprecations page, a changelog, an email quoted
    in a public thread)."""
    note: str | None = None
    """Other dates other sources give, and why this one was chosen."""


class PriceEntry(Rates):
    """One dated entry of a model's price history, in effect from ``effective`` on."""

    effective: dt.date
    """First day these prices apply."""
    input: Price
    """Uncached input."""
    output: Price
    """Output, reasoning tokens included."""
    cached_input: Price | None = None
    """Price of a cache hit, at most ``input``. Absent when the model offers no prompt
    caching."""
    cache_write: Price | None = None
    """Price of writing input to the cache, where the provider charges for it (for Anthropic,
    the 5-minute cache)."""
    cache_write_1h: Price | None = None
    """Price of a cache write with a 1-hour lifetime, where offered (Anthropic: 2x input)."""
    batch: TierPrices | None = None
    """The Batch tier's prices. Absent: the tier is not offered (a workload that uses it is
    unavailable on the model, never priced at the standard rate)."""
    flex: TierPrices | None = None
    """The Flex tier's prices. Absent: not offered."""
    priority: TierPrices | None = None
    """The Priority tier's prices. Absent: not offered."""
    long_context: LongContext | None = None
    """Rates for a whole request once its input exceeds a threshold."""
    tool_fees: ToolFees | None = None
    """Per-call fees of built-in tools (web search, file search), where charged."""
    source: HttpUrl
    """Where the price was read."""
    checked: dt.date
    """The day the price was last checked against ``source``."""
    promotion: Promotion | None = None
    """Set when these prices are a promotion the provider announced as temporary."""
    note: str | None = None
    """Disagreements between public tables and how they were resolved."""

    @model_validator(mode="after")
    def _tier_long_context_needs_threshold(self) -> PriceEntry:
        for tier in ("batch", "flex", "priority"):
            prices = getattr(self, tier)
            if prices is not None and prices.long_context is not None and not self.long_context:
                raise ValueError(f"{tier}.long_context needs the entry's long_context threshold")
        return self


class Model(StrictModel):
    """One model of a provider file (``[[models]]``) and its dated price history."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
    """The API identifier, e.g. ``gpt-4.1-mini``; unique across every file."""
    name: str
    """Display name."""
    encoding: Encoding
    """tiktoken encoding used to count this model's tokens."""
    encoding_exact: bool = True
    """False when the model's own tokenizer is not public and ``encoding`` is an approximation."""
    context_window: Tokens
    """The largest request, input and output together, as the provider states it."""
    max_output_tokens: Tokens
    """The longest answer, at most ``context_window``."""
    released: dt.date
    """First day the model was generally available on the provider's API; no price entry may
    start before it."""
    shutdown: Shutdown | None = None
    """The announced shutdown, where the provider announced one."""
    successor: str | None = None
    """The model id the provider names as the replacement (must be in the table)."""
    min_cached_prompt_tokens: Tokens | None = None
    """The shortest prompt the provider caches (absent: OpenAI's rule, 1,024 tokens)."""
    aliases: tuple[str, ...] = ()
    """Dated snapshot names that bill as this model (e.g. ``gpt-4o-mini-2024-07-18``); unique
    across every file."""
    prices: Annotated[tuple[PriceEntry, ...], Field(min_length=1)]
    """The dated history (``[[models.prices]]``), oldest first; each entry applies until the
    day before the next one's ``effective``."""

    @model_validator(mode="after")
    def _history_ordered(self) -> Model:
        dates = [entry.effective for entry in self.prices]
        for earlier, later in itertools.pairwise(dates):
            if later == earlier:
                raise ValueError(f"prices: duplicate effective date {later}")
            if later < earlier:
                raise ValueError(f"prices: effective dates out of order ({earlier} then {later})")
        if dates[0] < self.released:
            raise ValueError(
                f"prices: first effective date {dates[0]} is before released {self.released}"
            )
        if self.max_output_tokens > self.context_window:
            raise ValueError("max_output_tokens is larger than context_window")
        if self.shutdown is not None and self.shutdown.date <= self.released:
            raise ValueError(f"shutdown {self.shutdown.date} is not after released {self.released}")
        if self.successor is not None and self.successor == self.id:
            raise ValueError("successor: a model cannot succeed itself")
        return self


class ProviderFile(StrictModel):
    """One price file, ``pricing/data/<provider>.toml``."""

    provider: Annotated[str, Field(pattern=r"^[a-z0-9\-]+$")]
    """The provider id: lowercase letters, digits and ``-``."""
    name: str
    """The provider's display name."""
    models: Annotated[tuple[Model, ...], Field(min_length=1)]
    """The provider's models (``[[models]]``), one or more."""
