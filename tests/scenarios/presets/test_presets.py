"""Presets: data files whose per-request figures come from counting the sample files."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import presets as ps
from scenarios.tokens import count_messages, count_tokens

SAMPLES = ps.SAMPLES_DIR


def test_required_presets_exist() -> None:
    names = set(ps.preset_names())
    assert {
        "support-chatbot",
        "content-generation",
        "data-analysis",
        "long-document-summary",
    } <= names


def _message_tokens(text: str, role: str, model: str) -> int:
    return count_messages([{"role": role, "content": text}], model, reply_primer=False).tokens


def test_figures_come_from_counting_the_samples() -> None:
    figures = ps.evaluate("long-document-summary", "gpt-4.1-mini")
    instructions = (SAMPLES / "summary/instructions.md").read_text().strip()
    report = (SAMPLES / "summary/report.md").read_text().strip()
    summary = (SAMPLES / "summary/summary.md").read_text().strip()
    expected_input = (
        _message_tokens(instructions, "system", "gpt-4.1-mini")
        + _message_tokens(report, "user", "gpt-4.1-mini")
        + 3
    )
    assert figures.figures.input_tokens == expected_input
    assert figures.figures.output_tokens == count_tokens(summary)
    assert 10_000 <= count_tokens(report) <= 20_000


def test_sample_sizes_are_realistic() -> None:
    support = ps.evaluate("support-chatbot", "gpt-4o")
    system, kb = support.parts[0], support.parts[1]
    assert system.cacheable and kb.cacheable
    assert system.tokens + kb.tokens > 1024  # a cacheable prefix
    assert support.figures.cached_tokens_on_hit >= 1024
    article = ps.evaluate("content-generation", "gpt-4o").figures.output_tokens
    assert 1000 < article < 2500


def test_multi_sample_part_uses_the_mean() -> None:
    figures = ps.evaluate("support-chatbot", "gpt-4o")
    text = (SAMPLES / "support/questions.md").read_text()
    questions = [q.strip() for q in text.split("\n---\n") if q.strip()]
    counts = [_message_tokens(q, "user", "gpt-4o") for q in questions]
    assert figures.parts[2].tokens == round(sum(counts) / len(counts))
    assert figures.conversation is not None and figures.conversation.requests == 4


def test_encoding_differs_by_model() -> None:
    a = ps.evaluate("support-chatbot", "gpt-4o")
    b = ps.evaluate("support-chatbot", "gpt-3.5-turbo")
    assert (a.encoding, b.encoding) == ("o200k_base", "cl100k_base")
    assert a.figures.input_tokens != b.figures.input_tokens


def test_misfit_is_flagged() -> None:
    frame = ps.figures_frame("long-document-summary")
    gpt4 = frame[frame.model == "gpt-4"].iloc[0]
    assert not gpt4.fits and "context window of 8,192" in gpt4.problems
    assert frame[frame.model == "gpt-4.1-mini"].iloc[0].fits


def test_check_fit() -> None:
    assert ps.check_fit(1000, 500, 4096, 4096).fits
    fit = ps.check_fit(4000, 5000, 8192, 4096)
    assert not fit.fits and len(fit.problems) == 2


def test_approximate_models_are_labelled() -> None:
    frame = ps.figures_frame("support-chatbot")
    assert set(frame[frame.model.str.startswith("claude")].exactness) == {"approximate"}
    assert set(frame[frame.model.str.startswith("gpt")].exactness) == {"exact"}


def test_load_preset_summary_for_compare_page() -> None:
    summary = ps.load_preset("support-chatbot")
    figures = ps.evaluate("support-chatbot", summary.model)
    assert summary.input_tokens == figures.figures.input_tokens
    assert summary.requests_per_month == 300_000
    assert 0 < summary.cached_share < 1


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(body)
    return path


GOOD = """
title = "t"
description = "d"
requests_per_month = 10
models = ["gpt-4o"]
[[parts]]
name = "Q"
kind = "user"
file = "support/questions.md"
samples = true
[answer]
file = "support/answers.md"
samples = true
"""


def test_bad_preset_files(tmp_path: Path) -> None:
    assert ps.load_preset_file(_write(tmp_path, GOOD)).id == "p"
    cases = {
        GOOD + "tokens = 5\n": "field answer.tokens: unknown key",
        GOOD.replace('"gpt-4o"', '"gpt-9"'): "unknown model",
        GOOD.replace("support/questions.md", "nope.md"): "does not exist",
        GOOD.replace('kind = "user"', 'kind = "banner"'): "field parts.0.kind",
    }
    for body, fragment in cases.items():
        with pytest.raises(ps.PresetError, match=fragment):
            ps.load_preset_file(_write(tmp_path, body))


def test_unknown_preset() -> None:
    with pytest.raises(ps.PresetError, match="unknown preset"):
        ps.evaluate("nope", "gpt-4o")


def test_no_preset_defaults_to_a_shut_down_baseline() -> None:
    """On 2026-12-01 (gpt-4, gpt-3.5-turbo shut down since 2026-10-23 in the shipped table) every
    preset's baseline is a model selectable on the date, and a preset holding shut-down models
    keeps them (the page marks them at the top)."""
    import datetime as dt

    from app_pages import compare
    from pricing import load_catalog

    day = dt.date(2026, 12, 1)
    catalog = load_catalog()
    for name in ps.preset_names():
        scenario = compare.preset_scenario(name, day)
        assert catalog.model(scenario.baseline).lifecycle(day).selectable, name
    held = compare.preset_scenario("long-document-summary", day).models
    assert {"gpt-4", "gpt-3.5-turbo"} <= set(held)
