"""``tokenbudget tokens``: per-file counts, formats, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from scenarios.tokens import count_messages, count_tokens

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "tokens", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_text_file_json_output(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Title\n\nSome text to count.\n")
    out = run(str(path), "--model", "gpt-4o", "--format", "json")
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert row["tokens"] == count_tokens(path.read_text())
    assert row["encoding"] == "o200k_base" and row["exactness"] == "exact"
    assert row["characters"] == len(path.read_text())


def test_jsonl_csv_output_and_skipped_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    ok = {"messages": [{"role": "user", "content": "count me"}]}
    path.write_text(json.dumps(ok) + "\nbroken\n" + json.dumps(ok) + "\n")
    out = run(str(path), "--format", "csv")
    assert out.returncode == 0
    (row,) = list(csv.DictReader(io.StringIO(out.stdout)))
    per = count_messages(ok["messages"]).tokens
    assert row["requests"] == "2" and float(row["mean"]) == per and row["max"] == str(per)
    assert row["lines_skipped"] == "1"
    assert "line 2 skipped: not valid JSON" in out.stderr


def test_approximate_model_is_labelled(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello world")
    out = run(str(path), "--model", "claude-haiku-4-5")
    assert out.returncode == 0 and "approximate" in out.stdout


def test_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    good = tmp_path / "good.txt"
    good.write_text("fine")
    out = run(str(bad), str(good), str(tmp_path / "missing.txt"))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 2 and "not UTF-8" in lines[0] and "no such file" in lines[1]
    assert "Traceback" not in out.stderr and "good.txt" in out.stdout
    unknown = run(str(good), "--model", "gpt-99")
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
    assert "unknown model" in unknown.stderr


def test_malformed_tools_are_one_line_errors_and_other_files_still_count(tmp_path: Path) -> None:
    messages = [{"role": "user", "content": "hi"}]
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"properties": [1]}}}]
    bad_tools = tmp_path / "tools.json"
    bad_tools.write_text(json.dumps({"messages": messages, "tools": tools}))
    bad_calls = tmp_path / "calls.json"
    bad_calls.write_text(
        json.dumps({"messages": [{"role": "assistant", "content": None, "tool_calls": 3}]})
    )
    lines = tmp_path / "lines.jsonl"
    enum = [{"type": "function", "function": {"name": "f", "parameters": {"properties": {
        "u": {"enum": 5}}}}}]  # fmt: skip
    ok, bad = {"messages": messages}, {"messages": messages, "tools": enum}
    lines.write_text(json.dumps(ok) + "\n" + json.dumps(bad))
    good = tmp_path / "good.txt"
    good.write_text("fine")
    out = run(str(bad_tools), str(bad_calls), str(lines), str(good), "--format", "csv")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    errors = out.stderr.strip().splitlines()
    assert len(errors) == 3, errors
    assert "tools.json" in errors[0] and "'parameters.properties' is a list" in errors[0]
    assert "calls.json" in errors[1] and "tool_calls is a number" in errors[1]
    assert "line 2 skipped" in errors[2] and "'enum'" in errors[2]
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [Path(r["file"]).name for r in rows] == ["lines.jsonl", "good.txt"]
    assert float(rows[0]["requests"]) == 1 and float(rows[0]["lines_skipped"]) == 1
    assert rows[1]["requests"] == ""


def test_an_image_file_is_counted_on_the_models_rule(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "photo.png"
    Image.new("RGB", (1024, 1024)).save(path)
    out = run(str(path), "--model", "gpt-4o", "--format", "json")
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    # 1024 x 1024 -> 768 x 768 -> 4 tiles: 85 + 170 * 4 = 765.
    assert (row["kind"], row["tokens"], row["images"], row["image_tokens"]) == (
        "image",
        765,
        1,
        765,
    )
    low = json.loads(
        run(str(path), "--model", "gpt-4o", "--detail", "low", "--format", "json").stdout
    )
    assert low[0]["tokens"] == 85
    refused = run(str(path), "--model", "gpt-3.5-turbo")
    assert refused.returncode == 2
    assert "takes no image input" in refused.stderr and "Traceback" not in refused.stderr
