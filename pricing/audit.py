"""Our price table against the peer tables shipped in registry packages, offline.

The peers are pydantic's ``genai-prices`` (its bundled ``genai_prices.data.providers``: match
rules and a dated price history per model) and litellm's bundled
``model_prices_and_context_window_backup.json`` (today's prices only, USD per token), read from
the installed distribution without importing litellm. Both are pinned in
``requirements-dev.txt``; either can also be passed in (tests pass small hand-written ones).

For each of our models and each peer the audit yields ``Comparison`` rows, field by field:

* ``agree`` / ``differ``: one price column (``pricing.catalog.PRICE_COLUMNS``),
  ``context_window`` or ``max_output_tokens``; one side may be empty (``""``). Against
  genai-prices every one of our dated entries is compared with the peer's price in effect on
  that entry's date, and every peer start date we lack with our price in effect on it.
  Against litellm (no history) our entry in effect on ``as_of`` is compared.
* ``lifecycle``: litellm's ``deprecation_date`` is not our ``shutdown.date``.
* ``missing_there``: the peer has no model matching ours (field ``missing_there``).
* ``missing_here``: a chat model of one of our providers, priced on ``as_of``, that we do not
  carry (field ``missing_here``, model = the peer's id); sorted, and capped per provider.

A service tier (batch, flex, priority) is compared only where the peer lists that tier for the
model (on that date): genai-prices says it does not model batch history before 2026-10-14, and
an absent tier in a peer is silence, not a statement. A tier's prices are compared as each side
lists them: a cached rate the tier does not list is empty, not derived.

Judged differences (``pricing/judged/<provider>.toml``) are differences a maintainer has looked
at: a difference matching one (model, field, peer, date when given, and both values after
normalising numbers) is *judged*; a judgement matching no difference is *stale*.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd

from pricing import clock
from pricing.catalog import PRICE_COLUMNS, TIERS, Catalog, ModelInfo
from pricing.peers import (
    GENAI,
    LITELLM,
    PEER_MODEL_IDS,
    PEERS,
    PeerError,
    PeerModel,
    uncarried,
)
from pricing.peers.genai import genai_models, load_genai_prices

# The maintainer's decisions (judged files, the audit stamp), reachable here as before.
from pricing.peers.judged import JUDGED_DIR as JUDGED_DIR
from pricing.peers.judged import JUDGED_FIELDS as JUDGED_FIELDS
from pricing.peers.judged import MODEL_FIELDS as MODEL_FIELDS
from pricing.peers.judged import AuditStamp as AuditStamp
from pricing.peers.judged import JudgedDataError as JudgedDataError
from pricing.peers.judged import JudgedEntry as JudgedEntry
from pricing.peers.judged import Judgement as Judgement
from pricing.peers.judged import load_judged as load_judged
from pricing.peers.judged import load_judged_file as load_judged_file
from pricing.peers.judged import load_stamp as load_stamp
from pricing.peers.litellm import _litellm_flat as _litellm_flat  # the tests reach it here
from pricing.peers.litellm import litellm_models, load_litellm
from pricing.schema import PriceEntry

AGREE = "agree"
DIFFER = "differ"
MISSING_HERE = "missing_here"
MISSING_THERE = "missing_there"
LIFECYCLE = "lifecycle"
STALE = "stale"
OUTCOMES = (AGREE, DIFFER, MISSING_HERE, MISSING_THERE, LIFECYCLE)
"""Outcomes of a comparison; every one but ``agree`` is a difference to judge."""

CSV_COLUMNS = (
    "model",
    "peer",
    "peer_id",
    "field",
    "date",
    "ours",
    "theirs",
    "outcome",
    "judged_why",
)

MISSING_HERE_CAP = 20
"""At most this many unjudged ``missing_here`` rows per provider and peer (sorted by id)."""

AuditError = PeerError
"""The audit cannot run: a peer package is missing or a judged file is malformed."""


# -- values --------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A value as the audit shows it: Decimals as written, dates ISO, none as ""."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def normalise(text: str) -> str:
    """Text compared for equality: numbers by value ("2.50" == "2.5" == "2.500"), else as is."""
    text = text.strip()
    try:
        number = Decimal(text.replace("_", "").replace(",", ""))
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return format(number.normalize(), "f") if number else "0"


def our_prices(entry: PriceEntry) -> dict[str, Decimal | int]:
    """One of our entries as flat columns (``PRICE_COLUMNS``), only those it lists."""
    flat: dict[str, Decimal | int | None] = {
        "input": entry.input,
        "cached_input": entry.cached_input,
        "output": entry.output,
        "cache_write": entry.cache_write,
        "cache_write_1h": entry.cache_write_1h,
    }
    parts = ("input", "cached_input", "output", "cache_write")
    long = entry.long_context
    if long is not None:
        flat["long_context_threshold"] = long.threshold
        for part in parts:
            flat[f"long_context_{part}"] = getattr(long, part)
    for tier in TIERS:
        prices = getattr(entry, tier)
        if prices is None:
            continue
        for part in parts:
            flat[f"{tier}_{part}"] = getattr(prices, part)
        if prices.long_context is not None:
            for part in parts:
                flat[f"{tier}_long_context_{part}"] = getattr(prices.long_context, part)
    return {key: value for key, value in flat.items() if value is not None}


def _tier_of(column: str) -> str | None:
    for tier in TIERS:
        if column.startswith(f"{tier}_"):
            return tier
    return None


# -- peers, normalised ------------------------------------------------------------------------


# -- loading the installed peers --------------------------------------------------------------


def peer_versions() -> dict[str, str]:
    versions = {}
    for peer in PEERS:
        try:
            versions[peer] = importlib.metadata.version(peer)
        except importlib.metadata.PackageNotFoundError:
            versions[peer] = "not installed"
    return versions


# -- the audit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    provider: str
    model: str
    """Our model id (``missing_here``: the peer's id)."""
    peer: str
    peer_id: str
    field: str
    date: dt.date | None
    ours: str
    theirs: str
    outcome: str
    judged_why: str = ""

    @property
    def judged(self) -> bool:
        return bool(self.judged_why)

    @property
    def difference(self) -> bool:
        return self.outcome != AGREE

    @property
    def unjudged(self) -> bool:
        return self.difference and not self.judged


@dataclass(frozen=True)
class AuditResult:
    comparisons: tuple[Comparison, ...]
    stale: tuple[JudgedEntry, ...]
    """Judgements that match no difference."""
    left_off: Mapping[tuple[str, str], int]
    """(provider, peer) -> unjudged ``missing_here`` rows beyond ``MISSING_HERE_CAP``."""
    providers: tuple[str, ...]

    def unjudged(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.unjudged]

    @property
    def clean(self) -> bool:
        return not self.unjudged() and not self.stale

    def counts(self, provider: str, peer: str) -> dict[str, int]:
        counts = dict.fromkeys((*OUTCOMES, "judged"), 0)
        for c in self.comparisons:
            if c.provider == provider and c.peer == peer:
                counts[c.outcome] += 1
                counts["judged"] += c.judged
        return counts

    def frame(self, show: Iterable[str] | None = None) -> pd.DataFrame:
        """One row per comparison (and per stale judgement), ``CSV_COLUMNS``.

        ``show``: outcomes to keep (``OUTCOMES``, ``stale``), and ``judged`` to keep judged
        differences; default everything."""
        wanted = set(show) if show is not None else {*OUTCOMES, STALE, "judged"}
        rows = [
            {
                "model": c.model,
                "peer": c.peer,
                "peer_id": c.peer_id,
                "field": c.field,
                "date": c.date,
                "ours": c.ours,
                "theirs": c.theirs,
                "outcome": c.outcome,
                "judged_why": c.judged_why,
            }
            for c in self.comparisons
            if c.outcome in wanted and (not c.judged or "judged" in wanted)
        ]
        if STALE in wanted:
            rows += [
                {
                    "model": s.judgement.model,
                    "peer": s.judgement.peer,
                    "peer_id": "",
                    "field": s.judgement.field,
                    "date": s.judgement.date,
                    "ours": s.judgement.ours,
                    "theirs": s.judgement.theirs,
                    "outcome": STALE,
                    "judged_why": s.judgement.why,
                }
                for s in self.stale
            ]
        return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def _entry_on(model: ModelInfo, date: dt.date) -> PriceEntry | None:
    current = None
    for entry in model.prices:
        if entry.effective <= date:
            current = entry
    return current


def _find(peer_models: Sequence[PeerModel], model: ModelInfo, peer: str) -> PeerModel | None:
    """The peer model that stands for ours: the explicit mapping, else our id, then aliases
    (and ``provider/name`` forms), first match in the peer's order as the peer resolves it."""
    explicit = PEER_MODEL_IDS.get((peer, model.id))
    if explicit is not None:
        return next((m for m in peer_models if m.id == explicit), None)
    for name in (model.id, *model.aliases):
        for candidate in (name, f"{model.provider}/{name}"):
            if peer == LITELLM:
                found = [m for m in peer_models if candidate.lower() in m.names]
                # Prefer the key spelt exactly (unprefixed or with the provider's prefix).
                found.sort(key=lambda m: (m.id.lower() != candidate.lower(), len(m.id)))
                if found:
                    return found[0]
            else:
                found = next((m for m in peer_models if m.matches(candidate)), None)
                if found is not None:
                    return found
    return None


def _compare(
    provider: str,
    model: str,
    peer: PeerModel,
    date: dt.date | None,
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    peer_tiers: frozenset[str] | None,
    columns: Sequence[str],
    outcome_if_differ: str = DIFFER,
) -> list[Comparison]:
    rows = []
    for column in columns:
        tier = _tier_of(column)
        if peer_tiers is not None and tier is not None and tier not in peer_tiers:
            continue
        a, b = ours.get(column), theirs.get(column)
        if a is None and b is None:
            continue
        same = a is not None and b is not None and normalise(_text(a)) == normalise(_text(b))
        rows.append(
            Comparison(
                provider,
                model,
                peer.peer,
                peer.id,
                column,
                date,
                _text(a),
                _text(b),
                AGREE if same else outcome_if_differ,
            )
        )
    return rows


def _compare_model(model: ModelInfo, peer: PeerModel, as_of: dt.date) -> list[Comparison]:
    rows: list[Comparison] = []
    provider = model.provider
    if peer.peer == GENAI:
        ours_dates = {e.effective for e in model.prices}
        dates = sorted(ours_dates | set(peer.start_dates()))
    else:
        entry = _entry_on(model, as_of) or model.prices[0]
        dates = [entry.effective]
    for date in dates:
        entry = _entry_on(model, date)
        ours = our_prices(entry) if entry is not None else {}
        theirs, tiers = peer.prices_on(date)
        rows += _compare(provider, model.id, peer, date, ours, theirs, tiers, PRICE_COLUMNS)
    ours_fields = {
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
    }
    theirs_fields = {k: v for k, v in peer.model_fields.items() if k in MODEL_FIELDS}
    rows += _compare(
        provider,
        model.id,
        peer,
        None,
        ours_fields,
        theirs_fields,
        None,
        [f for f in MODEL_FIELDS if f in theirs_fields],
    )
    if "shutdown" in peer.model_fields:
        rows += _compare(
            provider,
            model.id,
            peer,
            None,
            {"shutdown": model.shutdown_date},
            {"shutdown": peer.model_fields["shutdown"]},
            None,
            ["shutdown"],
            outcome_if_differ=LIFECYCLE,
        )
    return rows


def _matches_judgement(c: Comparison, j: Judgement) -> bool:
    return (
        j.model == c.model
        and j.field == c.field
        and j.peer == c.peer
        and (j.date is None or j.date == c.date)
        and normalise(j.ours) == normalise(c.ours)
        and normalise(j.theirs) == normalise(c.theirs)
    )


def audit(
    catalog: Catalog,
    *,
    genai_providers: Iterable[Any] | None,
    litellm_data: Mapping[str, Any] | None,
    judged: Iterable[JudgedEntry] = (),
    as_of: dt.date | None = None,
    providers: Iterable[str] | None = None,
) -> AuditResult:
    """Compare ``catalog``'s curated models with the peers given (``None``: that peer is left
    out). Peer-layer entries are the peer's own figures: never compared, never "carried"."""
    as_of = as_of or clock.today()
    if any(not m.curated for m in catalog.models()):
        catalog = Catalog([m for m in catalog.models() if m.curated])
    ours_by_provider: dict[str, list[ModelInfo]] = {}
    for model in catalog.models():
        ours_by_provider.setdefault(model.provider, []).append(model)
    scope = tuple(sorted(providers)) if providers is not None else tuple(sorted(ours_by_provider))
    peers: dict[str, list[PeerModel]] = {}
    if genai_providers is not None:
        peers[GENAI] = genai_models(genai_providers, scope)
    if litellm_data is not None:
        peers[LITELLM] = litellm_models(litellm_data, scope, as_of)

    # Names litellm says a provider shut down by ``as_of``: not listed as missing from either
    # peer for that provider (keyed by provider: one host retiring a model says nothing of
    # another host's, so the result does not depend on which providers are audited together).
    retired = {
        (m.provider, name) for m in peers.get(LITELLM, ()) if m.deprecated for name in m.names
    }
    comparisons: list[Comparison] = []
    retired_only: set[tuple[str, str]] = set()
    for provider in scope:
        for peer, all_models in peers.items():
            peer_models = [m for m in all_models if m.provider == provider]
            used: set[str] = set()
            for model in ours_by_provider.get(provider, []):
                found = _find(peer_models, model, peer)
                if found is None:
                    comparisons.append(
                        Comparison(
                            provider,
                            model.id,
                            peer,
                            "",
                            MISSING_THERE,
                            None,
                            model.id,
                            "",
                            MISSING_THERE,
                        )
                    )
                    continue
                used.add(found.id)
                comparisons += _compare_model(model, found, as_of)
            ours_names = [n for m in ours_by_provider.get(provider, []) for n in (m.id, *m.aliases)]
            missing = uncarried(peer_models, catalog, ours_names, as_of, used, retired)
            if peer == GENAI:
                # Models only litellm calls shut down: not missing here, but the live layer
                # (which has no litellm) would show them, so a judgement leaving one out of the
                # layer is in use, not stale.
                shown = {m.id for m in missing}
                everything = uncarried(peer_models, catalog, ours_names, dt.date.max, used)
                retired_only |= {(provider, m.id) for m in everything if m.id not in shown}
            for peer_model in missing:
                comparisons.append(
                    Comparison(
                        provider,
                        peer_model.id,
                        peer,
                        peer_model.id,
                        MISSING_HERE,
                        None,
                        "",
                        peer_model.id,
                        MISSING_HERE,
                    )
                )

    judged = [j for j in judged if j.provider in scope]
    matched: set[int] = set()
    final: list[Comparison] = []
    for c in comparisons:
        if c.difference:
            for index, entry in enumerate(judged):
                if entry.provider == c.provider and _matches_judgement(c, entry.judgement):
                    matched.add(index)
                    c = replace(c, judged_why=entry.judgement.why)
                    break
        final.append(c)
    for index, entry in enumerate(judged):
        j = entry.judgement
        if (
            j.peer == GENAI
            and j.field == MISSING_HERE
            and (entry.provider, j.model) in retired_only
        ):
            matched.add(index)
    stale = tuple(entry for index, entry in enumerate(judged) if index not in matched)

    left_off: dict[tuple[str, str], int] = {}
    capped: list[Comparison] = []
    shown: dict[tuple[str, str], int] = {}
    for c in final:
        if c.outcome == MISSING_HERE and not c.judged:
            key = (c.provider, c.peer)
            shown[key] = shown.get(key, 0) + 1
            if shown[key] > MISSING_HERE_CAP:
                left_off[key] = left_off.get(key, 0) + 1
                continue
        capped.append(c)
    return AuditResult(tuple(capped), stale, left_off, scope)


def run(
    catalog: Catalog,
    providers: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    judged_dir: Path | str | None = None,
) -> AuditResult:
    """The audit against the installed peer packages and the shipped judgements."""
    return audit(
        catalog,
        genai_providers=load_genai_prices(),
        litellm_data=load_litellm(),
        judged=load_judged(judged_dir),
        as_of=as_of,
        providers=providers,
    )


# -- the text report ----------------------------------------------------------------------------


def _line(c: Comparison) -> str:
    when = f" {c.date}" if c.date else ""
    if c.outcome == MISSING_HERE:
        return f"{c.model}  missing_here  {c.peer} has it, we do not"
    if c.outcome == MISSING_THERE:
        return f"{c.model}  missing_there  {c.peer} has no such model"
    return (
        f"{c.model}  {c.field}{when}  ours {c.ours or '(none)'}  "
        f"{c.peer} {c.theirs or '(none)'} ({c.peer_id})  [{c.outcome}]"
    )


def to_text(
    result: AuditResult,
    show: Iterable[str] | None = None,
    versions: Mapping[str, str] | None = None,
) -> str:
    """Per provider: counts per outcome and peer, then the differences ``show`` asks for
    (default: every unjudged difference) and the stale judgements."""
    wanted = (
        set(show) if show is not None else {DIFFER, MISSING_HERE, MISSING_THERE, LIFECYCLE, STALE}
    )
    versions = versions or {}
    out = []
    peers = [p for p in PEERS if any(c.peer == p for c in result.comparisons)] or list(PEERS)
    out.append(
        "Price table against "
        + " and ".join(f"{p} {versions[p]}" if p in versions else p for p in peers)
    )
    for provider in result.providers:
        out.append("")
        out.append(provider)
        for peer in peers:
            counts = result.counts(provider, peer)
            text = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES)
            out.append(f"  {peer}: {text} ({counts['judged']} judged)")
        listed = [
            c
            for c in result.comparisons
            if c.provider == provider
            and c.outcome in wanted
            and (not c.judged or "judged" in wanted)
        ]
        if listed:
            out.append(
                "  "
                + (
                    "comparisons:"
                    if AGREE in wanted or "judged" in wanted
                    else "unjudged differences:"
                )
            )
            for c in listed:
                suffix = f"  judged: {c.judged_why}" if c.judged else ""
                out.append(f"    {_line(c)}{suffix}")
        for peer in peers:
            more = result.left_off.get((provider, peer))
            if more and MISSING_HERE in wanted:
                out.append(f"    ... and {more} more missing_here in {peer} (not listed)")
        stale = [s for s in result.stale if s.provider == provider]
        if stale and STALE in wanted:
            out.append("  stale judgements (match no difference any more):")
            for s in stale:
                j = s.judgement
                when = f" {j.date}" if j.date else ""
                out.append(
                    f"    {j.model}  {j.field}{when}  {j.peer}: ours {j.ours!r} "
                    f"theirs {j.theirs!r}: {j.why}"
                )
    unjudged = len(result.unjudged())
    out.append("")
    out.append(
        f"{unjudged} unjudged difference{'s' if unjudged != 1 else ''}, "
        f"{len(result.stale)} stale judgement{'s' if len(result.stale) != 1 else ''}."
    )
    return "\n".join(out) + "\n"
