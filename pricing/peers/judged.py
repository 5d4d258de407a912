"""What a maintainer has decided about the peers: judged differences (``pricing/judged/``) and
the last audit's day and pinned peers (``pricing/audited.toml``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from pricing import datafile
from pricing.columns import PRICE_COLUMNS
from pricing.errors import PriceDataError
from pricing.peers import PeerError
from pricing.schema import StrictModel, one_of

MODEL_FIELDS = ("context_window", "max_output_tokens")
JUDGED_FIELDS = (
    *PRICE_COLUMNS,
    "shutdown",
    "released",
    *MODEL_FIELDS,
    "missing_here",
    "missing_there",
)
"""What a judgement's ``field`` may name."""
JudgedField = one_of(JUDGED_FIELDS, "field", listed=False)

JUDGED_DIR = Path(__file__).parents[1] / "judged"


class JudgedDataError(PeerError, PriceDataError):
    """A judged file is malformed; the message names the file, the entry and the field."""


# -- judged differences ------------------------------------------------------------------------


class Judgement(StrictModel):
    """One difference a maintainer has looked at (``pricing/judged/<provider>.toml``)."""

    model: Annotated[str, Field(min_length=1)]
    """Our model id (for ``missing_here``: the peer's id)."""
    field: JudgedField
    """A flat price column or one of shutdown, released, context_window, max_output_tokens,
    missing_here, missing_there."""
    peer: Literal["genai-prices", "litellm"]
    date: dt.date | None = None
    """The price entry's effective date concerned (absent: any date)."""
    ours: str
    """What we have, as text ("" for none)."""
    theirs: str
    """What the peer has, as text ("" for none)."""
    why: Annotated[str, Field(min_length=1)]


class JudgedFile(StrictModel):
    judged: tuple[Judgement, ...] = ()


@dataclass(frozen=True)
class JudgedEntry:
    """A judgement with the provider (file) it belongs to."""

    provider: str
    judgement: Judgement


JUDGED_ITEMS = {"judged": datafile.numbered("judged entry", "model")}
"""How a judged file's problems name the entry they are in."""


def load_judged_file(path: Path) -> list[JudgedEntry]:
    """One judged file, or ``JudgedDataError`` naming the file, the entry and the field."""
    name = f"{path.parent.name}/{path.name}"
    data = datafile.load(path, JudgedFile, JudgedDataError, name=name, items=JUDGED_ITEMS)
    return [JudgedEntry(path.stem, judgement) for judgement in data.judged]


def load_judged(judged_dir: Path | str | None = None) -> list[JudgedEntry]:
    """Every judgement in ``judged_dir`` (default: ``pricing/judged/``)."""
    directory = Path(judged_dir or JUDGED_DIR)
    entries: list[JudgedEntry] = []
    for path in sorted(directory.glob("*.toml")):
        entries.extend(load_judged_file(path))
    return entries


# -- the last audit -----------------------------------------------------------------------------

STAMP_FILE = Path(__file__).parents[1] / "audited.toml"


class PinnedPeer(StrictModel):
    version: Annotated[str, Field(min_length=1)]
    published: dt.date
    """The day this release reached PyPI."""


class AuditStamp(StrictModel):
    """``pricing/audited.toml``: the day the shipped table was last audited, and the peers."""

    as_of: dt.date
    peers: dict[Literal["genai-prices", "litellm"], PinnedPeer]


def load_stamp(path: Path | None = None) -> AuditStamp:
    """The last audit's date and pinned peers, or ``PriceDataError`` naming the file."""
    return datafile.load(path or STAMP_FILE, AuditStamp, PriceDataError)
