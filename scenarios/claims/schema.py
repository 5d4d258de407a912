"""The claims file (``scenarios/claims/claims.toml``): its schema and its loader.

Every figure in the five source documents that a price table can check, with the documents, the
workloads (scenarios) they state and the tables they print. Unknown keys are errors; a malformed
file raises ``ClaimsDataError`` naming the file, the claim and the field.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from pricing import datafile
from pricing.cost import PER_MILLION
from pricing.schema import StrictModel

CLAIMS_FILE = Path(__file__).parent / "claims.toml"

HOLDS = "holds"
FAILS = "does not hold"
UNCHECKABLE = "cannot be checked"
VERDICTS = (HOLDS, FAILS, UNCHECKABLE)

DOCUMENT_PRESET_PREFIX = "source-"
"""Ids of the presets made of the documents' scenarios: ``source-<scenario id>``."""


Kind = Literal["price", "discount", "ratio", "monthly_cost", "savings", "release_date"]
Part = Literal[
    "input", "output", "cached_input", "batch_input", "batch_output", "batch_cached_input"
]
Measure = Literal["percent_cheaper", "cost_multiple", "times_cheaper"]
Verdict = Literal["holds", "does not hold", "cannot be checked"]
Share = Annotated[float, Field(ge=0, le=1)]


class ClaimsDataError(datafile.DataFileError):
    """The claims file is malformed; the message names the file, the claim and the field."""


class DocumentSpec(StrictModel):
    file: str
    title: str
    short_title: str
    """A few words naming the document where space is short (pickers, table cells)."""
    date: dt.date
    """The date its figures are checked at (list prices in effect that day)."""
    date_estimated: bool
    date_basis: str
    """Where the date comes from; for an estimate, the evidence in the text."""

    @property
    def number(self) -> str:
        """The file's number (``003``): the files are named ``<number>_<hash>.txt``."""
        return self.file.split("_", 1)[0]

    @property
    def label(self) -> str:
        """How a person picks or reads the document: ``003 — <short title> (est. 2025-06)``."""
        when = ("est. " if self.date_estimated else "") + f"{self.date:%Y-%m}"
        return f"{self.number} — {self.short_title} ({when})"


class TableSpec(StrictModel):
    id: str
    source: str
    title: str


class ScenarioSpec(StrictModel):
    """A document's workload: monthly tokens and the input/output split it states or implies."""

    id: str
    source: str
    title: str
    total_tokens: Annotated[float, Field(gt=0)]
    input_share: Share
    split_note: str
    models: tuple[str, ...]

    @property
    def preset_id(self) -> str:
        """The id of the preset made of this scenario (``source-<id>``)."""
        return DOCUMENT_PRESET_PREFIX + self.id

    @property
    def preset_title(self) -> str:
        """That preset's title: ``<title> (source 003)``."""
        return f"{self.title} (source {self.source.split('_')[0]})"


class ClaimSpec(StrictModel):
    """One checkable figure of a source document."""

    id: str
    """``<document number>-<slug>``, e.g. ``000-gpt4-input``; unique in the file."""
    source: str
    """The document's ``file`` the figure is in."""
    claim: str
    """What the figure says, paraphrased."""
    kind: Kind
    """What is checked; each kind needs its own fields (``_fields_for_kind``)."""
    model: str
    """The model the figure is about (an id or alias of the price table)."""
    other: str | None = None
    """The model compared against (``ratio``, ``savings``)."""
    part: Part | None = None
    """The price a ``price`` or ``discount`` figure names (``input``, ``batch_output``, ...)."""
    measure: Measure | None = None
    """How a ``ratio`` is stated: percent cheaper, a cost multiple, or times cheaper."""
    per_tokens: int = PER_MILLION
    """The token unit of a quoted price (1,000 for a price per 1K tokens)."""
    claimed: float | None = None
    claimed_high: float | None = None
    """Upper end where the document gives a range ("80%-83%")."""
    claimed_date: dt.date | None = None
    claimed_text: str
    """The figure as the document prints it."""
    scenario: str | None = None
    input_share: Share | None = None
    split_note: str | None = None
    cached_share: Share = 0.0
    tolerance_abs: Annotated[float, Field(ge=0)] | None = None
    tolerance_rel: Annotated[float, Field(ge=0)] | None = None
    expected_verdict: Verdict
    note: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None

    @model_validator(mode="after")
    def _fields_for_kind(self) -> ClaimSpec:
        need: dict[str, tuple[str, ...]] = {
            "price": ("part", "claimed"),
            "discount": ("part", "claimed"),
            "ratio": ("other", "measure", "claimed"),
            "monthly_cost": ("scenario", "claimed"),
            "savings": ("other", "scenario", "claimed"),
            "release_date": ("claimed_date",),
        }
        missing = [name for name in need[self.kind] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"kind {self.kind} needs {', '.join(missing)}")
        if self.kind == "ratio" and self.input_share is None and self.scenario is None:
            raise ValueError("kind ratio needs input_share or scenario")
        if self.kind != "release_date" and (self.tolerance_abs is None) == (
            self.tolerance_rel is None
        ):
            raise ValueError("give exactly one of tolerance_abs and tolerance_rel")
        if (self.table is None) != (self.row is None) or (self.table is None) != (
            self.column is None
        ):
            raise ValueError("table, row and column go together")
        return self


class ClaimsFile(StrictModel):
    documents: tuple[DocumentSpec, ...]
    tables: tuple[TableSpec, ...] = ()
    scenarios: tuple[ScenarioSpec, ...]
    claims: tuple[ClaimSpec, ...]

    @model_validator(mode="after")
    def _references(self) -> ClaimsFile:
        files = {d.file for d in self.documents}
        scenarios = {s.id for s in self.scenarios}
        tables = {t.id for t in self.tables}
        seen: set[str] = set()
        problems = []
        for item in (*self.tables, *self.scenarios):
            if item.source not in files:
                problems.append(f"{item.id}: field source: unknown document {item.source!r}")
        for claim in self.claims:
            if claim.id in seen:
                problems.append(f"claim {claim.id}: field id: used twice")
            seen.add(claim.id)
            if claim.source not in files:
                problems.append(f"claim {claim.id}: field source: unknown document")
            if claim.scenario is not None and claim.scenario not in scenarios:
                problems.append(f"claim {claim.id}: field scenario: unknown {claim.scenario!r}")
            if claim.table is not None and claim.table not in tables:
                problems.append(f"claim {claim.id}: field table: unknown {claim.table!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def document(self, file: str) -> DocumentSpec:
        return next(d for d in self.documents if d.file == file)

    def scenario(self, scenario_id: str) -> ScenarioSpec:
        return next(s for s in self.scenarios if s.id == scenario_id)


CLAIMS_ITEMS = {
    "claims": datafile.named("claim", "id"),
    "scenarios": datafile.named("scenario", "id"),
    "documents": datafile.named("document", "id", "file"),
    "tables": datafile.named("table", "id"),
}
"""How the claims file's problems name the claim, scenario, document or table they are in."""


@functools.lru_cache(maxsize=4)
def _load(path: str) -> ClaimsFile:
    return datafile.load(Path(path), ClaimsFile, ClaimsDataError, items=CLAIMS_ITEMS)


def load_claims(path: Path | str | None = None) -> ClaimsFile:
    """The claims file (default: the shipped ``claims.toml`` beside this module), validated
    and cached."""
    return _load(str(Path(path or CLAIMS_FILE).resolve()))
