"""The live peer layer and ``tokenbudget refresh`` (issue 20): genai-prices' models that the
curated table lacks show up, marked; a refresh saves a dated snapshot that is used from then on;
offline it says so in one line and changes nothing. The network is never used: the refresh
tests serve a recorded snapshot from a loopback server."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import shutil
import socket
import threading
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest

from cli.main import main as tokenbudget
from pricing import catalog as catalog_module
from pricing.catalog import load_catalog, peer_layer
from pricing.peers import layer

RECORDED = Path(__file__).parent / "data" / "genai-prices-snapshot.json"
NEW_MODELS = (
    "gpt-6.2-sol",
    "gpt-6.2-astra",
    "gemini-4-carbon",
    "gemini-4-hydrogen",
    "gemini-4-neon",
)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of our own, and a catalog that looks for peer data again."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(layer.CACHE_ENV, str(folder))
    catalog_module.forget_peer_source()
    yield folder
    catalog_module.forget_peer_source()


def saved(cache: Path, day: str = "20261206") -> Path:
    target = cache / "genai-prices" / f"genai-prices-{day}T090000Z.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(RECORDED, target)
    catalog_module.forget_peer_source()
    return target


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = tokenbudget(argv)
    return code, out.getvalue(), err.getvalue()


def test_the_pinned_genai_prices_brings_the_newest_models_each_marked_or_curated(cache):
    from genai_prices.data import providers

    peer = {m.id: m for p in providers if p.id in ("openai", "google") for m in p.models}
    code, out, _ = run(["table", "--format", "json"])
    assert code == 0
    rows = {row["model"]: row for row in json.loads(out)}
    for model in NEW_MODELS:
        row = rows[model]
        if row["source_kind"] == "peer":
            assert row["provenance"] == (
                "price from genai-prices 0.2.5, not yet checked against a second source"
            )
            prices = peer[model].prices
            current = prices[-1].prices if isinstance(prices, list) else prices
            for ours, theirs in (
                ("input", "input_mtok"),
                ("cached_input", "cache_read_mtok"),
                ("output", "output_mtok"),
            ):
                value = getattr(current, theirs)
                assert row[ours] == float(getattr(value, "base", value)), (model, ours)
        else:  # curated: then it names its own source and has no provenance line
            assert row["source_kind"] == "curated" and row["provenance"] == ""
            assert row["source"].startswith("https://")
    assert all(row["source_kind"] in ("curated", "peer") for row in rows.values())


def test_a_snapshot_adds_its_new_model_and_the_curated_entry_wins(cache):
    saved(cache)
    found = peer_layer()
    assert found.source.origin == "snapshot" and found.source.date == dt.date(2026, 12, 6)
    assert [m.id for _, m in found.models] == ["gpt-7-nova"]  # not 4.1-mini (ours), no embedding
    model = found.models[0][1]
    assert model.released == dt.date(2026, 12, 5)  # "Released 2026-12-05." in the peer's notes
    assert [e.effective for e in model.prices] == [dt.date(2026, 12, 5), dt.date(2027, 2, 1)]
    first, later = model.prices
    assert (first.input, first.cached_input, first.output) == (
        Decimal("1.5"),
        Decimal("0.15"),
        Decimal("6"),
    )
    assert (later.input, later.output) == (Decimal("3"), Decimal("12"))
    assert first.promotion is not None and first.promotion.until == dt.date(2027, 1, 31)
    assert later.promotion is None
    assert (first.batch.input, first.batch.output) == (Decimal("0.75"), Decimal("3"))
    assert str(first.source) == "https://developers.openai.com/api/docs/models/gpt-7-nova"
    assert model.encoding == "o200k_base" and model.encoding_exact is False

    cat = load_catalog()
    info = cat.model("gpt-7-nova")
    assert info.source_kind == "peer" and info.price_from == (
        "genai-prices data refreshed 2026-12-06 (unchecked)"
    )
    assert cat.model("gpt-4.1-mini").curated  # the snapshot's own gpt-4.1-mini never replaces it
    assert load_catalog(peers=False).model_ids() == [
        m
        for m in cat.model_ids()
        if m != "gpt-7-nova" and "@" not in m  # hosts: test_hosts
    ]


def test_a_peer_model_prices_a_workload_and_says_where_its_price_comes_from(cache):
    saved(cache)
    code, out, err = run(
        [
            "cost",
            "--requests",
            "1000",
            "--input-tokens",
            "1000",
            "--output-tokens",
            "100",
            "--models",
            "gpt-7-nova",
            "--as-of",
            "2026-12-07",
            "--format",
            "json",
        ]
    )
    assert code == 0, err
    (row,) = json.loads(out)
    # 1M input x $1.50 + 0.1M output x $6.00 = $1.50 + $0.60
    assert row["total_cost"] == pytest.approx(2.10)
    assert "price from genai-prices data refreshed 2026-12-06" in row["warnings"]


def test_an_unreadable_snapshot_falls_back_to_the_package_and_says_so(cache):
    bundled = [m.id for _, m in peer_layer().models]
    target = saved(cache)
    target.write_text("[{]")
    found = peer_layer()
    assert found.problem == (
        f"snapshot {target.name} cannot be read by genai-prices 0.2.5 (JSONDecodeError); "
        "using the package's own data"
    )
    assert [m.id for _, m in found.models] == bundled


def test_the_package_wins_over_an_older_snapshot(cache):
    saved(cache, day="20261101")  # before genai-prices 0.2.5 (2026-11-19)
    assert peer_layer().source.origin == "bundled"


class _Recorded(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = RECORDED.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def served():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/data.json"
    server.shutdown()


def test_refresh_saves_a_dated_snapshot_used_from_then_on(cache, served):
    code, out, err = run(["refresh", "--url", served, "--timeout", "20"])
    assert code == 0, err
    files = list((cache / "genai-prices").iterdir())
    assert len(files) == 1 and layer.snapshot_date(files[0]) is not None
    assert files[0].read_bytes() == RECORDED.read_bytes()
    assert "New here, marked as peer data: gpt-7-nova." in out
    code, out, _ = run(["table", "--format", "json"])
    row = next(r for r in json.loads(out) if r["model"] == "gpt-7-nova")
    assert row["source_kind"] == "peer" and "refreshed" in row["provenance"]


def test_refresh_offline_is_one_line_a_failure_and_changes_nothing(cache):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = run(["refresh", "--url", f"http://127.0.0.1:{port}/data.json"])
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "offline? nothing was changed" in lines[0], lines
    assert not cache.exists()


def test_refresh_refuses_a_payload_genai_prices_cannot_parse(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(_Recorded, "do_GET", _not_prices)
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code, _, err = run(["refresh", "--url", f"http://127.0.0.1:{server.server_port}/x"])
    finally:
        server.shutdown()
    assert code == 1 and "nothing was changed" in err and len(err.splitlines()) == 1
    assert not cache.exists()


def _not_prices(self):
    body = b"<html>captive portal</html>"
    self.send_response(200)
    self.send_header("Content-Length", str(len(body)))
    self.end_headers()
    self.wfile.write(body)
