"""The Source check page, driven with AppTest: it runs, and its figures are the core's."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from scenarios import claims as core
from scenarios import report
from scenarios.claims import schema
from scenarios.links import compare


def _page():
    from app_pages import source_check

    source_check.render()


@pytest.fixture(scope="module")
def at() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    return at


@pytest.fixture
def fresh_cache():
    """The page caches the core's results per process: clear them around a patched run."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _tables(at) -> list:
    return [t.value for t in at.table]


MONEY = ("cost", "all_input", "all_output")


def _column_config(grid) -> dict:
    return json.loads(grid.proto.columns)


def test_page_runs_without_exception(at):
    assert not at.exception
    assert not at.error


def test_counts_are_the_cores(at):
    evaluations = core.evaluate_all()
    counts = core.verdict_counts(evaluations)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Claims"] == str(len(evaluations))
    assert metrics["✓ holds"] == str(counts[core.HOLDS])
    assert metrics["✗ does not hold"] == str(counts[core.FAILS])
    assert metrics["? cannot be checked"] == str(counts[core.UNCHECKABLE])


def test_chart_is_drawn(at):
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1


def test_findings_are_computed_not_typed(at):
    text = " ".join(m.value for m in at.markdown)
    # 0.40 / 0.15 = 1.60 / 0.60 = 2.67 at every split; 4o-mini's all-output 100 x 0.60 = 60.
    assert "gpt-4.1-mini costs **2.67x** gpt-4o-mini at every split" in text
    assert "$150 (at most $60.00)" in text
    assert text.count("No input/output split") == 2


def test_findings_follow_the_prices(tmp_path: Path):
    # gpt-4o-mini at 0.30 / 1.20 makes gpt-4.1-mini cost 1.33x it; its all-output 100M: $120.
    from pricing import load_catalog
    from pricing.catalog import DATA_DIR

    for path in DATA_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text())
    openai = tmp_path / "openai.toml"
    old = "effective = 2024-10-01\ninput = 0.15\ncached_input = 0.075\noutput = 0.60"
    assert old in openai.read_text()
    openai.write_text(
        openai.read_text().replace(
            old, "effective = 2024-10-01\ninput = 0.30\ncached_input = 0.075\noutput = 1.20"
        )
    )
    found = " ".join(core.cost_table_findings(catalog=load_catalog(tmp_path)))
    assert "**1.33x**" in found
    assert "$150 (at most $120.00)" in found


def test_scenario_costs_and_links(at):
    frame = core.scenarios_frame()
    bot = frame[frame["scenario_id"] == "003-customer-service-bot"]
    # 100M tokens at 50/50: 37.50 on gpt-4o-mini, 100.00 on gpt-4.1-mini.
    costs = dict(zip(bot["model"], bot["cost"], strict=True))
    assert costs == pytest.approx({"gpt-4o-mini": 37.5, "gpt-4.1-mini": 100.0})
    grids = [d for d in at.dataframe if "all_output" in d.value.columns]
    assert len(grids) == len(core.load_claims().scenarios)
    shown = [d.value for d in grids]
    # Numbers, so a click on a header sorts by value; the column format shows them as USD.
    assert all(pd.api.types.is_float_dtype(t[c]) for t in shown for c in MONEY)
    assert any(
        list(t["model"]) == ["gpt-4o-mini", "gpt-4.1-mini"]
        and list(t["cost"]) == pytest.approx([37.5, 100.0])
        and list(t["all_output"]) == pytest.approx([60.0, 160.0])  # 100M x 0.60, x 1.60
        for t in shown
    )
    config = _column_config(grids[0])
    assert {c: config[c]["label"] for c in ("model", *MONEY)} == {
        "model": "Model",
        "cost": "$ / month",
        "all_input": "All input",
        "all_output": "All output",
    }
    assert all(config[c]["type_config"]["format"] == "$%.2f" for c in MONEY)
    assert config["model"]["pinned"] is True
    buttons = at.get("link_button")
    urls = [b.proto.url for b in buttons]
    assert urls == list(dict.fromkeys(frame["compare_link"]))
    scenario = compare.decode_url(bot["compare_link"].iloc[0]).scenario
    assert scenario.requests_per_month * (scenario.input_tokens + scenario.output_tokens) == (
        pytest.approx(100e6)
    )
    assert set(scenario.models) == {"gpt-4o-mini", "gpt-4.1-mini"}


def _claim_grids(at) -> list:
    return [d for d in at.dataframe if "note" in d.value.columns and "claimed" in d.value.columns]


def test_every_claim_is_listed_with_its_verdict(at):
    grids = _claim_grids(at)
    assert len(grids) == 5  # one per document
    rows = {r["id"]: r for d in grids for r in d.value.to_dict("records")}
    evaluations = core.evaluate_all()
    assert {k: r["computed"] for k, r in rows.items()} == {e.id: e.computed for e in evaluations}
    assert all(rows[e.id]["verdict"].endswith(e.verdict) for e in evaluations)
    # The grid shows four fixed-width columns that wrap; the note is listed whole below it.
    assert list(grids[0].proto.column_order) == ["verdict", "claim", "claimed", "computed"]
    assert grids[0].proto.row_height > 64  # over 4rem: the grid wraps cells instead of cutting
    config = _column_config(grids[0])
    assert [config[c]["label"] for c in grids[0].proto.column_order] == [
        "Verdict",
        "Claim",
        "Claimed",
        "Recomputed",
    ]
    assert all(isinstance(config[c]["width"], int) for c in grids[0].proto.column_order)
    notes = " ".join(m.value for m in at.markdown).replace("\\", "").replace("\u2060", "")
    assert all(e.note in notes for e in evaluations)  # whole, not cut


def test_sections_are_collapsed_and_named_with_their_counts(at):
    labels = [e.label for e in at.expander]
    claims = core.load_claims()
    per_document = [label for label in labels if " claims (" in label or " claim (" in label]
    assert len(per_document) == len(claims.documents)
    counts = core.verdict_counts([e for e in core.evaluate_all() if e.source.startswith("003")])
    # 003 has 19 claims; the label counts each verdict.
    assert counts[core.HOLDS] + counts[core.FAILS] + counts[core.UNCHECKABLE] == 19
    assert any(label.startswith("003") and "19 claims" in label for label in per_document)
    assert all(not e.proto.expanded for e in at.expander)


def test_documents_are_picked_by_title_not_file_name(at):
    picker = at.multiselect(key="source_check_documents")
    labels = picker.options  # as the person sees them
    assert labels[0] == "000 — GPT-4.1 Mini pros and cons (est. 2025-06)"
    assert not any(".txt" in label for label in labels)
    picker.set_value(["003_ce3ede9a691f0570.txt"]).run()
    listed = [d.value for d in _claim_grids(at)]
    assert len(listed) == 1
    assert set(listed[0]["id"].str[:3]) == {"003"}
    picker.set_value([f.file for f in core.load_claims().documents]).run()


def test_recomputed_table_shows_the_cores_cells(at):
    recomputed = [t for t in _tables(at) if "4o-mini" in t.columns]
    values = {tuple(t["4o-mini"]) for t in recomputed}
    assert ("$37.50", "$93.75", "$18.75") in values
    assert ("$150", "$375", "$75") in values


def test_each_scenario_link_opens_compare_with_the_recomputed_figures():
    claims = core.load_claims()
    for scenario in claims.scenarios:
        as_of = claims.document(scenario.source).date
        decoded = compare.decode(core.compare_link(scenario, as_of))
        assert decoded.warnings == []
        costs = core.scenario_costs(scenario, as_of=as_of).set_index("model")["cost"]
        table = report.compare(decoded.scenario).table.set_index("model")["total_cost"]
        for model in scenario.models:
            assert table[model] == pytest.approx(costs[model])


def test_a_broken_claims_file_is_a_message_not_a_traceback(tmp_path, monkeypatch, fresh_cache):
    bad = tmp_path / "claims.toml"
    bad.write_text("documents = [")
    monkeypatch.setattr(schema, "CLAIMS_FILE", bad)
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    assert "claims.toml: not valid TOML" in at.error[0].value


def test_a_model_the_table_cannot_price_is_named_not_plotted(monkeypatch, fresh_cache):
    frame = core.scenario_chart_frame()
    frame.loc[frame["series"] == "recomputed", "cost"] = float("nan")
    frame.loc[frame["series"] == "recomputed", "available"] = False
    frame.loc[frame["series"] == "recomputed", "reason"] = "gpt-4o-mini: not released yet"
    monkeypatch.setattr(core, "scenario_chart_frame", lambda *a, **k: frame)
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("Not recomputed: gpt-4o-mini: not released yet" in w.value for w in at.warning)
    chart = (at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))[0].proto
    plotted = pa.ipc.open_stream(chart.datasets[0].data.data).read_pandas()
    assert set(plotted["series"]) == {"document"}  # no NaN bars for the unpriced figures
