"""The same model on other hosts: Azure OpenAI (global, data zone), AWS Bedrock (global,
regional), Google Vertex AI and OpenRouter, for the models we carry, from the peer tables.

Each host variant is a model of the catalog (``gpt-4.1-mini@azure-eu``), picked like any model,
so Compare shows the host spread of one model. It is the model we carry (tokenizer, context
window, lifecycle) at the host's prices, with the peer layer's marks: ``source_kind = "peer"``
and a provenance naming the peer, its entry and whether a second peer agrees.

Where the prices come from:

* **genai-prices** (a runtime requirement, read live like the peer layer: a newer release brings
  newer host prices): AWS Bedrock's ``global.<provider>.<model>`` and ``regional.<...>``
  entries, Google's entries for other providers' models (Claude on Vertex), OpenRouter's
  ``<provider>/<model>`` (its dotted spelling, ``claude-sonnet-5.5``, too).
* **litellm** (a dev requirement, never imported): its Azure entries (``azure/<model>``,
  ``azure/eu/...``, ``azure/us/...``), which genai-prices lacks for OpenAI's models, are
  snapshotted into ``pricing/data/hosts-litellm.json`` by ``python -m cli.hosts_snapshot``
  (run it after upgrading litellm); that file ships with the package. Where litellm also lists
  a genai-prices host entry, the provenance says whether they agree.

A host price has no dated history of its own here: it applies from the model's own first price
(the provenance says so). Host shutdowns follow the model's (hosts retire on their own dates;
not modelled).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pricing.schema import PriceEntry

GENAI_PROVIDERS = ("aws", "google", "openrouter")
"""genai-prices providers whose entries hold host prices."""
SNAPSHOT = Path(__file__).resolve().parents[1] / "data" / "hosts-litellm.json"
PRICE_KEYS = ("input", "cached_input", "cache_write", "cache_write_1h", "output")


@dataclass(frozen=True)
class Host:
    id: str
    name: str
    providers: tuple[str, ...]
    """Our providers whose models this host serves."""


HOSTS = {
    h.id: h
    for h in (
        Host("azure", "Azure OpenAI (global)", ("openai",)),
        Host("azure-eu", "Azure OpenAI (EU data zone)", ("openai",)),
        Host("azure-us", "Azure OpenAI (US data zone)", ("openai",)),
        Host("bedrock", "AWS Bedrock (global)", ("anthropic", "openai")),
        Host("bedrock-regional", "AWS Bedrock (regional)", ("anthropic", "openai")),
        Host("vertex", "Google Vertex AI", ("anthropic",)),
        Host("openrouter", "OpenRouter", ("openai", "anthropic", "google")),
    )
}
"""Host id (the part after ``@`` in a model id) -> its name and the providers it serves."""

LITELLM_PREFIXES = {"azure": "azure/", "azure-eu": "azure/eu/", "azure-us": "azure/us/"}
LITELLM_KEYS = {
    "input_cost_per_token": "input",
    "cache_read_input_token_cost": "cached_input",
    "cache_creation_input_token_cost": "cache_write",
    "output_cost_per_token": "output",
}


def host_id(model_id: str, host: str) -> str:
    return f"{model_id}@{host}"


def _dotted(model_id: str) -> str:
    """OpenRouter's spelling of a version: ``claude-sonnet-5-5`` -> ``claude-sonnet-5.5``."""
    return re.sub(r"-(\d)-(\d)$", r"-\1.\2", model_id)


def genai_candidates(host: str, provider: str, model_id: str) -> tuple[str, str, tuple[str, ...]]:
    """(genai-prices provider, how its entry for ``model_id`` on ``host`` may be named)."""
    if host == "bedrock":
        return "aws", (f"global.{provider}.{model_id}",)
    if host == "bedrock-regional":
        return "aws", (f"regional.{provider}.{model_id}",)
    if host == "vertex":
        return "google", (model_id,)
    if host == "openrouter":
        return "openrouter", (f"{provider}/{model_id}", f"{provider}/{_dotted(model_id)}")
    return "", ()


# -- the litellm snapshot -----------------------------------------------------------------------


def litellm_snapshot(data: Mapping[str, Any], models: Iterable[tuple[str, str]]) -> dict:
    """litellm's Azure prices (USD per 1M tokens, as text) of ``models`` ((provider, id)), by
    host and model; with the litellm version and key of each."""
    out: dict[str, dict] = {}
    for provider, model_id in models:
        for host, prefix in LITELLM_PREFIXES.items():
            if provider not in HOSTS[host].providers:
                continue
            entry = data.get(prefix + model_id)
            if not isinstance(entry, Mapping):
                continue
            prices = {
                ours: format((Decimal(str(entry[key])) * 1_000_000).normalize(), "f")
                for key, ours in LITELLM_KEYS.items()
                if entry.get(key) is not None
            }
            if {"input", "output"} <= set(prices):
                out.setdefault(host, {})[model_id] = {"key": prefix + model_id, **prices}
    return out


@functools.lru_cache(maxsize=1)
def _snapshot() -> dict:
    try:
        return json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": "", "hosts": {}}


# -- building the variants ----------------------------------------------------------------------


def _entry(base: Any, prices: Mapping[str, Any], note: str, source: str) -> PriceEntry | None:
    """The host's price entry: the model's first entry's date, the host's token prices."""
    first = base.prices[0]
    raw = {
        "effective": first.effective,
        **{k: Decimal(str(v)) for k, v in prices.items() if k in PRICE_KEYS},
        "source": source,
        "checked": first.checked,
        "note": note,
    }
    try:
        return PriceEntry.model_validate(raw)
    except ValidationError:
        return None


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(Decimal(str(a[k])) == Decimal(str(b[k])) for k in ("input", "output"))


def host_variants(curated: Any, genai_peers: Iterable[Any], genai_label: str) -> list[Any]:
    """The host variants of ``curated``'s models (``ModelInfo``), from genai-prices' host
    entries (``PeerModel`` records of any provider, as ``pricing.peers.genai`` makes them) and
    the litellm snapshot; each marked as peer data."""
    by_provider: dict[str, list[Any]] = {}
    for peer in genai_peers:
        by_provider.setdefault(peer.provider, []).append(peer)
    snapshot = _snapshot()
    litellm_label = f"litellm {snapshot.get('version') or ''}".strip()
    out = []
    for model in curated.models():
        if not model.curated:
            continue
        for host in HOSTS.values():
            if model.provider not in host.providers:
                continue
            found: dict[str, Any] | None = None
            said = ""
            genai_provider, names = genai_candidates(host.id, model.provider, model.id)
            peer = next(
                (p for p in by_provider.get(genai_provider, ()) if p.id.lower() in names), None
            )
            litellm = snapshot.get("hosts", {}).get(host.id, {}).get(model.id)
            if peer is not None:
                flat, _ = peer.prices_on(model.prices[-1].effective)
                if "input" in flat and "output" in flat:
                    found = {k: flat[k] for k in PRICE_KEYS if k in flat}
                    said = f"price from {genai_label} ({peer.id})"
                    if litellm is not None:
                        agree = "agrees" if _same(found, litellm) else "differs"
                        said += f"; {litellm_label} ({litellm['key']}) {agree}"
            if found is None and litellm is not None:
                found = {k: litellm[k] for k in PRICE_KEYS if k in litellm}
                said = f"price from {litellm_label} ({litellm['key']})"
            if found is None:
                continue
            provenance = (
                f"{said}, not yet checked against the host's own page; applied from "
                f"{model.prices[0].effective} (no dated history for the host)"
            )
            entry = _entry(model, found, provenance + ".", str(model.prices[-1].source))
            if entry is None:
                continue
            out.append(
                replace(
                    model,
                    id=host_id(model.id, host.id),
                    name=f"{model.name} on {host.name}",
                    provider=host.id,
                    provider_name=host.name,
                    aliases=(),
                    successor=None,
                    prices=(entry,),
                    source_file="hosts",
                    source_kind="peer",
                    provenance=provenance,
                )
            )
    return out


def write_snapshot(
    catalog: Any, litellm: Mapping[str, Any], version: str, path: Path = SNAPSHOT
) -> int:
    """Write the litellm snapshot of ``catalog``'s models' Azure prices (``litellm``: its
    bundled JSON, ``version`` its release); the number of entries written."""
    hosts = litellm_snapshot(litellm, ((m.provider, m.id) for m in catalog.models()))
    doc = {"version": version, "hosts": hosts}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return sum(len(v) for v in hosts.values())
