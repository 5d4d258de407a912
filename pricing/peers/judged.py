"""What a maintainer has decided about the peers: judged differences (``pricing/judged/``) and
the last audit's day and pinned peers (``pricing/audited.toml``)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator

from pricing.columns import PRICE_COLUMNS
from pricing.errors import PriceDataError
from pricing.peers import PeerError
from pricing.schema import StrictModel

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

JUDGED_DIR = Path(__file__).parents[1] / "judged"


class JudgedDataError(PeerError, PriceDataError):
    """A judged file is malformed; the message names the file, the entry and the field."""


# -- judged differences ------------------------------------------------------------------------


class Judgement(StrictModel):
    """One difference a maintainer has looked at (``pricing/judged/<provider>.toml``)."""

    model: Annotated[str, Field(min_length=1)]
    """Our model id (for ``missing_here``: the peer's id)."""
    field: str
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

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        if value not in JUDGED_FIELDS:
            raise ValueError(f"unknown field {value!r}")
        return value


class JudgedFile(StrictModel):
    judged: tuple[Judgement, ...] = ()


@dataclass(frozen=True)
class JudgedEntry:
    """A judgement with the provider (file) it belongs to."""

    provider: str
    judgement: Judgement


def load_judged_file(path: Path) -> list[JudgedEntry]:
    """One judged file, or ``JudgedDataError`` naming the file, the entry and the field."""
    name = f"{path.parent.name}/{path.name}"
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise JudgedDataError(f"{name}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise JudgedDataError(f"{name}: cannot be read: {exc.strerror}") from None
    try:
        data = JudgedFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = list(error["loc"])
            where = ""
            if len(loc) >= 2 and loc[0] == "judged" and isinstance(loc[1], int):
                entries = raw.get("judged") or []
                entry = entries[loc[1]] if loc[1] < len(entries) else {}
                model = entry.get("model") if isinstance(entry, dict) else None
                where = f"judged entry {loc[1] + 1}" + (f" (model {model})" if model else "") + ": "
                loc = loc[2:]
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            elif error["type"] == "missing":
                message = "required field is missing"
            field_name = ".".join(str(part) for part in loc) or "(entry)"
            problems.append(f"{name}: {where}field {field_name}: {message}")
        raise JudgedDataError("; ".join(problems)) from None
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
    path = path or STAMP_FILE
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PriceDataError(f"{path.name}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise PriceDataError(f"{path.name}: cannot be read: {exc.strerror}") from None
    try:
        return AuditStamp.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{path.name}: field {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
            for e in exc.errors()
        ]
        raise PriceDataError("; ".join(problems)) from None
