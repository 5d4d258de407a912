"""Cost per successful task (``scenarios.tasks``): the issue's eval worked by hand, the same
results read from promptfoo's JSON output and an Inspect log, hostile files, the command line."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.catalog import load_catalog
from scenarios import tasks

DAY = dt.date(2026, 12, 6)
ROOT = Path(__file__).resolve().parents[2]
# (model, output tokens per task, tasks passed of 4); every task 10,000 input tokens.
EVAL = (("gpt-4.1-mini", 1000, 2), ("gpt-4.1", 800, 4), ("gpt-6-luna", 3000, 1))


def eval_csv() -> bytes:
    rows = ["model,task_id,passed,input_tokens,output_tokens"]
    for model, out, passes in EVAL:
        rows += [f"{model},t{t},{'true' if t < passes else 'false'},10000,{out}" for t in range(4)]
    return ("\n".join(rows) + "\n").encode()


def promptfoo_json() -> bytes:
    results = [
        {
            "provider": {"id": f"openai:chat:{model}", "label": model},
            "testIdx": t,
            "promptIdx": 0,
            "success": t < passes,
            "score": 1 if t < passes else 0,
            "response": {
                "output": "...",
                "tokenUsage": {"total": 10000 + out, "prompt": 10000, "completion": out,
                               "cached": 0},
            },
        }
        for model, out, passes in EVAL
        for t in range(4)
    ]  # fmt: skip
    doc = {"evalId": "eval-1", "results": {"version": 3, "results": results, "stats": {}}}
    return json.dumps(doc).encode()


def inspect_json(model: str, out: int, passes: int) -> bytes:
    samples = [
        {
            "id": t + 1,
            "epoch": 1,
            "scores": {"match": {"value": "C" if t < passes else "I"}},
            "model_usage": {
                f"openai/{model}": {
                    "input_tokens": 10000, "output_tokens": out, "total_tokens": 10000 + out,
                    "input_tokens_cache_read": 0, "reasoning_tokens": 0,
                }
            },
        }
        for t in range(4)
    ]  # fmt: skip
    doc = {"version": 2, "status": "success", "eval": {"model": f"openai/{model}"},
           "samples": samples}  # fmt: skip
    return json.dumps(doc).encode()


def figures(data: bytes, name: str = "e.csv"):
    return tasks.task_figures(tasks.read_bytes(data, name), DAY, load_catalog()).set_index("model")


def test_cost_per_successful_task_worked_by_hand():
    # gpt-4.1-mini $0.40 / $1.60: a task 10,000 x 0.40 + 1,000 x 1.60 = $0.0056; 4 tasks
    # $0.0224 over 2 passes = $0.0112. gpt-4.1 $2 / $8: 20,000 + 6,400 = $0.0264 a task, 4
    # passes: $0.0264. gpt-6-luna $0.10 / $0.50: 1,000 + 1,500 = $0.0025, 4 tasks over 1 pass
    # = $0.0100.
    table = figures(eval_csv())
    assert table.at["gpt-4.1-mini", "cost_per_success"] == pytest.approx(0.0112)
    assert table.at["gpt-4.1", "cost_per_success"] == pytest.approx(0.0264)
    assert table.at["gpt-6-luna", "cost_per_success"] == pytest.approx(0.0100)
    assert table.at["gpt-4.1-mini", "cost_per_task"] == pytest.approx(0.0056)
    # Sorted by cost per success; each higher pass rate costs more, so all three are on the
    # frontier (none passes as often for less).
    assert list(table.index) == ["gpt-6-luna", "gpt-4.1-mini", "gpt-4.1"]
    assert table["frontier"].all()
    # The 95% Wilson interval of 2 passes in 4: 0.150 to 0.850 (not "50%").
    assert table.at["gpt-4.1-mini", "pass_rate_low"] == pytest.approx(0.15004, abs=1e-4)
    assert table.at["gpt-4.1-mini", "pass_rate_high"] == pytest.approx(0.84996, abs=1e-4)


def test_a_model_beaten_on_both_counts_is_off_the_frontier():
    data = eval_csv() + b"gpt-4o,t0,true,10000,1000\ngpt-4o,t1,false,10000,1000\n"
    table = figures(data)
    # gpt-4o: $2.50 / $10: 25,000 + 10,000 = $0.035 a task, 1 pass in 2: $0.07 a success,
    # 50% like gpt-4.1-mini at $0.0112: beaten.
    assert table.at["gpt-4o", "cost_per_success"] == pytest.approx(0.07)
    assert not table.at["gpt-4o", "frontier"]


def test_promptfoo_and_inspect_read_to_the_same_figures_as_the_csv():
    expected = figures(eval_csv())
    columns = ["tasks", "passes", "cost_per_task", "cost_per_success", "pass_rate"]
    from_promptfoo = figures(promptfoo_json(), "results.json")
    assert from_promptfoo[columns].sort_index().equals(expected[columns].sort_index())
    for model, out, passes in EVAL:
        one = figures(inspect_json(model, out, passes), "log.json")
        assert one.loc[model, columns].tolist() == pytest.approx(
            expected.loc[model, columns].tolist()
        )


def test_hostile_rows_are_skipped_with_their_reason_and_unknown_models_are_counted():
    data = eval_csv() + (
        b"mystery-model,t0,true,10,10\n"
        b"gpt-4.1,t9,true,-5,5\n"
        b"gpt-4.1,t9,true,1e308,5\n"
        b"gpt-4.1,t9,maybe,5,5\n"
        b"gpt-4.1,t9,true,5\n"
        b",t9,true,5,5\n"
    )
    results = tasks.read_bytes(data, "e.csv")
    assert results.rows == 18 and len(results.model) == 13 and results.skipped_count == 5
    assert [s.line for s in results.skipped] == [15, 16, 17, 18, 19]
    assert "must be 0 to" in results.skipped[0].reason
    assert "not true/false" in results.skipped[2].reason
    assert "4 fields where the header has 5" in results.skipped[3].reason
    table = tasks.task_figures(results, DAY, load_catalog()).set_index("model")
    assert table.at["mystery-model", "tasks"] == 1 and not table.at["mystery-model", "priced"]
    assert "not in the price table" in table.at["mystery-model", "note"]
    with pytest.raises(tasks.TaskFileError, match="missing column"):
        tasks.read_bytes(b"model,task_id\nx,1\n", "bad.csv")
    with pytest.raises(tasks.TaskFileError, match="neither promptfoo"):
        tasks.read_bytes(b'{"a": 1}', "bad.json")


def test_a_csv_is_read_line_by_line():
    pulled = []

    def lines():
        yield "model,task_id,passed,input_tokens,output_tokens\n"
        for n in range(100_000):
            pulled.append(n)
            yield f"gpt-4.1-mini,t{n},true,10,10\n"

    reader = tasks.read_csv_lines(lines(), "big.csv")
    assert reader.rows == 100_000 and len(pulled) == 100_000


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=8), min_size=0, max_size=7), max_size=10))
def test_any_csv_rows_are_read_or_skipped_never_raise(rows):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["model", "task_id", "passed", "input_tokens", "output_tokens"])
    writer.writerows(rows)
    results = tasks.read_bytes(out.getvalue().encode(), "any.csv")
    assert len(results.model) + results.skipped_count == results.rows
    tasks.task_figures(results, DAY, load_catalog())


def test_the_command_line_gives_the_same_figures(tmp_path):
    path = tmp_path / "eval.csv"
    path.write_bytes(eval_csv())
    done = subprocess.run(
        [sys.executable, "-m", "cli", "tasks", str(path), "--as-of", "2026-12-06",
         "--format", "json", "--escalate", "gpt-4.1-mini:gpt-4.1"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    rows = {r["model"]: r for r in json.loads(done.stdout)}
    assert rows["gpt-4.1-mini"]["cost_per_success"] == pytest.approx(0.0112)
    # Escalation: $0.0056 + 50% x $0.0264 = $0.0188 a task, every task passes.
    assert "$0.0188 a task" in done.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("model,task_id\n")
    done = subprocess.run(
        [sys.executable, "-m", "cli", "tasks", str(bad)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2 and "missing column" in done.stderr
    assert "Traceback" not in done.stderr


def test_compare_prices_each_model_on_its_own_tokens_from_the_eval():
    from scenarios import report, report_csv
    from scenarios.links import compare as compare_link
    from scenarios.scenario import Scenario

    own = tasks.own_tokens(
        tasks.task_figures(tasks.read_bytes(eval_csv(), "e.csv"), DAY, load_catalog())
    )
    assert {o.model: (o.input_tokens, o.output_tokens, o.tasks, o.passes) for o in own} == {
        "gpt-6-luna": (10000, 3000, 4, 1),
        "gpt-4.1-mini": (10000, 1000, 4, 2),
        "gpt-4.1": (10000, 800, 4, 4),
    }
    scenario = Scenario(
        requests=1000, input_tokens=1000, output_tokens=100, models=("gpt-4.1-mini", "gpt-4.1"),
        baseline="gpt-4.1-mini", as_of=DAY, own=own,
    )  # fmt: skip
    table = report.compare(scenario).table.set_index("model")
    # 1,000 requests on each model's own tokens: gpt-4.1-mini 1,000 x $0.0056 = $5.60,
    # gpt-4.1 1,000 x $0.0264 = $26.40.
    assert table.at["gpt-4.1-mini", "total_cost"] == pytest.approx(5.60)
    assert table.at["gpt-4.1", "total_cost"] == pytest.approx(26.40)
    assert set(table["tokens_source"]) == {"own tokens (eval)"}
    # A link holds the eval summary and reopens it exactly; the CSV says which tokens.
    decoded = compare_link.decode(compare_link.encode(scenario))
    assert decoded.scenario == scenario and decoded.warnings == []
    csv_rows = report_csv.comparison_frame(scenario).set_index("model")
    assert csv_rows.at["gpt-4.1", "tokens_source"] == "own tokens (eval)"
    assert csv_rows.at["gpt-4.1", "input_tokens_per_request"] == 10000


def test_the_shipped_samples_read_to_the_same_figures_in_every_format():
    from scenarios.tokens.prompt_counts import SAMPLES_DIR

    folder = SAMPLES_DIR / "evals"
    columns = ["tasks", "passes", "cost_per_task", "cost_per_success"]

    def table(name: str):
        results = tasks.read_file(folder / name)
        return tasks.task_figures(results, DAY, load_catalog()).set_index("model")[columns]

    from_csv = table("support-eval.csv")
    assert table("support-eval.promptfoo.json").sort_index().equals(from_csv.sort_index())
    inspect = table("support-eval.inspect-gpt-4.1-mini.json")
    assert inspect.loc["gpt-4.1-mini"].tolist() == pytest.approx(
        from_csv.loc["gpt-4.1-mini"].tolist()
    )
