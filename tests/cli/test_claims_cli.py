"""``tokenbudget claims``: one row per claim, in text, csv and json."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli.main import main
from scenarios import claims as core
from scenarios.claims import schema

CLAIMS = core.load_claims()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["claims", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_one_record_per_claim_with_the_required_fields(capsys):
    code, out, _ = run(capsys, "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["id"] for r in records] == [c.id for c in CLAIMS.claims]
    for key in ("id", "source", "claim", "claimed", "computed", "verdict", "note"):
        assert all(key in r for r in records)
    bot = next(r for r in records if r["id"] == "003-csbot-4omini")
    # 50 x 0.15 + 50 x 0.60 = 37.50
    assert bot["claimed"] == "$150"
    assert bot["computed_value"] == pytest.approx(37.5)
    assert bot["verdict"] == "does not hold"
    assert bot["source"] == "003_ce3ede9a691f0570.txt"
    assert bot["document"] == "003 — 4o-mini vs 4.1-mini comparison guide (est. 2025-06)"


def test_a_broken_claims_file_is_a_one_line_error(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(schema, "CLAIMS_FILE", tmp_path / "gone.toml")
    code, out, err = run(capsys)
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "gone.toml: cannot be read" in err


def test_csv_matches_the_core(capsys):
    code, out, _ = run(capsys, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(CLAIMS.claims)
    expected = {e.id: e.verdict for e in core.evaluate_all(CLAIMS)}
    assert {r["id"]: r["verdict"] for r in rows} == expected
    balanced = next(r for r in rows if r["id"] == "002-balanced-41mini")
    assert float(balanced["computed_value"]) == pytest.approx(10.0)  # 5 x 0.40 + 5 x 1.60


def test_text_ends_with_the_counts(capsys):
    code, out, _ = run(capsys)
    assert code == 0
    counts = core.verdict_counts(core.evaluate_all(CLAIMS))
    last = out.strip().splitlines()[-1]
    assert last.startswith(f"{len(CLAIMS.claims)} claims: {counts['holds']} holds")
    assert "003-csbot-41mini" in out


def test_filters(capsys):
    code, out, _ = run(capsys, "--verdict", "cannot be checked", "--format", "json")
    assert code == 0
    assert {r["verdict"] for r in json.loads(out)} == {"cannot be checked"}
    code, out, _ = run(capsys, "--source", "003", "--format", "json")
    assert {r["source"] for r in json.loads(out)} == {"003_ce3ede9a691f0570.txt"}


def test_unknown_source_is_a_one_line_error(capsys):
    code, out, err = run(capsys, "--source", "999")
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "--source" in err
