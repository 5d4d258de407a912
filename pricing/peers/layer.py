"""The live peer layer: genai-prices' models of our providers that the curated table lacks.

A new model shows up without a release of ours: upgrade genai-prices (a runtime requirement) or
run ``tokenbudget refresh``, and every model of a provider we carry that genai-prices prices and
``pricing/data`` does not (general chat and reasoning models: the rule the audit's
``missing_here`` uses, ``pricing.peers.uncarried``) joins the table as a *peer* entry:
``source_kind = "peer"``, ``provenance = "price from genai-prices 0.2.5, not yet checked against a
second source"``. Our curated entry always wins where both exist (a peer model we carry, by id,
alias, snapshot or the peer's own match rule, is never added).

Where the peer data comes from (``current_source``): the newest snapshot ``tokenbudget refresh``
saved in the cache folder, or the data bundled with the installed package, whichever is newer.
Nothing here touches the network.

What the peer does not say is filled in plainly and said: the tokenizer is the provider's usual
one, marked approximate; the release date is the one the peer's notes give ("Released
2026-11-17"), else its earliest dated price, else the day of the peer data; the maximum output is
unknown to genai-prices, so it is the context window (no output-limit warning is raised for these
models). A peer model that cannot be expressed in our schema is left out with its reason
(``PeerLayer.skipped``), never silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import json
import os
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pricing.columns import TIERS
from pricing.peers import GENAI, PeerError, PeerModel, Resolver, uncarried
from pricing.peers.genai import genai_models
from pricing.schema import Model

CACHE_ENV = "TOKENBUDGET_CACHE_DIR"
"""Overrides the cache folder (default ``$XDG_CACHE_HOME/tokenbudget`` or
``~/.cache/tokenbudget``)."""

SNAPSHOT_PREFIX = "genai-prices-"
STAMP_FILE = Path(__file__).parents[1] / "audited.toml"
GENAI_REPO = "https://github.com/pydantic/genai-prices"

RELEASED = re.compile(r"\bReleased (\d{4}-\d{2}-\d{2})")
PROMOTION = re.compile(
    r"[^.]*\b(?:introductory|promotional)\b[^.]*?\b(?:through|until) (\d{4}-\d{2}-\d{2})[^.]*\.",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s,;)]+")


def cache_dir() -> Path:
    """Where ``tokenbudget refresh`` keeps its snapshots (created on first refresh)."""
    override = os.environ.get(CACHE_ENV, "").strip()
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "tokenbudget"


def snapshot_dir() -> Path:
    return cache_dir() / "genai-prices"


@dataclass(frozen=True)
class PeerSource:
    """The genai-prices data the layer uses, and what to call it on a page."""

    origin: str
    """``bundled`` (the installed package's data), ``snapshot`` (a refresh) or ``none``."""
    version: str | None
    """The installed genai-prices version (None: not installed)."""
    date: dt.date | None
    """The day of the data: the release's PyPI date (pinned in ``pricing/audited.toml``), the
    day the package was installed for another version, or the day a snapshot was fetched."""
    path: str | None = None
    """The snapshot file, for ``snapshot``."""
    problem: str = ""
    """Why the layer is empty or fell back (a snapshot this genai-prices cannot read)."""

    def label(self) -> str:
        """ "genai-prices 0.2.5 of 2026-11-19", "genai-prices data refreshed 2026-12-07"."""
        if self.origin == "none":
            return "no peer data (genai-prices is not installed)"
        when = f" of {self.date}" if self.date else ""
        if self.origin == "snapshot":
            return f"genai-prices data refreshed{when} (package {self.version})"
        return f"genai-prices {self.version}{when}"

    def provenance(self) -> str:
        """What every peer entry says of its price."""
        if self.origin == "snapshot":
            what = f"genai-prices data refreshed {self.date}"
        else:
            what = f"genai-prices {self.version}"
        return f"price from {what}, not yet checked against a second source"


def _installed_version() -> str | None:
    try:
        return importlib.metadata.version(GENAI)
    except importlib.metadata.PackageNotFoundError:
        return None


def _published(version: str) -> dt.date | None:
    """The PyPI date of ``version`` when it is the pinned one, else the install day."""
    try:
        with STAMP_FILE.open("rb") as handle:
            pinned = tomllib.load(handle).get("peers", {}).get(GENAI, {})
        if pinned.get("version") == version and isinstance(pinned.get("published"), dt.date):
            return pinned["published"]
    except (OSError, tomllib.TOMLDecodeError):
        pass
    try:
        dist = importlib.metadata.distribution(GENAI)
        stamp = Path(str(dist.locate_file(f"genai_prices-{version}.dist-info"))).stat().st_mtime
        return dt.datetime.fromtimestamp(stamp, dt.UTC).date()
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None


def snapshot_date(path: Path) -> dt.date | None:
    """``genai-prices-20261207T021100Z.json`` -> 2026-12-07."""
    match = re.fullmatch(rf"{SNAPSHOT_PREFIX}(\d{{8}})T\d{{6}}Z\.json", path.name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def snapshots() -> list[Path]:
    """Saved snapshots, oldest first (by the time in their names)."""
    folder = snapshot_dir()
    try:
        found = [p for p in folder.iterdir() if snapshot_date(p) is not None]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)


def current_source() -> PeerSource:
    """The newest peer data on this machine (see the module's docstring)."""
    version = _installed_version()
    if version is None:
        return PeerSource("none", None, None)
    bundled = PeerSource("bundled", version, _published(version))
    saved = snapshots()
    if not saved:
        return bundled
    newest = saved[-1]
    day = snapshot_date(newest)
    if bundled.date is not None and day is not None and bundled.date > day:
        return bundled
    return PeerSource("snapshot", version, day, str(newest))


def providers_raw_to_objects(raw: Any) -> list[Any]:
    """A data file in genai-prices' published format (``data.json``) as its provider objects,
    parsed by genai-prices itself (the parser its own updater uses)."""
    from genai_prices import types  # the package's parser; private, so guarded by the caller

    return list(types._providers_from_raw(raw))


@functools.lru_cache(maxsize=4)
def load_providers(source: PeerSource) -> tuple[list[Any], str]:
    """(genai-prices providers, problem): the snapshot's, else the bundled data's; an
    unreadable snapshot falls back to the bundled data and says why."""
    if source.origin == "none":
        return [], ""
    if source.origin == "snapshot" and source.path:
        try:
            raw = json.loads(Path(source.path).read_bytes())
            return providers_raw_to_objects(raw), ""
        except (OSError, ValueError, ImportError, AttributeError, ValidationError) as exc:
            problem = (
                f"snapshot {Path(source.path).name} cannot be read by genai-prices "
                f"{source.version} ({type(exc).__name__}); using the package's own data"
            )
    else:
        problem = ""
    from genai_prices.data import providers

    return list(providers), problem


@dataclass(frozen=True)
class PeerLayer:
    """The peer entries, as price-file models per provider, and what was left out."""

    source: PeerSource
    models: tuple[tuple[str, Model], ...]
    """(our provider id, the model as a validated price-file entry)."""
    skipped: tuple[tuple[str, str], ...]
    """(peer id, reason) of peer models that could not be expressed in our schema."""
    problem: str = ""


def _released(peer: PeerModel, fallback: dt.date) -> dt.date:
    match = RELEASED.search(peer.comments)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    dates = [start for start, _, _ in peer.history if start is not None]
    dates += [start for _, start, _ in peer.variants if start is not None]
    return min(dates) if dates else fallback


def _source_url(peer: PeerModel) -> str:
    found = URL.findall(peer.comments)
    return (found[0].rstrip(".") if found else "") or peer.pricing_url or GENAI_REPO


def _tier(flat: Mapping[str, Any], tier: str, long: bool) -> dict[str, Any] | None:
    if f"{tier}_input" not in flat or f"{tier}_output" not in flat:
        return None
    prices = {
        part: flat[f"{tier}_{part}"]
        for part in ("input", "output", "cached_input", "cache_write")
        if f"{tier}_{part}" in flat
    }
    if long and f"{tier}_long_context_input" in flat and f"{tier}_long_context_output" in flat:
        prices["long_context"] = {
            part: flat[f"{tier}_long_context_{part}"]
            for part in ("input", "output", "cached_input", "cache_write")
            if f"{tier}_long_context_{part}" in flat
        }
    return prices


def _entry(
    peer: PeerModel, effective: dt.date, source: PeerSource, url: str
) -> dict[str, Any] | None:
    flat, _ = peer.prices_on(effective)
    if "input" not in flat or "output" not in flat:
        return None
    entry: dict[str, Any] = {
        "effective": effective,
        **{k: flat[k] for k in ("input", "output", "cached_input", "cache_write") if k in flat},
        "source": url,
        "checked": source.date or effective,
        "note": source.provenance() + ".",
    }
    if "cache_write_1h" in flat:
        entry["cache_write_1h"] = flat["cache_write_1h"]
    long = "long_context_threshold" in flat and {
        "long_context_input",
        "long_context_output",
    } <= set(flat)
    if long:
        entry["long_context"] = {
            "threshold": flat["long_context_threshold"],
            **{
                part: flat[f"long_context_{part}"]
                for part in ("input", "output", "cached_input", "cache_write")
                if f"long_context_{part}" in flat
            },
        }
    for tier in TIERS:
        prices = _tier(flat, tier, bool(long))
        if prices is not None:
            entry[tier] = prices
    fees = {tool[5:]: value for tool, value in flat.items() if tool.startswith("tool:")}
    if fees:
        entry["tool_fees"] = {**fees, "source": url, "checked": entry["checked"]}
    promo = PROMOTION.search(peer.comments)
    if promo:
        until = dt.date.fromisoformat(promo.group(1))
        if effective <= until:
            entry["promotion"] = {
                "until": until,
                "wording": promo.group(0).strip(),
                "source": url,
            }
    return entry


def _as_model(peer: PeerModel, source: PeerSource, encoding: str) -> tuple[Model | None, str]:
    fallback = source.date or dt.date(2000, 1, 1)
    released = _released(peer, fallback)
    url = _source_url(peer)
    starts = {released}
    starts |= {max(start, released) for start, _, _ in peer.history if start is not None}
    starts |= {max(start, released) for _, start, _ in peer.variants if start is not None}
    entries = [e for d in sorted(starts) if (e := _entry(peer, d, source, url)) is not None]
    # Consecutive entries with the same figures are one entry.
    kept: list[dict[str, Any]] = []
    for entry in entries:
        same = kept and {k: v for k, v in kept[-1].items() if k != "effective"} == {
            k: v for k, v in entry.items() if k != "effective"
        }
        if not same:
            kept.append(entry)
    if not kept:
        return None, "no input and output price"
    window = peer.model_fields.get("context_window")
    if not window:
        return None, "genai-prices gives no context window"
    name = peer.name or peer.id
    if "preview" in f"{peer.id} {name}".lower() and "preview" not in name.lower():
        name += " (preview)"
    raw = {
        "id": peer.id.lower(),
        "name": name,
        "encoding": encoding,
        "encoding_exact": False,
        "context_window": window,
        "max_output_tokens": window,
        "released": released,
        "prices": kept,
    }
    try:
        return Model.model_validate(raw), ""
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return None, f"not expressible in the price schema ({where}: {first['msg']})"


def build(
    providers: Iterable[Any],
    source: PeerSource,
    curated: Resolver,
    our_names: Mapping[str, list[str]],
    encodings: Mapping[str, str],
    judged_out: Iterable[tuple[str, str]] = (),
) -> PeerLayer:
    """The layer for ``providers`` (genai-prices' provider objects) against the curated table:
    ``our_names`` (provider -> every id and alias we carry), ``encodings`` (provider -> the
    tokenizer its curated models mostly use), ``judged_out`` ((provider, peer id) a maintainer
    judged and left out on purpose: a retired or legacy model, a specialist one; a model the
    judged files do not name is new and shows)."""
    left_out = {(p, i.lower()) for p, i in judged_out}
    peer_models = genai_models(providers, list(our_names))
    models: list[tuple[str, Model]] = []
    skipped: list[tuple[str, str]] = []
    taken: set[str] = set()
    for provider, names in our_names.items():
        mine = [m for m in peer_models if m.provider == provider]
        for peer in uncarried(mine, curated, names, dt.date.max):
            if (provider, peer.id.lower()) in left_out:
                continue
            model, why = _as_model(peer, source, encodings.get(provider, "o200k_base"))
            if model is None:
                skipped.append((peer.id, why))
            elif model.id in taken:
                skipped.append((peer.id, "another provider's peer entry has the same id"))
            else:
                taken.add(model.id)
                models.append((provider, model))
    return PeerLayer(source, tuple(models), tuple(skipped))


def usual_encodings(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(provider, encoding) of the curated models -> each provider's most common encoding."""
    counts: dict[str, Counter[str]] = {}
    for provider, encoding in pairs:
        counts.setdefault(provider, Counter())[encoding] += 1
    return {p: c.most_common(1)[0][0] for p, c in counts.items()}


def layer_for(
    curated: Resolver,
    our_names: Mapping[str, list[str]],
    encodings: Mapping[str, str],
    source: PeerSource | None = None,
    judged_out: Iterable[tuple[str, str]] = (),
) -> PeerLayer:
    """The layer from the newest peer data on this machine (``current_source``)."""
    source = source or current_source()
    try:
        providers, problem = load_providers(source)
    except ImportError as exc:  # genai-prices missing or broken
        raise PeerError(f"genai-prices cannot be loaded: {exc}") from None
    layer = build(providers, source, curated, our_names, encodings, judged_out)
    return PeerLayer(layer.source, layer.models, layer.skipped, problem)
