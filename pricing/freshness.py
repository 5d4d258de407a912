"""What the figures rest on, in one sentence a page or a command shows beside them:

"Curated prices checked 2026-12-07 (today); peer data genai-prices 0.2.5 of 2026-11-19
(5 models only it prices, marked as peer data)."

The curated date is the last audit's (``pricing/audited.toml``): the day every curated price was
compared with two peer tables and every difference judged. Peer data is what the live layer uses
(``pricing.peers.layer.current_source``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pricing.catalog import peer_layer
from pricing.errors import PriceDataError
from pricing.peers.judged import load_stamp


@dataclass(frozen=True)
class Freshness:
    curated_checked: dt.date | None
    """The last audit's day (None: the stamp cannot be read)."""
    today: dt.date
    peer_label: str
    """ "genai-prices 0.2.5 of 2026-11-19"."""
    peer_models: tuple[str, ...]
    """Ids of the models only the peer prices (shown, marked as peer data)."""
    skipped: int
    """Peer models left out because our schema cannot hold them (see the layer)."""
    problem: str = ""

    @property
    def days(self) -> int | None:
        return (self.today - self.curated_checked).days if self.curated_checked else None

    def age(self) -> str:
        days = self.days
        if days is None:
            return "unknown"
        if days == 0:
            return "today"
        if days < 0:
            return f"in {-days:,} day{'s' if days != -1 else ''}"
        return f"{days:,} day{'s' if days != 1 else ''} ago"

    def text(self) -> str:
        curated = (
            f"Curated prices checked {self.curated_checked} ({self.age()})"
            if self.curated_checked
            else "Curated prices: last audit date unknown"
        )
        count = len(self.peer_models)
        peers = f"peer data {self.peer_label}"
        if count:
            peers += (
                f" ({count} model{'s' if count != 1 else ''} only it prices, marked as peer data)"
            )
        text = f"{curated}; {peers}."
        if self.problem:
            text += f" {self.problem}."
        return text


def freshness(today: dt.date) -> Freshness:
    """Where the shipped table stands on ``today``."""
    try:
        checked: dt.date | None = load_stamp().as_of
    except PriceDataError:
        checked = None
    layer = peer_layer()
    return Freshness(
        checked,
        today,
        layer.source.label(),
        tuple(model.id for _, model in layer.models),
        len(layer.skipped),
        layer.problem or layer.source.problem,
    )
