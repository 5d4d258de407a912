"""The schema every price file in ``pricing/data/`` is validated against.

One TOML file per provider. Unit prices are USD per 1M tokens, read as ``Decimal`` exactly as
written in the file (``tomllib`` with ``parse_float=Decimal``), and never rounded here.
Unknown keys are errors (``extra="forbid"``), so a typo cannot silently drop a price.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

Price = Annotated[Decimal, Field(ge=0, description="USD per 1M tokens")]

ENCODINGS = ("o200k_base", "cl100k_base")


class StrictModel(BaseModel):
    """Base of every data-file schema in the project: unknown keys are errors, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TierPrices(StrictModel):
    """Prices of one service tier (batch, flex or priority), USD per 1M tokens."""

    input: Price
    output: Price
    cached_input: Price | None = None
    """Absent when the tier does not discount cached input (then cached tokens cost ``input``)."""
    cache_write: Price | None = None
    """Absent: the standard ``cache_write`` scaled by this tier's input discount."""

    @model_validator(mode="after")
    def _cached_not_above_input(self) -> TierPrices:
        if self.cached_input is not None and self.cached_input > self.input:
            raise ValueError(f"cached_input ({self.cached_input}) is above input ({self.input})")
        return self


class LongContext(StrictModel):
    """Rates that apply to the *whole* request once its input tokens exceed ``threshold``."""

    threshold: Annotated[int, Field(gt=0)]
    """Input tokens per request above which the long-context rates apply."""
    input: Price
    output: Price
    cached_input: Price | None = None
    cache_write: Price | None = None
    """Absent: the standard ``cache_write`` scaled by the long-context input factor."""

    @model_validator(mode="after")
    def _cached_not_above_input(self) -> LongContext:
        if self.cached_input is not None and self.cached_input > self.input:
            raise ValueError(f"cached_input ({self.cached_input}) is above input ({self.input})")
        return self


class PriceEntry(StrictModel):
    """One dated entry of a model's price history, in effect from ``effective`` on."""

    effective: dt.date
    """First day these prices apply."""
    input: Price
    output: Price
    cached_input: Price | None = None
    """Price of a cache hit. Absent when the model offers no prompt caching."""
    cache_write: Price | None = None
    """Price of writing input to the cache, where the provider charges for it."""
    batch: TierPrices | None = None
    flex: TierPrices | None = None
    priority: TierPrices | None = None
    long_context: LongContext | None = None
    source: HttpUrl
    """Where the price was read."""
    checked: dt.date
    """The day the price was last checked against ``source``."""
    note: str | None = None
    """Disagreements between public tables and how they were resolved."""

    @model_validator(mode="after")
    def _cached_not_above_input(self) -> PriceEntry:
        if self.cached_input is not None and self.cached_input > self.input:
            raise ValueError(f"cached_input ({self.cached_input}) is above input ({self.input})")
        return self


class Model(StrictModel):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
    """The API identifier, e.g. ``gpt-4.1-mini``."""
    name: str
    """Display name."""
    encoding: str
    """tiktoken encoding used to count this model's tokens."""
    encoding_exact: bool = True
    """False when the model's own tokenizer is not public and ``encoding`` is an approximation."""
    context_window: Annotated[int, Field(gt=0)]
    max_output_tokens: Annotated[int, Field(gt=0)]
    released: dt.date
    deprecated: dt.date | None = None
    """Shutdown / deprecation date, where announced."""
    aliases: tuple[str, ...] = ()
    """Dated snapshot names that bill as this model (e.g. ``gpt-4o-mini-2024-07-18``)."""
    prices: Annotated[tuple[PriceEntry, ...], Field(min_length=1)]

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        if value not in ENCODINGS:
            raise ValueError(f"unknown encoding {value!r}; expected one of {', '.join(ENCODINGS)}")
        return value

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
        return self


class ProviderFile(StrictModel):
    provider: Annotated[str, Field(pattern=r"^[a-z0-9\-]+$")]
    name: str
    models: Annotated[tuple[Model, ...], Field(min_length=1)]
