"""The same model on other hosts (pricing/peers/hosts.py): host variants are the model we carry
at the host's prices, marked as peer data with the peer and entry named; the shipped litellm
snapshot is what the command writes from the pinned litellm."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from cli.hosts_snapshot import write
from pricing.catalog import load_catalog
from pricing.peers import PeerModel, hosts
from pricing.peers.litellm import load_litellm

DAY = dt.date(2026, 12, 6)


def test_azure_data_zone_is_the_model_at_the_hosts_prices():
    cat = load_catalog()
    model, eu = cat.model("gpt-4.1-mini"), cat.model("gpt-4.1-mini@azure-eu")
    entry = cat.price("gpt-4.1-mini@azure-eu", DAY)
    assert (entry.input, entry.cached_input, entry.output) == (
        Decimal("0.44"),
        Decimal("0.11"),
        Decimal("1.76"),
    )
    assert eu.provider == "azure-eu" and eu.source_kind == "peer"
    assert "litellm 1.110.2 (azure/eu/gpt-4.1-mini)" in eu.provenance
    assert (eu.encoding, eu.context_window, eu.released, eu.shutdown) == (
        model.encoding,
        model.context_window,
        model.released,
        model.shutdown,
    )


def test_the_shipped_snapshot_is_what_the_command_writes(tmp_path):
    path = tmp_path / "hosts.json"
    write(path)
    assert json.loads(path.read_text()) == json.loads(hosts.SNAPSHOT.read_text())


def _peer(provider: str, peer_id: str, input_: str, output: str) -> PeerModel:
    flat = {"input": Decimal(input_), "output": Decimal(output)}
    return PeerModel(
        peer="genai-prices", provider=provider, id=peer_id, history=((None, flat, frozenset()),)
    )


def test_genai_host_entries_become_variants_named_by_their_entry():
    cat = load_catalog(peers=False)
    peers = [
        _peer("openrouter", "openai/gpt-4.1-mini", "0.4", "1.6"),
        _peer("aws", "global.openai.gpt-4.1-mini", "0.5", "2"),
    ]
    found = {m.id: m for m in hosts.host_variants(cat, peers, "genai-prices X")}
    router = found["gpt-4.1-mini@openrouter"]
    assert router.provenance.startswith("price from genai-prices X (openai/gpt-4.1-mini)")
    assert router.prices[0].input == Decimal("0.4")
    bedrock = found["gpt-4.1-mini@bedrock"]
    assert bedrock.prices[0].output == Decimal("2")
    # Azure comes from the litellm snapshot alone
    assert found["gpt-4.1-mini@azure"].provenance.startswith("price from litellm 1.110.2")
    # a model a host does not list has no variant there
    assert "gpt-4.1-mini@vertex" not in found


def test_litellm_snapshot_reads_only_our_models_azure_entries():
    data = load_litellm()
    snap = hosts.litellm_snapshot(data, [("openai", "gpt-4o-mini"), ("anthropic", "gpt-4o-mini")])
    assert snap["azure-eu"]["gpt-4o-mini"] == {
        "key": "azure/eu/gpt-4o-mini",
        "input": "0.165",
        "cached_input": "0.083",
        "output": "0.66",
    }
    assert set(snap) == {"azure", "azure-eu", "azure-us"}
