"""Check the source documents' figures against the price table.

``scenarios/claims.toml`` lists every figure in the five source documents that a price table can
check. Each is evaluated at the list prices in effect on its document's date: the computed
figure, a verdict (holds within its tolerance / does not hold / cannot be checked) and, for a
figure that does not hold, what would make it hold: the input/output split or cached share it
needs, the tier or model whose price it matches, or that nothing at list prices produces it (with
the nearest possible figure).

Splits: ``input_share`` is the share of a workload's tokens that are input (1 = all input,
0 = all output). A cost is linear in the split, so its range over all splits is reached at the
ends: the minimum at all-input (for every model whose output costs more than its input) and the
maximum at all-output. Where a document does not say its split, the claim (or its scenario)
records the one assumed, and the range is reported alongside.

Pure: no streamlit. The page (``app_pages/source_check.py``) and the CLI
(``python -m scenarios claims``) draw what this module returns.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field, ValidationError, model_validator

from pricing.catalog import (
    Catalog,
    NotReleasedError,
    UnknownModelError,
    flatten_prices,
    load_catalog,
)
from pricing.cost import Workload, monthly_cost
from pricing.schema import StrictModel

CLAIMS_FILE = Path(__file__).parent / "claims.toml"

HOLDS = "holds"
FAILS = "does not hold"
UNCHECKABLE = "cannot be checked"
VERDICTS = (HOLDS, FAILS, UNCHECKABLE)

PER_MILLION = 1_000_000
TOKENS_PER_REQUEST = 1_000
"""Request size used to turn a document's monthly token total into a workload (the documents do
not give one; the monthly cost depends only on the totals)."""

Kind = Literal["price", "discount", "ratio", "monthly_cost", "savings", "release_date"]
Part = Literal[
    "input", "output", "cached_input", "batch_input", "batch_output", "batch_cached_input"
]
Measure = Literal["percent_cheaper", "cost_multiple", "times_cheaper"]
Verdict = Literal["holds", "does not hold", "cannot be checked"]
Share = Annotated[float, Field(ge=0, le=1)]

SEARCH_PARTS = (
    "input",
    "cached_input",
    "output",
    "batch_input",
    "batch_cached_input",
    "batch_output",
    "priority_input",
    "priority_output",
)
"""Price columns searched for a match when a quoted price does not hold."""


class ClaimsDataError(ValueError):
    """The claims file is malformed; the message names the file, the claim and the field."""


class DocumentSpec(StrictModel):
    file: str
    title: str
    date: dt.date
    """The date its figures are checked at (list prices in effect that day)."""
    date_estimated: bool
    date_basis: str
    """Where the date comes from; for an estimate, the evidence in the text."""


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


class ClaimSpec(StrictModel):
    id: str
    source: str
    claim: str
    """What the figure says, paraphrased."""
    kind: Kind
    model: str
    other: str | None = None
    """The model compared against (``ratio``, ``savings``)."""
    part: Part | None = None
    measure: Measure | None = None
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


def _describe(path: Path, raw: dict, error: dict) -> str:
    loc = list(error["loc"])
    where = ""
    if len(loc) >= 2 and loc[0] in ("claims", "scenarios", "documents", "tables"):
        items = raw.get(loc[0]) or []
        index = loc[1]
        item = items[index] if isinstance(index, int) and index < len(items) else {}
        name = item.get("id") or item.get("file") if isinstance(item, dict) else None
        where = f"{loc[0][:-1]} {name or f'#{index + 1}'}: "
        loc = loc[2:]
    field = ".".join(str(p) for p in loc) or "(entry)"
    message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
    return f"{path.name}: {where}field {field}: {message}"


@functools.lru_cache(maxsize=4)
def _load(path: str) -> ClaimsFile:
    file = Path(path)
    try:
        with file.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ClaimsDataError(f"{file.name}: not valid TOML: {exc}") from None
    try:
        return ClaimsFile.model_validate(raw)
    except ValidationError as exc:
        raise ClaimsDataError(
            "; ".join(_describe(file, raw, err) for err in exc.errors())
        ) from None


def load_claims(path: Path | str | None = None) -> ClaimsFile:
    """The claims file (default: the shipped ``scenarios/claims.toml``), validated and cached."""
    return _load(str(Path(path or CLAIMS_FILE).resolve()))


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Evaluation:
    """One claim checked against the price table."""

    id: str
    source: str
    as_of: dt.date
    kind: str
    claim: str
    claimed: str
    """The figure as the document prints it."""
    computed: str
    """The recomputed figure, in the claim's unit ('' when it cannot be checked)."""
    unit: str
    claimed_value: float | None
    computed_value: float | None
    low: float | None
    """Lowest value over every input/output split (cost-based claims)."""
    high: float | None
    input_share: float | None
    """The split the computed figure is at."""
    verdict: str
    note: str
    """Why, and for a figure that does not hold, what would make it hold."""
    expected_verdict: str
    model: str
    other: str | None
    scenario: str | None
    table: str | None
    row: str | None
    column: str | None


def money(value: float) -> str:
    """USD for reading: cents, more digits for small amounts."""
    if value != 0 and abs(value) < 0.01:
        return f"${value:.6f}".rstrip("0")
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def unit_price(value: float) -> str:
    """A unit price with at least two decimals and no float noise (0.075, 0.0004)."""
    text = f"{value:.6f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"${whole}.{frac.ljust(2, '0')}"


def percent(value: float) -> str:
    return f"{value:.1f}%"


def share_text(share: float) -> str:
    return f"{share * 100:.0f}% input / {(1 - share) * 100:.0f}% output"


def _tolerance(claim: ClaimSpec, claimed: float) -> float:
    if claim.tolerance_abs is not None:
        return claim.tolerance_abs
    return abs(claimed) * (claim.tolerance_rel or 0.0)


def _tolerance_text(claim: ClaimSpec, fmt) -> str:
    """The claim's tolerance as text; ``fmt`` formats an absolute tolerance in its unit."""
    if claim.tolerance_rel is not None:
        return f"tolerance ±{claim.tolerance_rel * 100:g}%"
    return f"tolerance ±{fmt(claim.tolerance_abs or 0.0)}"


def _points(value: float) -> str:
    return f"{value:g} pt"


def _plain_price(value: float) -> str:
    return unit_price(value).lstrip("$")


def _within(value: float, low: float, high: float, tol: float) -> bool:
    return low - tol - 1e-12 <= value <= high + tol + 1e-12


class _Uncheckable(Exception):
    """The claim cannot be checked; the message says why."""


def _table(catalog: Catalog, as_of: dt.date) -> pd.DataFrame:
    return catalog.table(as_of)


def _prices(catalog: Catalog, model: str, as_of: dt.date) -> tuple[str, dict[str, float]]:
    """Canonical id and flat prices of a model on a date, or ``_Uncheckable`` saying why not."""
    try:
        model_id = catalog.resolve(model)
        entry = catalog.price(model_id, as_of)
    except UnknownModelError:
        raise _Uncheckable(f"model {model} is not in the price table") from None
    except NotReleasedError:
        released = catalog.model(model).released
        raise _Uncheckable(f"{model} was not released yet on {as_of} ({released})") from None
    return model_id, flatten_prices(entry)


def _blend(prices: dict[str, float], share: float, cached_share: float = 0.0) -> float:
    """USD per 1M tokens at an input share (cached input billed at the cached rate)."""
    cached = prices["cached_input"]
    if math.isnan(cached):
        cached = prices["input"]
    input_rate = prices["input"] * (1 - cached_share) + cached * cached_share
    return share * input_rate + (1 - share) * prices["output"]


def _base(claim: ClaimSpec, as_of: dt.date, **fields) -> dict:
    return {
        "id": claim.id,
        "source": claim.source,
        "as_of": as_of,
        "kind": claim.kind,
        "claim": claim.claim,
        "claimed": claim.claimed_text,
        "claimed_value": claim.claimed,
        "expected_verdict": claim.expected_verdict,
        "model": claim.model,
        "other": claim.other,
        "scenario": claim.scenario,
        "table": claim.table,
        "row": claim.row,
        "column": claim.column,
        "computed": "",
        "computed_value": None,
        "low": None,
        "high": None,
        "input_share": None,
        **fields,
    }


def _join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


# ------------------------------------------------------------------------------------ price


_PART_NAMES = {
    "input": "input",
    "output": "output",
    "cached_input": "cached input",
    "batch_input": "batch input",
    "batch_output": "batch output",
    "batch_cached_input": "batch cached input",
    "priority_input": "priority input",
    "priority_output": "priority output",
}


def _price_matches(
    catalog: Catalog, model_id: str, value: float, tol: float, as_of: dt.date
) -> list[str]:
    """Other prices (this model's other tiers and dates, then other models) equal to ``value``."""
    found = []
    table = _table(catalog, as_of)
    own = table[table["model"] == model_id]
    rest = table[table["model"] != model_id]
    for frame in (own, rest):
        for row in frame.itertuples(index=False):
            for part in SEARCH_PARTS:
                price = getattr(row, part)
                if not math.isnan(price) and abs(price - value) <= tol + 1e-12:
                    found.append(f"{row.model} {_PART_NAMES[part]} ({unit_price(price)})")
    for entry in catalog.model(model_id).prices:
        flat = flatten_prices(entry)
        for part in ("input", "output", "cached_input"):
            if not math.isnan(flat[part]) and abs(flat[part] - value) <= tol + 1e-12:
                text = f"{model_id} {_PART_NAMES[part]} from {entry.effective}"
                if entry.effective != catalog.price(model_id, as_of).effective:
                    found.append(text + f" ({unit_price(flat[part])})")
    return list(dict.fromkeys(found))


def _evaluate_price(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    model_id, prices = _prices(catalog, claim.model, as_of)
    assert claim.part is not None and claim.claimed is not None
    value = prices[claim.part]
    if math.isnan(value):
        raise _Uncheckable(f"{model_id} has no {_PART_NAMES[claim.part]} price on {as_of}")
    scale = claim.per_tokens / PER_MILLION
    computed = value * scale
    unit = "USD per 1K tokens" if claim.per_tokens == 1000 else "USD per 1M tokens"
    if claim.per_tokens not in (1000, PER_MILLION):
        unit = f"USD per {claim.per_tokens:,} tokens"
    tol = _tolerance(claim, claim.claimed)
    holds = abs(computed - claim.claimed) <= tol + 1e-12
    label = f"{model_id} {_PART_NAMES[claim.part]} list price on {as_of}: {unit_price(computed)}"
    note = label + f" ({_tolerance_text(claim, _plain_price)})."
    if not holds:
        per_m = claim.claimed / scale
        matches = _price_matches(catalog, model_id, per_m, tol / scale, as_of)
        if matches:
            note = _join(note, f"The figure matches {', '.join(matches[:6])}.")
        else:
            note = _join(note, "No price in the table on that date matches it.")
        for power in (1, 2, 3):
            for factor in (10**power, 10**-power):
                if abs(per_m * factor - value) <= (tol / scale) * factor + 1e-12:
                    note = _join(
                        note,
                        f"It is the list price divided by {factor:g}"
                        if factor > 1
                        else f"It is the list price times {1 / factor:g}",
                    )
                    note += " (a unit or decimal-point slip?)."
    return _base(
        claim,
        as_of,
        computed=unit_price(computed),
        computed_value=computed,
        unit=unit,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _evaluate_discount(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    model_id, prices = _prices(catalog, claim.model, as_of)
    assert claim.part is not None and claim.claimed is not None
    base_part = "output" if claim.part.endswith("output") else "input"
    value, base = prices[claim.part], prices[base_part]
    if math.isnan(value):
        raise _Uncheckable(f"{model_id} has no {_PART_NAMES[claim.part]} price on {as_of}")
    computed = (1 - value / base) * 100
    tol = _tolerance(claim, claim.claimed)
    holds = abs(computed - claim.claimed) <= tol + 1e-12
    note = (
        f"{model_id}: {_PART_NAMES[claim.part]} {unit_price(value)} against {base_part} "
        f"{unit_price(base)} is {percent(computed)} off ({_tolerance_text(claim, _points)})."
    )
    return _base(
        claim,
        as_of,
        computed=percent(computed),
        computed_value=computed,
        unit="% off",
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


# ------------------------------------------------------------------------------------ ratio


def _measure(measure: str, a: float, b: float) -> float:
    if measure == "percent_cheaper":
        return (1 - a / b) * 100
    if measure == "cost_multiple":
        return a / b
    return b / a


def _measure_text(measure: str, value: float) -> str:
    if measure == "percent_cheaper":
        return percent(value) + " cheaper" if value >= 0 else percent(-value) + " dearer"
    if measure == "cost_multiple":
        return f"{value:.3g}x the cost"
    return f"{value:.3g}x cheaper"


def _cost_ratio_target(measure: str, value: float) -> float:
    """The ``a/b`` cost ratio a measured value stands for."""
    if measure == "percent_cheaper":
        return 1 - value / 100
    if measure == "cost_multiple":
        return value
    return 1 / value


def _split_for_ratio(a: dict[str, float], b: dict[str, float], ratio: float) -> float | None:
    """The input share at which cost(a) = ratio x cost(b), if one in [0, 1] exists."""
    slope = (a["input"] - a["output"]) - ratio * (b["input"] - b["output"])
    if abs(slope) < 1e-15:
        return None
    share = (ratio * b["output"] - a["output"]) / slope
    return share if -1e-9 <= share <= 1 + 1e-9 else None


def _ratio_share(claim: ClaimSpec, claims: ClaimsFile) -> tuple[float, str]:
    if claim.input_share is not None:
        return claim.input_share, claim.split_note or ""
    scenario = claims.scenario(claim.scenario or "")
    return scenario.input_share, scenario.split_note


def _evaluate_ratio(claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile) -> dict:
    assert claim.other is not None and claim.measure is not None and claim.claimed is not None
    a_id, a = _prices(catalog, claim.model, as_of)
    b_id, b = _prices(catalog, claim.other, as_of)
    share, split_note = _ratio_share(claim, claims)
    measure = claim.measure
    value = _measure(measure, _blend(a, share, claim.cached_share), _blend(b, share))
    ends = [_measure(measure, a[p], b[p]) for p in ("input", "output")]
    low, high = min(ends), max(ends)
    claimed_low = claim.claimed
    claimed_high = claim.claimed_high if claim.claimed_high is not None else claim.claimed
    tol = _tolerance(claim, claim.claimed)
    holds = _within(value, claimed_low, claimed_high, tol)
    fmt = functools.partial(_measure_text, measure)
    note = _join(
        f"{a_id} against {b_id} at {share_text(share)}: {fmt(value)}"
        f" ({_tolerance_text(claim, _points if measure == 'percent_cheaper' else '{:g}'.format)}).",
        split_note,
        "The same at every uncached split."
        if abs(ends[0] - ends[1]) < 1e-9
        else f"Over all splits: {fmt(ends[0])} (all input) to {fmt(ends[1])} (all output).",
    )
    if not holds:
        note = _join(note, _ratio_fixes(claim, as_of, catalog, a_id, a, b_id, b, share, tol))
    return _base(
        claim,
        as_of,
        computed=fmt(value),
        computed_value=value,
        unit={"percent_cheaper": "% cheaper", "cost_multiple": "x", "times_cheaper": "x"}[measure],
        low=low,
        high=high,
        input_share=share,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _ratio_fixes(
    claim: ClaimSpec,
    as_of: dt.date,
    catalog: Catalog,
    a_id: str,
    a: dict[str, float],
    b_id: str,
    b: dict[str, float],
    share: float,
    tol: float,
) -> str:
    """What would make a ratio hold: a split, caching, a tier, or another model."""
    assert claim.measure is not None and claim.claimed is not None
    measure = claim.measure
    fmt = functools.partial(_measure_text, measure)
    targets = [claim.claimed] + ([claim.claimed_high] if claim.claimed_high is not None else [])
    lo_t, hi_t = min(targets), max(targets)
    fixes = []
    splits = [_split_for_ratio(a, b, _cost_ratio_target(measure, t)) for t in targets]
    splits = [s for s in splits if s is not None]
    if splits:
        fixes.append(f"It holds at {share_text(min(max(splits[0], 0), 1))}.")
    else:
        # Corners of (split, cached share): all output, all uncached input, all cached input.
        corners = {
            "all output": _measure(measure, a["output"], b["output"]),
            "all input": _measure(measure, a["input"], b["input"]),
            "all cached input": _measure(measure, _blend(a, 1.0, 1.0), _blend(b, 1.0, 1.0)),
        }
        reach_low, reach_high = min(corners.values()), max(corners.values())
        if _within(lo_t, reach_low, reach_high, tol) or _within(hi_t, reach_low, reach_high, tol):
            fixes.append(
                f"No uncached split gives it; with cached input the range is "
                f"{fmt(reach_low)} to {fmt(reach_high)}, so only a cached share can."
            )
        else:
            name, nearest = min(
                corners.items(), key=lambda kv: min(abs(kv[1] - lo_t), abs(kv[1] - hi_t))
            )
            fixes.append(
                f"No split or cached share at list prices produces it; nearest is "
                f"{fmt(nearest)} ({name})."
            )
    # Tiers: a batch price compared with a list price.
    for a_tier, b_tier, b_prices, label in (
        ("batch", "list", b, f"{a_id} batch against {b_id} list"),
        ("list", "batch", b, f"{a_id} list against {b_id} batch"),
        ("batch", "list", a, f"{a_id} batch against {a_id}'s own list price"),
    ):
        pa = _tier(a, a_tier)
        pb = _tier(b_prices, b_tier)
        if pa is None or pb is None:
            continue
        tier_value = _measure(measure, _blend(pa, share), _blend(pb, share))
        if _within(tier_value, lo_t, hi_t, tol):
            fixes.append(f"It matches {label} ({fmt(tier_value)}).")
    # Other models: the comparison the figure actually describes.
    table = _table(catalog, as_of)
    references, subjects = [], []
    for row in table.itertuples(index=False):
        prices = {"input": row.input, "output": row.output, "cached_input": row.cached_input}
        if math.isnan(prices["input"]) or math.isnan(prices["output"]):
            continue
        if row.model != b_id and row.model != a_id:
            v = _measure(measure, _blend(a, share), _blend(prices, share))
            if _within(v, lo_t, hi_t, tol):
                references.append(f"{row.model} ({fmt(v)})")
            v = _measure(measure, _blend(prices, share), _blend(b, share))
            if _within(v, lo_t, hi_t, tol):
                subjects.append(f"{row.model} ({fmt(v)})")
    if references:
        fixes.append(f"At list prices it fits {a_id} against {', '.join(references[:5])}.")
    if subjects:
        fixes.append(f"It fits {', '.join(subjects[:5])} against {b_id}.")
    return " ".join(fixes)


def _tier(prices: dict[str, float], tier: str) -> dict[str, float] | None:
    if tier == "list":
        return prices
    p_in, p_out = prices[f"{tier}_input"], prices[f"{tier}_output"]
    if math.isnan(p_in) or math.isnan(p_out):
        return None
    return {"input": p_in, "output": p_out, "cached_input": prices[f"{tier}_cached_input"]}


# ------------------------------------------------------------------------------------ costs


def scenario_workload(scenario: ScenarioSpec, input_share: float | None = None) -> Workload:
    """The scenario as a workload: its monthly tokens in requests of ``TOKENS_PER_REQUEST``."""
    share = scenario.input_share if input_share is None else input_share
    return Workload(
        requests=scenario.total_tokens / TOKENS_PER_REQUEST,
        input_tokens=TOKENS_PER_REQUEST * share,
        output_tokens=TOKENS_PER_REQUEST * (1 - share),
    )


def scenario_costs(
    scenario: ScenarioSpec,
    models: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Monthly cost of a scenario on each model at its split, all-input and all-output.

    Columns: ``model``, ``cost`` (USD/month at the scenario's split), ``low`` (all input),
    ``high`` (all output), ``input_share``.
    """
    catalog = catalog or load_catalog()
    models = list(models or scenario.models)
    frame = pd.DataFrame(
        [
            scenario_workload(scenario).__dict__,
            scenario_workload(scenario, 1.0).__dict__,
            scenario_workload(scenario, 0.0).__dict__,
        ]
    )
    result = monthly_cost(frame, models, as_of, catalog)
    costs = result.pivot(index="model", columns="workload", values="total_cost")
    order = [catalog.resolve(m) for m in models]
    return pd.DataFrame(
        {
            "model": order,
            "cost": [costs.at[m, 0] for m in order],
            "low": [min(costs.at[m, 1], costs.at[m, 2]) for m in order],
            "high": [max(costs.at[m, 1], costs.at[m, 2]) for m in order],
            "input_share": scenario.input_share,
        }
    )


def _cost_at(prices: dict[str, float], tokens: float, share: float, cached: float = 0.0) -> float:
    return tokens * _blend(prices, share, cached) / PER_MILLION


def _evaluate_monthly_cost(
    claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile
) -> dict:
    assert claim.claimed is not None
    scenario = claims.scenario(claim.scenario or "")
    model_id, prices = _prices(catalog, claim.model, as_of)
    costs = scenario_costs(scenario, [model_id], as_of, catalog).iloc[0]
    value, low, high = float(costs["cost"]), float(costs["low"]), float(costs["high"])
    tokens, share = scenario.total_tokens, scenario.input_share
    tol = _tolerance(claim, claim.claimed)
    holds = abs(value - claim.claimed) <= tol + 1e-9
    per_m = claim.claimed / tokens * PER_MILLION
    note = _join(
        f"{tokens / 1e6:,.0f}M tokens on {model_id} at {share_text(share)}: {money(value)}"
        f" ({_tolerance_text(claim, money)}).",
        scenario.split_note,
        f"Over all splits: {money(low)} (all input) to {money(high)} (all output).",
    )
    if not holds:
        note = _join(
            note,
            f"The figure is {unit_price(per_m)} per 1M tokens blended.",
            _cost_fixes(claim, as_of, catalog, model_id, prices, tokens, share, tol),
        )
    return _base(
        claim,
        as_of,
        computed=money(value),
        computed_value=value,
        unit="USD per month",
        low=low,
        high=high,
        input_share=share,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _cost_fixes(
    claim: ClaimSpec,
    as_of: dt.date,
    catalog: Catalog,
    model_id: str,
    prices: dict[str, float],
    tokens: float,
    share: float,
    tol: float,
) -> str:
    """What would make a monthly cost hold: a split, a cached share, a tier or another model."""
    assert claim.claimed is not None
    target = claim.claimed
    p_in, p_out = prices["input"], prices["output"]
    fixes = []
    at_input = _cost_at(prices, tokens, 1.0)
    at_output = _cost_at(prices, tokens, 0.0)
    all_cached = _cost_at(prices, tokens, 1.0, 1.0)
    split = None
    if abs(p_in - p_out) > 1e-15:
        split = (p_out - target / tokens * PER_MILLION) / (p_out - p_in)
    if split is not None and -1e-9 <= split <= 1 + 1e-9:
        fixes.append(f"It holds at {share_text(min(max(split, 0.0), 1.0))}.")
    elif min(all_cached, at_output) - tol <= target <= max(at_input, at_output) + tol:
        # Below the all-input cost: only cache hits can bring it down.
        span = share * (p_in - _blend(prices, 1.0, 1.0))
        cached = None
        if span > 0:
            cached = (_blend(prices, share) - target / tokens * PER_MILLION) / span
        if cached is not None and 0 <= cached <= 1:
            fixes.append(
                f"No uncached split gives it; at {share_text(share)} it needs "
                f"{cached * 100:.0f}% of input tokens to be cache hits."
            )
        else:
            full = (p_in - target / tokens * PER_MILLION) / (p_in - _blend(prices, 1.0, 1.0))
            fixes.append(
                f"No uncached split gives it; only an all-input workload with "
                f"{full * 100:.0f}% cache hits does."
            )
    else:
        nearest, where = min(
            ((at_output, "all output"), (all_cached, "all cached input"), (at_input, "all input")),
            key=lambda pair: abs(pair[0] - target),
        )
        fixes.append(
            f"No split or cached share at list prices produces it; nearest is "
            f"{money(nearest)} ({where})."
        )
    for tier in ("batch", "priority"):
        tier_prices = _tier(prices, tier)
        if tier_prices is not None:
            cost = _cost_at(tier_prices, tokens, share)
            if abs(cost - target) <= tol:
                fixes.append(f"It matches {model_id}'s {tier} price ({money(cost)}).")
    exact, some_split = [], []
    for row in _table(catalog, as_of).itertuples(index=False):
        if row.model == model_id or math.isnan(row.input) or math.isnan(row.output):
            continue
        other = {"input": row.input, "output": row.output, "cached_input": row.cached_input}
        cost = _cost_at(other, tokens, share)
        if abs(cost - target) <= tol:
            exact.append(f"{row.model} ({money(cost)})")
        elif abs(row.input - row.output) > 1e-15:
            s = (row.output - target / tokens * PER_MILLION) / (row.output - row.input)
            if 0 <= s <= 1:
                some_split.append((abs(s - share), f"{row.model} at {s * 100:.0f}% input"))
    if exact:
        fixes.append(f"At {share_text(share)} it is the list cost of {', '.join(exact[:5])}.")
    elif some_split:
        names = [text for _, text in sorted(some_split)[:4]]
        fixes.append(f"Models whose list cost reaches it at some split: {', '.join(names)}.")
    return " ".join(fixes)


def _evaluate_savings(
    claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile
) -> dict:
    assert claim.other is not None and claim.claimed is not None
    scenario = claims.scenario(claim.scenario or "")
    a_id, a = _prices(catalog, claim.model, as_of)
    b_id, b = _prices(catalog, claim.other, as_of)
    costs = scenario_costs(scenario, [a_id, b_id], as_of, catalog).set_index("model")
    value = float(costs.at[b_id, "cost"] - costs.at[a_id, "cost"])
    tokens, share = scenario.total_tokens, scenario.input_share
    at_input = _cost_at(b, tokens, 1.0) - _cost_at(a, tokens, 1.0)
    at_output = _cost_at(b, tokens, 0.0) - _cost_at(a, tokens, 0.0)
    low, high = min(at_input, at_output), max(at_input, at_output)
    tol = _tolerance(claim, claim.claimed)
    holds = abs(value - claim.claimed) <= tol + 1e-9
    note = _join(
        f"{tokens / 1e6:,.0f}M tokens at {share_text(share)}: "
        f"{b_id} {money(costs.at[b_id, 'cost'])} minus "
        f"{a_id} {money(costs.at[a_id, 'cost'])} = {money(value)}"
        f" ({_tolerance_text(claim, money)}).",
        scenario.split_note,
        f"Over all splits: {money(at_input)} (all input) to {money(at_output)} (all output).",
    )
    if not holds:
        slope = at_input - at_output
        split = (claim.claimed - at_output) / slope if abs(slope) > 1e-12 else None
        if split is not None and 0 <= split <= 1:
            note = _join(note, f"It holds at {share_text(split)}.")
        else:
            nearest = (
                at_input
                if abs(at_input - claim.claimed) < abs(at_output - claim.claimed)
                else at_output
            )
            note = _join(
                note,
                f"No split at list prices produces it; nearest is {money(nearest)}.",
            )
            if high < 0:
                cheaper_cached = _blend(a, 1.0, 1.0) < _blend(b, 1.0, 1.0)
                note = _join(
                    note,
                    f"{a_id} costs more than {b_id} at every split"
                    + (
                        "."
                        if cheaper_cached
                        else " and with any cached share, so there is no saving to find."
                    ),
                )
    return _base(
        claim,
        as_of,
        computed=money(value),
        computed_value=value,
        unit="USD per month saved",
        low=low,
        high=high,
        input_share=share,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _evaluate_release(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    assert claim.claimed_date is not None
    try:
        model = catalog.model(claim.model)
    except UnknownModelError:
        raise _Uncheckable(f"model {claim.model} is not in the price table") from None
    days = (claim.claimed_date - model.released).days
    tol = claim.tolerance_abs or 0
    holds = abs(days) <= tol
    note = f"The price table has {model.id} released on {model.released}."
    if not holds:
        note = _join(
            note, f"The claimed date is {abs(days)} days {'later' if days > 0 else 'earlier'}."
        )
        same_day = [m.id for m in catalog.models() if m.released == claim.claimed_date]
        if same_day:
            note = _join(note, f"Released on that date: {', '.join(same_day)}.")
    return _base(
        claim,
        as_of,
        claimed_value=None,
        computed=model.released.isoformat(),
        unit="date",
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


# ------------------------------------------------------------------------------------ public


def evaluate_claim(
    claim: ClaimSpec, claims: ClaimsFile | None = None, catalog: Catalog | None = None
) -> Evaluation:
    """Check one claim at the list prices in effect on its document's date."""
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    as_of = claims.document(claim.source).date
    try:
        if claim.kind == "price":
            fields = _evaluate_price(claim, as_of, catalog)
        elif claim.kind == "discount":
            fields = _evaluate_discount(claim, as_of, catalog)
        elif claim.kind == "ratio":
            fields = _evaluate_ratio(claim, as_of, catalog, claims)
        elif claim.kind == "monthly_cost":
            fields = _evaluate_monthly_cost(claim, as_of, catalog, claims)
        elif claim.kind == "savings":
            fields = _evaluate_savings(claim, as_of, catalog, claims)
        else:
            fields = _evaluate_release(claim, as_of, catalog)
    except _Uncheckable as why:
        fields = _base(
            claim,
            as_of,
            unit="",
            verdict=UNCHECKABLE,
            note=_join(f"Cannot be checked: {why}.", claim.note),
        )
    return Evaluation(**fields)


def evaluate_all(
    claims: ClaimsFile | None = None, catalog: Catalog | None = None
) -> list[Evaluation]:
    """Every claim of the file, in file order."""
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    return [evaluate_claim(claim, claims, catalog) for claim in claims.claims]


REPORT_COLUMNS = [
    "id",
    "source",
    "as_of",
    "kind",
    "claim",
    "claimed",
    "computed",
    "unit",
    "verdict",
    "note",
    "claimed_value",
    "computed_value",
    "low",
    "high",
    "input_share",
    "expected_verdict",
]


def claims_frame(evaluations: Sequence[Evaluation] | None = None) -> pd.DataFrame:
    """One row per claim (``REPORT_COLUMNS`` plus model/scenario/table placement)."""
    evaluations = evaluate_all() if evaluations is None else evaluations
    rows = [e.__dict__ for e in evaluations]
    columns = [*REPORT_COLUMNS, "model", "other", "scenario", "table", "row", "column"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("claimed_value", "computed_value", "low", "high", "input_share"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def verdict_counts(evaluations: Sequence[Evaluation]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for e in evaluations:
        counts[e.verdict] += 1
    return counts


@dataclass(frozen=True)
class ComparisonTable:
    """One of the documents' tables beside its recomputed twin."""

    id: str
    source: str
    title: str
    as_of: dt.date
    document: pd.DataFrame
    """Rows and columns as in the document, cells as it prints them."""
    recomputed: pd.DataFrame
    """The same cells recomputed at list prices as of ``as_of``."""
    verdicts: pd.DataFrame
    """The same cells' verdicts."""


def comparison_tables(
    evaluations: Sequence[Evaluation] | None = None, claims: ClaimsFile | None = None
) -> list[ComparisonTable]:
    """Each document table (claims with ``table``), as printed and as recomputed."""
    claims = claims or load_claims()
    evaluations = evaluate_all(claims) if evaluations is None else evaluations
    tables = []
    for spec in claims.tables:
        cells = [e for e in evaluations if e.table == spec.id]
        if not cells:
            continue
        rows = list(dict.fromkeys(e.row for e in cells))
        columns = list(dict.fromkeys(e.column for e in cells))

        def grid(attribute: str, cells=cells, rows=rows, columns=columns) -> pd.DataFrame:
            frame = pd.DataFrame("", index=pd.Index(rows, name="row"), columns=columns)
            for e in cells:
                frame.at[e.row, e.column] = getattr(e, attribute)
            return frame.reset_index()

        tables.append(
            ComparisonTable(
                id=spec.id,
                source=spec.source,
                title=spec.title,
                as_of=claims.document(spec.source).date,
                document=grid("claimed"),
                recomputed=grid("computed"),
                verdicts=grid("verdict"),
            )
        )
    return tables


def scenario_chart_frame(
    claims: ClaimsFile | None = None,
    catalog: Catalog | None = None,
    table: str = "cost-scenarios",
) -> pd.DataFrame:
    """Monthly cost per scenario and model, as the document prints it and as recomputed.

    One row per (scenario, model, series): ``scenario`` (title), ``scenario_id``, ``model``,
    ``series`` ("document" or "recomputed"), ``cost`` (USD/month), ``low``/``high`` (the
    recomputed range over all splits; NaN for the document's figure), ``input_share``.
    """
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    rows = []
    for claim in claims.claims:
        if claim.table != table or claim.kind != "monthly_cost" or claim.scenario is None:
            continue
        scenario = claims.scenario(claim.scenario)
        as_of = claims.document(claim.source).date
        try:
            costs = scenario_costs(scenario, [claim.model], as_of, catalog).iloc[0]
        except (UnknownModelError, NotReleasedError):
            continue
        base = {
            "scenario": scenario.title,
            "scenario_id": scenario.id,
            "model": costs["model"],
            "input_share": scenario.input_share,
        }
        rows.append(
            {**base, "series": "document", "cost": claim.claimed, "low": None, "high": None}
        )
        rows.append(
            {
                **base,
                "series": "recomputed",
                "cost": costs["cost"],
                "low": costs["low"],
                "high": costs["high"],
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "scenario",
            "scenario_id",
            "model",
            "series",
            "cost",
            "low",
            "high",
            "input_share",
        ],
    )
    for column in ("cost", "low", "high", "input_share"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame
