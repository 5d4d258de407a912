"""Cost per successful task, from a team's own eval results: each model priced on its own tokens
and its own pass rate. Pure (no streamlit).

**Reading** (``read_results``): one row per (model, task), from

* the project's CSV: ``model, task_id, passed`` (or ``score``, 0..1), ``input_tokens``,
  ``output_tokens``, optional ``cached_input_tokens`` and ``reasoning_tokens`` (read line by
  line, so a file of any size streams);
* promptfoo's JSON output (``promptfoo eval -o results.json``): ``results.results[]`` with
  ``provider.id`` (``openai:gpt-4.1-mini``, ``openai:chat:gpt-4.1-mini``), ``success``,
  ``score``, ``testIdx`` and ``response.tokenUsage`` (``prompt``, ``completion``, ``cached``,
  ``completionDetails.reasoning``);
* an Inspect AI eval log (JSON): ``eval.model`` (``openai/gpt-4.1-mini``), ``samples[]`` with
  ``id``, ``epoch``, ``scores`` (a value ``C`` / ``I`` or a number) and ``model_usage``
  (``input_tokens``, ``output_tokens``, ``input_tokens_cache_read``, ``reasoning_tokens``).

Model names map onto the price table as usage re-pricing maps them (``Catalog.resolve``:
aliases, dated snapshots, ``provider/`` prefixes; promptfoo's ``provider:`` prefixes are cut
first). A row that cannot be read is skipped with its line and reason; a model the table does
not hold is counted and listed with its tasks, never dropped.

**Figures** (``task_figures``), per model, at the prices of a date: tasks, passes, the pass rate
and its 95% Wilson interval (four tasks are not a 95% pass rate), tokens per task (mean and
p90), cost per task (the mean of each task priced by the cost engine) and cost per successful
task (the tasks' cost over the passes), the cheapest-for-quality frontier (no other model
passes as often for less per success), and an escalation (``escalate``: every task on A, the
failed ones again on B).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pricing.catalog import SHUT_DOWN, Catalog, UnknownModelError
from pricing.cost import monthly_cost
from pricing.dated import prices_on
from scenarios.scenario import MAX_OWN, OwnTokens

Z95 = 1.959963984540054
MAX_TOKENS = 1e9
"""The most tokens one task may state (a row above is skipped: no eval task is that long)."""
MAX_JSON_BYTES = 512 * 1024 * 1024
"""promptfoo and Inspect files are one JSON document: read whole, up to this size."""
MAX_SKIPPED_KEPT = 1_000
CSV_REQUIRED = ("model", "task_id", "input_tokens", "output_tokens")
PASS_WORDS = {"true": True, "1": True, "yes": True, "pass": True, "passed": True, "c": True,
              "false": False, "0": False, "no": False, "fail": False, "failed": False,
              "i": False}  # fmt: skip


class TaskFileError(ValueError):
    """A file that cannot be read as eval results at all (one line, says why)."""


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


@dataclass
class Results:
    """Eval rows as read: one per (model, task)."""

    name: str
    kind: str
    """``csv``, ``promptfoo`` or ``inspect``."""
    model: list[str] = field(default_factory=list)
    task: list[str] = field(default_factory=list)
    passed: list[bool] = field(default_factory=list)
    input_tokens: list[float] = field(default_factory=list)
    output_tokens: list[float] = field(default_factory=list)
    cached_input_tokens: list[float] = field(default_factory=list)
    reasoning_tokens: list[float] = field(default_factory=list)
    rows: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    skipped_count: int = 0

    def add(self, model, task, passed, inputs, outputs, cached=0.0, reasoning=0.0) -> None:
        self.model.append(model)
        self.task.append(task)
        self.passed.append(passed)
        self.input_tokens.append(inputs)
        self.output_tokens.append(outputs)
        self.cached_input_tokens.append(cached)
        self.reasoning_tokens.append(reasoning)

    def skip(self, line: int, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_SKIPPED_KEPT:
            self.skipped.append(Skipped(line, reason))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "model_read": self.model,
                "task_id": self.task,
                "passed": np.array(self.passed, dtype=bool),
                "input_tokens": np.array(self.input_tokens, dtype="float64"),
                "output_tokens": np.array(self.output_tokens, dtype="float64"),
                "cached_input_tokens": np.array(self.cached_input_tokens, dtype="float64"),
                "reasoning_tokens": np.array(self.reasoning_tokens, dtype="float64"),
            }
        )


# -- reading ----------------------------------------------------------------------------------


def _tokens(value: object, name: str) -> float:
    """A token count: a finite number from 0 to ``MAX_TOKENS``; raises ``ValueError``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{name} is missing")
    if isinstance(value, bool):
        raise ValueError(f"{name} is not a number ({value!r})")
    try:
        number = (
            float(str(value).strip().replace(",", "")) if isinstance(value, str) else float(value)
        )
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} is not a number ({str(value)[:40]!r})") from None
    if not math.isfinite(number) or number < 0 or number > MAX_TOKENS:
        raise ValueError(f"{name} must be 0 to {MAX_TOKENS:,.0f} tokens ({str(value)[:40]})")
    return number


def _optional(value: object, name: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    return _tokens(value, name)


def _passed(passed: object, score: object, pass_score: float) -> bool:
    """The task passed: a ``passed`` word or boolean, else ``score`` at least ``pass_score``."""
    if passed is not None and not (isinstance(passed, str) and not passed.strip()):
        if isinstance(passed, bool):
            return passed
        word = str(passed).strip().lower()
        if word in PASS_WORDS:
            return PASS_WORDS[word]
        raise ValueError(f"passed is not true/false ({str(passed)[:40]!r})")
    if score is None or (isinstance(score, str) and not score.strip()):
        raise ValueError("neither passed nor score is given")
    if isinstance(score, str) and score.strip().lower() in PASS_WORDS:
        return PASS_WORDS[score.strip().lower()]
    try:
        number = float(score)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"score is not a number ({str(score)[:40]!r})") from None
    if not 0 <= number <= 1:
        raise ValueError(f"score must be 0 to 1 ({number:g})")
    return number >= pass_score


def read_csv_lines(lines: Iterable[str], name: str, pass_score: float = 1.0) -> Results:
    results = Results(name, "csv")
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise TaskFileError(f"{name}: the file is empty")
    columns = [h.strip().lower() for h in header]
    if len(set(columns)) != len(columns):
        raise TaskFileError(f"{name}: a column name appears twice in the header")
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if "passed" not in columns and "score" not in columns:
        missing.append("passed (or score)")
    if missing:
        raise TaskFileError(f"{name}: missing column(s) {', '.join(missing)}")
    at = {c: i for i, c in enumerate(columns)}
    for number, row in enumerate(reader, 2):
        results.rows += 1
        if len(row) != len(columns):
            results.skip(number, f"{len(row)} fields where the header has {len(columns)}")
            continue

        def cell(column: str, row: list[str] = row) -> str | None:
            return row[at[column]] if column in at else None

        try:
            model = (cell("model") or "").strip()
            if not model:
                raise ValueError("model is empty")
            results.add(
                model,
                (cell("task_id") or "").strip(),
                _passed(cell("passed"), cell("score"), pass_score),
                _tokens(cell("input_tokens"), "input_tokens"),
                _tokens(cell("output_tokens"), "output_tokens"),
                _optional(cell("cached_input_tokens"), "cached_input_tokens"),
                _optional(cell("reasoning_tokens"), "reasoning_tokens"),
            )
        except ValueError as exc:
            results.skip(number, str(exc))
    return results


def _promptfoo(doc: dict, name: str, pass_score: float) -> Results:
    results = Results(name, "promptfoo")
    inner = doc.get("results")
    rows = inner.get("results") if isinstance(inner, dict) else None
    if not isinstance(rows, list):
        raise TaskFileError(f"{name}: a promptfoo file without results.results")
    for index, row in enumerate(rows, 1):
        results.rows += 1
        try:
            if not isinstance(row, dict):
                raise ValueError("not an object")
            provider = row.get("provider")
            pid = provider.get("id") if isinstance(provider, dict) else provider
            if not isinstance(pid, str) or not pid.strip():
                raise ValueError("provider.id is missing")
            model = pid.strip().rsplit(":", 1)[-1]
            response = row.get("response") if isinstance(row.get("response"), dict) else {}
            usage = response.get("tokenUsage") or row.get("tokenUsage") or {}
            if not isinstance(usage, dict):
                raise ValueError("tokenUsage is not an object")
            details = usage.get("completionDetails") or {}
            task = row.get("testIdx", index)
            results.add(
                model,
                f"{task}/{row.get('promptIdx', 0)}",
                _passed(row.get("success"), row.get("score"), pass_score),
                _tokens(usage.get("prompt"), "tokenUsage.prompt"),
                _tokens(usage.get("completion"), "tokenUsage.completion"),
                _optional(usage.get("cached"), "tokenUsage.cached"),
                _optional(
                    details.get("reasoning") if isinstance(details, dict) else None,
                    "completionDetails.reasoning",
                ),
            )
        except ValueError as exc:
            results.skip(index, f"result {index}: {exc}")
    return results


def _inspect(doc: dict, name: str, pass_score: float) -> Results:
    results = Results(name, "inspect")
    evaluation = doc.get("eval")
    model = evaluation.get("model") if isinstance(evaluation, dict) else None
    samples = doc.get("samples")
    if not isinstance(model, str) or not isinstance(samples, list):
        raise TaskFileError(f"{name}: an Inspect log without eval.model and samples")
    for index, sample in enumerate(samples, 1):
        results.rows += 1
        try:
            if not isinstance(sample, dict):
                raise ValueError("not an object")
            scores = sample.get("scores")
            if not isinstance(scores, dict) or not scores:
                raise ValueError("no scores")
            first = next(iter(scores.values()))
            value = first.get("value") if isinstance(first, dict) else first
            usage = sample.get("model_usage")
            if not isinstance(usage, dict) or not usage:
                raise ValueError("no model_usage")
            own = usage.get(model) or next(iter(usage.values()))
            if not isinstance(own, dict):
                raise ValueError("model_usage is not an object")
            results.add(
                model,
                f"{sample.get('id', index)}/{sample.get('epoch', 1)}",
                _passed(None, value, pass_score),
                _tokens(own.get("input_tokens"), "input_tokens"),
                _tokens(own.get("output_tokens"), "output_tokens"),
                _optional(own.get("input_tokens_cache_read"), "input_tokens_cache_read"),
                _optional(own.get("reasoning_tokens"), "reasoning_tokens"),
            )
        except ValueError as exc:
            results.skip(index, f"sample {index}: {exc}")
    return results


def read_bytes(data: bytes, name: str, pass_score: float = 1.0) -> Results:
    """Eval results from a file's bytes: JSON (promptfoo or Inspect, told by their keys) or
    the CSV."""
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise TaskFileError(f"{name}: not JSON ({str(exc)[:120]})") from None
        return read_json(doc, name, pass_score)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TaskFileError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    return read_csv_lines(io.StringIO(text, newline=""), name, pass_score)


def read_json(doc: object, name: str, pass_score: float = 1.0) -> Results:
    if isinstance(doc, dict) and isinstance(doc.get("results"), dict):
        return _promptfoo(doc, name, pass_score)
    if isinstance(doc, dict) and "samples" in doc and "eval" in doc:
        return _inspect(doc, name, pass_score)
    raise TaskFileError(
        f"{name}: JSON that is neither promptfoo's output (results.results) nor an Inspect "
        "log (eval, samples)"
    )


def read_file(path: str | Path, pass_score: float = 1.0) -> Results:
    """Eval results from a file: a CSV is streamed line by line; JSON is read whole (up to
    ``MAX_JSON_BYTES``). A path that is not a regular file is a ``TaskFileError``."""
    where = Path(path)
    if not where.exists():
        raise TaskFileError(f"{where}: no such file")
    if not where.is_file():
        raise TaskFileError(f"{where}: {'a directory' if where.is_dir() else 'not a regular file'}")
    with where.open("rb") as stream:
        head = stream.read(1 << 16)
    if head.lstrip()[:1] in (b"{", b"["):
        if where.stat().st_size > MAX_JSON_BYTES:
            raise TaskFileError(
                f"{where}: a JSON file over {MAX_JSON_BYTES >> 20} MB; export the results as "
                "CSV (read line by line, any size)"
            )
        return read_bytes(where.read_bytes(), where.name, pass_score)
    with where.open("r", encoding="utf-8-sig", newline="", errors="strict") as text:
        try:
            return read_csv_lines(_lines(text), where.name, pass_score)
        except UnicodeDecodeError as exc:
            raise TaskFileError(f"{where.name}: not UTF-8 text (byte {exc.start})") from None


def _lines(text) -> Iterator[str]:
    yield from text


# -- figures ----------------------------------------------------------------------------------


def wilson(passes: int, tasks: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a pass rate (0..1)."""
    if tasks == 0:
        return (math.nan, math.nan)
    p, n, z2 = passes / tasks, tasks, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


FIGURE_COLUMNS = (
    "model",
    "tasks",
    "passes",
    "pass_rate",
    "pass_rate_low",
    "pass_rate_high",
    "input_tokens_per_task",
    "output_tokens_per_task",
    "output_tokens_per_task_p90",
    "reasoning_tokens_per_task",
    "cached_input_tokens_per_task",
    "cost_per_task",
    "cost_per_success",
    "frontier",
    "priced",
    "selectable",
    "source_kind",
    "provenance",
    "note",
)
"""Per model: rates 0..1 (the 95% Wilson interval in ``_low`` / ``_high``); tokens per task
(output includes reasoning, also given alone; cached input is part of the input); USD per
task and per successful task; ``frontier`` True where no other priced model passes at least
as often for less per success; a model shut down on the date (``selectable`` False) keeps its
last list price and is never on the frontier; ``source_kind`` / ``provenance``: where the price
comes from (a curated file, or the live peer layer, unchecked)."""


def task_figures(results: Results, as_of: dt.date, catalog: Catalog) -> pd.DataFrame:
    """One row per model of the file (priced ones by cost per success, then the rest)."""
    frame = results.frame()
    resolved: dict[str, str | None] = {}
    for name in frame["model_read"].unique():
        try:
            resolved[name] = catalog.resolve(name, suggest=False)
        except UnknownModelError:
            resolved[name] = None
    frame["model"] = frame["model_read"].map(lambda n: resolved[n] or n)
    frame["known"] = frame["model_read"].map(lambda n: resolved[n] is not None)
    rows = []
    for model, part in frame.groupby("model", sort=False):
        tasks, passes = len(part), int(part["passed"].sum())
        low, high = wilson(passes, tasks)
        output = part["output_tokens"] + part["reasoning_tokens"]
        row = {
            "model": model,
            "tasks": tasks,
            "passes": passes,
            "pass_rate": passes / tasks,
            "pass_rate_low": low,
            "pass_rate_high": high,
            "input_tokens_per_task": float(part["input_tokens"].mean()),
            "output_tokens_per_task": float(output.mean()),
            "output_tokens_per_task_p90": float(np.percentile(output, 90)),
            "reasoning_tokens_per_task": float(part["reasoning_tokens"].mean()),
            "cached_input_tokens_per_task": float(part["cached_input_tokens"].mean()),
            "cost_per_task": math.nan,
            "cost_per_success": math.nan,
            "priced": False,
            "selectable": False,
            "source_kind": "",
            "provenance": "",
            "note": "",
        }
        if not bool(part["known"].iloc[0]):
            row["note"] = "not in the price table: counted, not priced"
        else:
            cost, note = _task_costs(part, model, as_of, catalog)
            life = prices_on(catalog, as_of).lifecycle(model)
            row["selectable"] = life.selectable
            info = catalog.model(model)
            row["source_kind"], row["provenance"] = info.source_kind, info.provenance
            if life.state == SHUT_DOWN:
                note = f"shut down on {life.date}: last list price" + (f"; {note}" if note else "")
            row["note"] = note
            if cost is not None:
                row["cost_per_task"] = float(cost.mean())
                row["cost_per_success"] = float(cost.sum()) / passes if passes else math.inf
                row["priced"] = True
        rows.append(row)
    out = pd.DataFrame(rows, columns=[c for c in FIGURE_COLUMNS if c != "frontier"])
    out["frontier"] = frontier(out)
    out = out[list(FIGURE_COLUMNS)]
    order = out.assign(_p=~out["priced"]).sort_values(["_p", "cost_per_success"], kind="stable")
    return order.drop(columns="_p").reset_index(drop=True)


def _task_costs(part: pd.DataFrame, model: str, as_of: dt.date, catalog: Catalog):
    """Each task priced by the cost engine (its own tokens; long-context rates per task)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        cached = np.where(
            part["input_tokens"] > 0,
            np.minimum(part["cached_input_tokens"] / part["input_tokens"], 1.0),
            0.0,
        )
    work = pd.DataFrame(
        {
            "requests": np.ones(len(part)),
            "input_tokens": part["input_tokens"].to_numpy(),
            "output_tokens": part["output_tokens"].to_numpy(),
            "reasoning_tokens": part["reasoning_tokens"].to_numpy(),
            "cached_share": cached,
        }
    )
    priced = monthly_cost(work, [model], as_of, catalog)
    if not bool(priced["available"].all()):
        reasons = {r.text for rs in priced["reasons"] for r in rs if r.unavailable}
        return None, "; ".join(sorted(reasons)) or "cannot be priced on the date"
    return priced["total_cost"].to_numpy(), ""


def frontier(figures: pd.DataFrame) -> list[bool]:
    """For each row: priced and selectable, and no other such row passes at least as often for
    less per success (or as much for a higher pass rate)."""
    marks = []
    rows = [r for r in figures.itertuples()]
    rows_in = [r for r in rows if r.priced and r.selectable]
    for row in rows:
        if not row.priced or not row.selectable or not math.isfinite(row.cost_per_success):
            marks.append(False)
            continue
        beaten = any(
            o.Index != row.Index
            and o.pass_rate >= row.pass_rate
            and o.cost_per_success <= row.cost_per_success
            and (o.pass_rate > row.pass_rate or o.cost_per_success < row.cost_per_success)
            for o in rows_in
        )
        marks.append(not beaten)
    return marks


@dataclass(frozen=True)
class Escalation:
    first: str
    second: str
    cost_per_task: float
    pass_rate: float
    cost_per_success: float


def escalate(figures: pd.DataFrame, first: str, second: str) -> Escalation:
    """Every task on ``first``, the failed ones again on ``second`` (independent passes): a
    task costs ``c1 + (1 - p1) c2`` and passes with ``p1 + (1 - p1) p2``."""
    table = figures.set_index("model")
    for model in (first, second):
        if model not in table.index or not table.at[model, "priced"]:
            raise ValueError(f"{model} has no priced tasks in the file")
    c1, p1 = table.at[first, "cost_per_task"], table.at[first, "pass_rate"]
    c2, p2 = table.at[second, "cost_per_task"], table.at[second, "pass_rate"]
    cost = c1 + (1 - p1) * c2
    rate = p1 + (1 - p1) * p2
    return Escalation(first, second, cost, rate, cost / rate if rate else math.inf)


def own_tokens(figures: pd.DataFrame) -> tuple[OwnTokens, ...]:
    """Each priced model's mean tokens per task as a scenario's ``own`` tokens (Compare then
    prices that model on them), with its tasks and passes; at most ``MAX_OWN``."""
    out = []
    for row in figures[figures["priced"]].itertuples():
        inputs = float(row.input_tokens_per_task)
        reasoning = float(row.reasoning_tokens_per_task)
        cached = float(row.cached_input_tokens_per_task) / inputs if inputs else 0.0
        out.append(
            OwnTokens(
                row.model,
                round(inputs, 6),
                round(float(row.output_tokens_per_task) - reasoning, 6),
                round(reasoning, 6),
                round(min(cached, 1.0), 6),
                int(row.tasks),
                int(row.passes),
            )
        )
    return tuple(out[:MAX_OWN])
