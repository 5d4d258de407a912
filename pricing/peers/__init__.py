"""The peer price tables in our terms: one adapter per peer (``genai``: pydantic's genai-prices,
``litellm``: litellm's bundled JSON), each turning the peer's data into ``PeerModel`` records
(flat price columns, USD per 1M tokens, as ``pricing.columns`` names them).

The audit (``pricing.audit``) compares them with our table; the live layer
(``pricing.peers.layer``) shows genai-prices' models that our table lacks. Both decide "a model we
do not carry" with the one rule here, ``uncarried``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

GENAI = "genai-prices"
LITELLM = "litellm"
PEERS = (GENAI, LITELLM)


class PeerError(ValueError):
    """A peer table cannot be read: its package is missing or its data is unreadable."""


@dataclass(frozen=True)
class PeerProvider:
    """Where one of our providers lives in each peer."""

    genai: str
    """genai-prices' provider id."""
    litellm: tuple[str, ...]
    """litellm ``litellm_provider`` values of the provider's own API."""
    prefixes: tuple[str, ...]
    """Key prefixes of those litellm entries ("" for unprefixed keys)."""


PEER_PROVIDERS: dict[str, PeerProvider] = {
    # OpenAI's litellm keys are unprefixed ("gpt-4o"); "openai/..." kept for completeness.
    "openai": PeerProvider("openai", ("openai",), ("", "openai/")),
    # Anthropic's first-party models are unprefixed ("claude-haiku-4-5").
    "anthropic": PeerProvider("anthropic", ("anthropic",), ("", "anthropic/")),
    # The Gemini API (AI Studio) is "gemini/..."; unprefixed gemini keys are Vertex AI's.
    "google": PeerProvider("google", ("gemini",), ("gemini/",)),
    # La Plateforme: "mistral/..."; unprefixed mistral keys belong to other hosts.
    "mistral": PeerProvider("mistral", ("mistral",), ("mistral/",)),
    # xAI: genai-prices spells the provider "x-ai"; litellm keys are "xai/...".
    "xai": PeerProvider("x-ai", ("xai",), ("xai/",)),
    # DeepSeek's own API: "deepseek/...".
    "deepseek": PeerProvider("deepseek", ("deepseek",), ("deepseek/",)),
    # Groq: "groq/..." (then the model's own path, e.g. "groq/openai/gpt-oss-20b").
    "groq": PeerProvider("groq", ("groq",), ("groq/",)),
    # Together AI: litellm calls it "together_ai".
    "together": PeerProvider("together", ("together_ai",), ("together_ai/",)),
}
"""Our provider id -> the peers' names for it. A provider not listed is looked up under its
own id (and ``<id>/`` prefixes in litellm)."""

PEER_MODEL_IDS: dict[tuple[str, str], str] = {
    # (peer, our model id) -> the peer's id or key, only where our id and aliases do not find it.
    # genai-prices spells a host's gpt-oss "openai/gpt-oss-*" under each host; our ids carry the
    # host (ids and aliases are unique across files), so the host's spelling cannot be an alias.
    ("genai-prices", "groq-gpt-oss-120b"): "openai/gpt-oss-120b",
    ("genai-prices", "groq-gpt-oss-20b"): "openai/gpt-oss-20b",
    ("genai-prices", "together-gpt-oss-120b"): "openai/gpt-oss-120b",
    ("genai-prices", "together-gpt-oss-20b"): "openai/gpt-oss-20b",
}

NOT_CHAT = re.compile(
    r"embed|tts|whisper|transcri|image|audio|realtime|moderation|dall-e|imagen|veo|lyria"
    r"|computer-use|search|deep-research|live|^ft:|ft-|:"
)
"""Peer model names that are not chat models a planner compares (never ``missing_here``)."""

SNAPSHOT = re.compile(r"(-\d{4}-\d{2}-\d{2}|-\d{8}|-\d{4}|-latest|@\d+|-\d{3})$")
"""A dated snapshot or ``-latest`` suffix: a peer name that is a snapshot of a model we carry
is not ``missing_here`` (our aliases are not audited)."""


@dataclass(frozen=True)
class PeerModel:
    """One peer model, in our terms."""

    peer: str
    provider: str
    """Our provider id."""
    id: str
    """The peer's id (genai-prices) or key (litellm)."""
    history: tuple[tuple[dt.date | None, Mapping[str, Decimal | int], frozenset[str]], ...]
    """(start date or None for "always", flat prices, tiers listed); genai-prices' first
    entry applies before every later start date, as genai-prices resolves it."""
    variants: tuple[tuple[str, dt.date | None, Mapping[str, Decimal | int]], ...] = ()
    """genai-prices tier variants: (tier, start date or None, flat tier prices)."""
    model_fields: Mapping[str, Any] = field(default_factory=dict)
    """context_window, max_output_tokens, shutdown (where the peer lists them)."""
    names: tuple[str, ...] = ()
    """Names that identify it (litellm: its key without prefix)."""
    matcher: Any = None
    """genai-prices: the model's ``match`` rule (``is_match(name)``)."""
    deprecated: bool = False
    chat: bool = True
    own: bool = True
    """The provider's own model (genai-prices: its provider's ``model_match`` claims it)."""
    name: str = ""
    """The peer's display name (genai-prices), else empty."""
    comments: str = ""
    """The peer's notes on the model's prices (genai-prices ``price_comments``)."""
    description: str = ""
    pricing_url: str = ""
    """The provider's pricing page as the peer cites it."""

    def matches(self, name: str) -> bool:
        name = name.lower()
        if self.matcher is not None:
            return bool(self.matcher.is_match(name))
        return name in self.names

    def start_dates(self) -> list[dt.date]:
        return [start for start, _, _ in self.history if start is not None]

    def prices_on(self, date: dt.date) -> tuple[dict[str, Decimal | int], frozenset[str]]:
        """The peer's flat prices in effect on ``date`` and the tiers it lists then."""
        chosen = self.history[0]
        for item in reversed(self.history):
            if item[0] is None or item[0] <= date:
                chosen = item
                break
        flat = dict(chosen[1])
        tiers = set(chosen[2])
        # Per tier, the variant with the latest start on or before ``date`` (an undated one
        # applies from the start), whatever order the peer lists them in.
        latest: dict[str, tuple[dt.date, Mapping[str, Decimal | int]]] = {}
        for tier, start, prices in self.variants:
            if start is not None and start > date:
                continue
            begins = start or dt.date.min
            if tier not in latest or begins >= latest[tier][0]:
                latest[tier] = (begins, prices)
        for tier, (_, prices) in latest.items():
            tiers.add(tier)
            for key, value in prices.items():
                flat.setdefault(key, value)
        return flat, frozenset(tiers)


def _priced(model: PeerModel, date: dt.date) -> bool:
    flat, _ = model.prices_on(date)
    return "input" in flat and "output" in flat


def peer_provider(provider: str) -> PeerProvider:
    return PEER_PROVIDERS.get(provider) or PeerProvider(provider, (provider,), ("", f"{provider}/"))


class Resolver(Protocol):
    """What ``uncarried`` needs of a catalog: resolve a name, raising ``ValueError`` if unknown."""

    def resolve(self, name: str, *, suggest: bool = True) -> str: ...


def carried(catalog: Resolver, name: str) -> bool:
    """Whether a peer name is one of our models or a dated snapshot of one."""
    for candidate in (name, SNAPSHOT.sub("", name)):
        try:
            catalog.resolve(candidate, suggest=False)
        except ValueError:
            continue
        return True
    return False


def uncarried(
    peer_models: Iterable[PeerModel],
    catalog: Resolver,
    our_names: Iterable[str],
    as_of: dt.date,
    used: Iterable[str] = (),
    retired: Iterable[tuple[str, str]] = (),
) -> list[PeerModel]:
    """The peer's general chat and reasoning models of our providers, priced on ``as_of``, that
    our table does not carry (``missing_here`` in the audit; the live layer's models): not one
    of ``used`` (peer ids matched to ours), the provider's own, not deprecated or ``retired``
    ((provider, name) pairs another peer says were shut down), and neither an id, alias or
    snapshot of ours nor matched by the peer's rule for one of ``our_names``."""
    used, retired, names = set(used), set(retired), list(our_names)
    found = []
    for peer_model in sorted(peer_models, key=lambda m: m.id):
        if peer_model.id in used or not (peer_model.chat and peer_model.own):
            continue
        if peer_model.deprecated or any(
            (peer_model.provider, n) in retired for n in peer_model.names
        ):
            continue
        if not _priced(peer_model, as_of):
            continue
        if any(carried(catalog, name) for name in peer_model.names):
            continue
        if peer_model.matcher is not None and any(peer_model.matches(n) for n in names):
            continue
        found.append(peer_model)
    return found
