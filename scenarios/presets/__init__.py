"""Scenario presets: data files in ``scenarios/presets/*.toml`` naming sample files, volumes and
models. Per-request token figures are counted from the samples with each model's tokenizer.

    presets = load_presets()                       # {"support-chatbot": Preset, ...}
    evaluate("support-chatbot", "gpt-4.1-mini")    # PresetFigures (tokens, cache, fit)
    figures_frame("long-document-summary")         # one row per model, misfits flagged
    load_preset("support-chatbot")                 # summary for the compare page's form
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field

from pricing import UnknownModelError, datafile, load_catalog
from pricing.schema import StrictModel
from scenarios.claims import (
    DOCUMENT_PRESET_PREFIX,
    TOKENS_PER_REQUEST,
    ScenarioSpec,
    load_claims,
    scenario_workload,
)
from scenarios.tokens import TokenCountError, Tokenizer, count_messages, count_tokens, tokenizer_for
from scenarios.tokens.composition import (
    PART_KINDS,
    ConversationFigures,
    Part,
    PartKind,
    Request,
    RequestFigures,
    cache_rule,
    conversation_figures,
    request_figures,
)
from scenarios.tokens.prompt_counts import SAMPLES_DIR

PRESETS_DIR = Path(__file__).parent
"""The preset files (``*.toml``) sit beside this module."""
SAMPLE_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
"""In a file with ``samples = true``, samples are separated by a line holding only ``---``."""


class PresetError(datafile.DataFileError):
    """A preset file is malformed; the message names the file and the field."""


class PartSpec(StrictModel):
    name: str
    kind: PartKind
    role: str = "user"
    file: str
    cacheable: bool = False
    samples: bool = False
    """True when ``file`` holds several samples separated by ``---`` lines (the mean is used)."""


class AnswerSpec(StrictModel):
    file: str
    samples: bool = False


class Preset(StrictModel):
    id: str
    title: str
    description: str
    requests_per_month: Annotated[int, Field(gt=0)]
    cache_hit_rate: Annotated[float, Field(ge=0, le=1)] = 0.0
    turns: Annotated[int, Field(ge=1)] = 1
    shape: Literal["requests", "sessions"] = "requests"
    """``sessions``: the preset opens as a session workload (``scenarios.session``): its
    cacheable parts are the prefix, the others each turn's new input, the answer each turn's
    output, ``turns`` turns, ``requests_per_month / turns`` sessions."""
    models: Annotated[tuple[str, ...], Field(min_length=1)]
    parts: Annotated[tuple[PartSpec, ...], Field(min_length=1)]
    answer: AnswerSpec


def _read_samples(relative: str, split: bool, where: str) -> list[str]:
    path = SAMPLES_DIR / relative
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PresetError(f"{where}: sample file {relative} does not exist") from None
    except UnicodeDecodeError:
        raise PresetError(f"{where}: sample file {relative} is not UTF-8") from None
    items = SAMPLE_SEPARATOR.split(text) if split else [text]
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise PresetError(f"{where}: sample file {relative} is empty")
    return items


def load_preset_file(path: Path) -> Preset:
    """Parse and validate one preset file; raise ``PresetError`` naming what is wrong."""
    preset = datafile.load(path, Preset, PresetError, defaults={"id": path.stem})
    catalog = load_catalog()
    for model in preset.models:
        try:
            catalog.model(model)
        except UnknownModelError as exc:
            raise PresetError(datafile.problem(path.name, "models", str(exc))) from None
    for spec in preset.parts:
        _read_samples(spec.file, spec.samples, f"{path.name}: part {spec.name!r}")
    _read_samples(preset.answer.file, preset.answer.samples, f"{path.name}: answer")
    return preset


@functools.cache
def _load_all(directory: str) -> dict[str, Preset]:
    paths = sorted(Path(directory).glob("*.toml"))
    if not paths:
        raise PresetError(f"no preset files (*.toml) in {directory}")
    return {preset.id: preset for preset in map(load_preset_file, paths)}


def load_presets(directory: Path | str | None = None) -> dict[str, Preset]:
    """Every preset by id (the file name without ``.toml``), validated. Cached."""
    return dict(_load_all(str(directory or PRESETS_DIR)))


def document_preset(scenario: ScenarioSpec) -> PresetSummary:
    """A source document's scenario as a preset (id ``source-<scenario id>``).

    The documents give monthly token totals and a split, not prompts, so these figures are the
    documents' own (labelled ``origin="document"``), in requests of
    ``claims.TOKENS_PER_REQUEST`` tokens; they are defined once, in ``claims/claims.toml``.
    """
    workload = scenario_workload(scenario)
    return PresetSummary(
        id=scenario.preset_id,
        title=scenario.preset_title,
        description=(
            f"{scenario.total_tokens:,.0f} tokens a month as {scenario.source} states them, "
            f"in requests of {TOKENS_PER_REQUEST:,} tokens. {scenario.split_note}"
        ),
        model=scenario.models[0],
        exact=True,
        requests_per_month=round(workload.requests),
        input_tokens=round(workload.input_tokens),
        output_tokens=round(workload.output_tokens),
        cached_share=0.0,
        origin="document",
        models=scenario.models,
    )


def document_presets() -> dict[str, PresetSummary]:
    """The source documents' scenarios as presets, by id (``source-<scenario id>``)."""
    presets = (document_preset(scenario) for scenario in load_claims().scenarios)
    return {preset.id: preset for preset in presets}


def preset_names() -> list[str]:
    """Preset ids, for a select box: the counted presets, then the documents' scenarios."""
    return [*load_presets(), *document_presets()]


def get_preset(preset: Preset | str) -> Preset:
    if isinstance(preset, Preset):
        return preset
    presets = load_presets()
    if preset not in presets:
        raise PresetError(f"unknown preset {preset!r}; presets: {', '.join(presets)}")
    return presets[preset]


# -- counting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """Whether a request fits a model's context window and output limit."""

    fits: bool
    problems: tuple[str, ...]
    peak_input_tokens: int
    output_tokens: int
    context_window: int
    max_output_tokens: int


def check_fit(
    peak_input_tokens: int, output_tokens: int, context_window: int, max_output_tokens: int
) -> Fit:
    """Flag a request whose input + output exceed the window or whose output exceeds the cap."""
    problems = []
    if output_tokens > max_output_tokens:
        problems.append(
            f"answer of {output_tokens:,} tokens exceeds max output {max_output_tokens:,}"
        )
    if peak_input_tokens + output_tokens > context_window:
        problems.append(
            f"input {peak_input_tokens:,} + output {output_tokens:,} tokens exceeds the "
            f"context window of {context_window:,}"
        )
    return Fit(
        fits=not problems,
        problems=tuple(problems),
        peak_input_tokens=peak_input_tokens,
        output_tokens=output_tokens,
        context_window=context_window,
        max_output_tokens=max_output_tokens,
    )


@dataclass(frozen=True)
class PresetFigures:
    """A preset counted with one model's tokenizer."""

    preset: str
    model: str
    encoding: str
    exact: bool
    """False when the model's tokenizer is not public: every figure here is an approximation."""
    requests_per_month: int
    parts: tuple[Part, ...]
    request: Request
    figures: RequestFigures
    """Per request (the mean over the conversation when ``turns`` > 1)."""
    conversation: ConversationFigures | None
    fit: Fit
    notes: tuple[str, ...]

    @property
    def label(self) -> str:
        return "exact" if self.exact else "approximate"


def _mean_round(values: list[int]) -> int:
    return round(sum(values) / len(values))


def _count_part(spec: PartSpec, tok: Tokenizer) -> Part:
    texts = _read_samples(spec.file, spec.samples, f"part {spec.name!r}")
    counts = [
        count_messages([{"role": spec.role, "content": t}], tok, reply_primer=False).tokens
        for t in texts
    ]
    return Part(spec.name, spec.kind, _mean_round(counts), spec.cacheable, exact=tok.exact)


def _count_request(preset: Preset, tok: Tokenizer) -> Request:
    """The preset's parts and answer (the mean over their samples) counted with ``tok``."""
    try:
        parts = tuple(_count_part(spec, tok) for spec in preset.parts)
        answers = _read_samples(preset.answer.file, preset.answer.samples, "answer")
    except TokenCountError as exc:
        raise PresetError(f"{preset.id}: {exc}") from None
    output = _mean_round([count_tokens(a, tok.encoding_name) for a in answers])
    return Request(parts, output)


def evaluate(
    preset: Preset | str, model: str, cache_hit_rate: float | None = None
) -> PresetFigures:
    """Count ``preset``'s samples with ``model``'s tokenizer and check the fit."""
    preset = get_preset(preset)
    info = load_catalog().model(model)
    tok = tokenizer_for(info.id)
    rate = preset.cache_hit_rate if cache_hit_rate is None else cache_hit_rate
    request = _count_request(preset, tok)
    parts, output = request.parts, request.output_tokens
    rule = cache_rule(info.provider, info.min_cached_prompt_tokens)
    conversation = None
    if preset.turns > 1:
        conversation = conversation_figures(request, preset.turns, rate, rule=rule)
        figures = conversation.mean_figures()
        peak = conversation.max_input_tokens
    else:
        figures = request_figures(request, rate, rule)
        peak = figures.input_tokens
    fit = check_fit(peak, output, info.context_window, info.max_output_tokens)
    notes = [tok.note] if tok.note else []
    notes += [f"does not fit: {p}" for p in fit.problems]
    return PresetFigures(
        preset=preset.id,
        model=info.id,
        encoding=tok.encoding_name,
        exact=tok.exact,
        requests_per_month=preset.requests_per_month,
        parts=parts,
        request=request,
        figures=figures,
        conversation=conversation,
        fit=fit,
        notes=tuple(notes),
    )


def evaluate_all(preset: Preset | str, cache_hit_rate: float | None = None) -> list[PresetFigures]:
    """The preset on each of its models."""
    preset = get_preset(preset)
    return [evaluate(preset, model, cache_hit_rate) for model in preset.models]


FRAME_COLUMNS = [
    "model",
    "encoding",
    "exactness",
    "input_tokens",
    "output_tokens",
    "cacheable_prefix_tokens",
    "cached_tokens_on_hit",
    "expected_cached_tokens",
    "cached_share",
    "peak_input_tokens",
    "context_window",
    "max_output_tokens",
    "fits",
    "problems",
]


def figures_frame(preset: Preset | str, cache_hit_rate: float | None = None) -> pd.DataFrame:
    """One row per model of the preset, with its per-request figures and fit."""
    rows = []
    for f in evaluate_all(preset, cache_hit_rate):
        rows.append(
            {
                "model": f.model,
                "encoding": f.encoding,
                "exactness": f.label,
                "input_tokens": f.figures.input_tokens,
                "output_tokens": f.figures.output_tokens,
                "cacheable_prefix_tokens": f.figures.cacheable_prefix_tokens,
                "cached_tokens_on_hit": f.figures.cached_tokens_on_hit,
                "expected_cached_tokens": f.figures.expected_cached_tokens,
                "cached_share": f.figures.cached_share,
                "peak_input_tokens": f.fit.peak_input_tokens,
                "context_window": f.fit.context_window,
                "max_output_tokens": f.fit.max_output_tokens,
                "fits": f.fit.fits,
                "problems": "; ".join(f.fit.problems),
            }
        )
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


@dataclass(frozen=True)
class PresetSummary:
    """What a cost form needs from a preset, counted on one model (the first listed)."""

    id: str
    title: str
    description: str
    model: str
    exact: bool
    requests_per_month: int
    input_tokens: int
    output_tokens: int
    cached_share: float
    reasoning_tokens: int | None = None
    origin: str = "counted"
    """``counted`` (tokens counted from sample files) or ``document`` (a source's own figures)."""
    models: tuple[str, ...] = ()
    """The models the preset compares."""
    session: dict | None = None
    """A session preset's figures (``Scenario`` field names: ``sessions``,
    ``prefix_tokens``, ``turns``, ``turn_input_tokens``, ``turn_output_tokens``)."""


def load_preset(name: str, model: str | None = None) -> PresetSummary:
    """The preset's per-request figures on ``model`` (default: its first model)."""
    if isinstance(name, str) and name.startswith(DOCUMENT_PRESET_PREFIX):
        documents = document_presets()
        if name not in documents:
            raise PresetError(f"unknown preset {name!r}")
        return documents[name]
    preset = get_preset(name)
    figures = evaluate(preset, model or preset.models[0])
    return PresetSummary(
        id=preset.id,
        title=preset.title,
        description=preset.description,
        model=figures.model,
        exact=figures.exact,
        requests_per_month=preset.requests_per_month,
        input_tokens=figures.figures.input_tokens,
        output_tokens=figures.figures.output_tokens,
        cached_share=figures.figures.cached_share,
        models=preset.models,
        session=_session_figures(preset, figures) if preset.shape == "sessions" else None,
    )


def _session_figures(preset: Preset, figures: PresetFigures) -> dict:
    """The session a preset describes: the cacheable parts re-sent as the prefix, the other
    parts as each turn's new input, the answer as its output (counted on one model)."""
    parts = figures.request.parts
    return {
        "sessions": float(round(preset.requests_per_month / preset.turns)),
        "prefix_tokens": float(sum(p.tokens for p in parts if p.cacheable)),
        "turns": preset.turns,
        "turn_input_tokens": float(sum(p.tokens for p in parts if not p.cacheable)),
        "turn_output_tokens": float(figures.request.output_tokens),
    }


__all__ = [
    "PART_KINDS",
    "Fit",
    "Preset",
    "PresetError",
    "PresetFigures",
    "PresetSummary",
    "check_fit",
    "document_preset",
    "document_presets",
    "evaluate",
    "evaluate_all",
    "figures_frame",
    "get_preset",
    "load_preset",
    "load_presets",
    "preset_names",
]
