"""Benchmark: measuring a JSONL of conversations as sessions (``scenarios.tokens.transcripts``)
against raw tiktoken on the same texts.

    .venv/bin/python benchmarks/bench_transcripts.py [--mb 100] [--repeat 2]

A script, not a test: every figure is measured side by side in one run. It writes a file of
``--mb`` megabytes of support chats (from ``scenarios/samples/sessions/support-chats.jsonl``, the
project's own samples, cycled with a line number so no two lines are equal) to a temporary
folder, then times:

* the project's path: ``measure_file`` (read line by line, parse, count every message with the
  chat overhead, the sessions' arrays);
* raw tiktoken: the same file read and parsed line by line, ``encode_ordinary`` of every
  message's role and content in a loop (what a user would write), and the same with
  ``encode_ordinary_batch`` per line;
* peak memory of each, in a fresh process (``ru_maxrss``), so one does not inherit the other's.

Prints the times, the ratios project / raw loop and project / batch, and the peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from scenarios.tokens import tokenizer_for  # noqa: E402
from scenarios.tokens.encodings import get_encoding  # noqa: E402
from scenarios.tokens.transcripts import measure_file  # noqa: E402

SAMPLE = ROOT / "scenarios" / "samples" / "sessions" / "support-chats.jsonl"


def write_file(path: Path, megabytes: float) -> int:
    lines = SAMPLE.read_bytes().splitlines()
    target, written, n = int(megabytes * 1e6), 0, 0
    with path.open("wb") as out:
        while written < target:
            session = json.loads(lines[n % len(lines)])
            session["messages"][-2]["content"] += f" (ticket {n})"
            data = json.dumps(session).encode() + b"\n"
            out.write(data)
            written += len(data)
            n += 1
    return n


def raw_loop(path: Path) -> int:
    encode = get_encoding("o200k_base").encode_ordinary
    total = 0
    with path.open("rb") as stream:
        for line in stream:
            for message in json.loads(line)["messages"]:
                total += 3 + len(encode(message["role"])) + len(encode(message["content"]))
    return total


def raw_batch(path: Path) -> int:
    encoding = get_encoding("o200k_base")
    total = 0
    with path.open("rb") as stream:
        for line in stream:
            texts = [t for m in json.loads(line)["messages"] for t in (m["role"], m["content"])]
            total += sum(map(len, encoding.encode_ordinary_batch(texts)))
    return total


def project(path: Path) -> int:
    return measure_file(path, tokenizer_for("gpt-4.1-mini")).sessions


def peak(which: str, path: Path) -> float:
    """Peak resident memory (MB) of one run of ``which`` in a fresh process."""
    code = (
        "import sys, resource; sys.path.insert(0, sys.argv[1]);"
        "from benchmarks import bench_transcripts as b; from pathlib import Path;"
        f"b.{which}(Path(sys.argv[2]));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(path)], capture_output=True, text=True
    )
    return float(done.stdout.strip() or "nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chats.jsonl"
        sessions = write_file(path, args.mb)
        size = path.stat().st_size / 1e6
        project_s, measured = best_of(args.repeat, lambda: project(path))
        loop_s, tokens = best_of(args.repeat, lambda: raw_loop(path))
        batch_s, _ = best_of(args.repeat, lambda: raw_batch(path))
        memory = {w: peak(w, path) for w in ("project", "raw_loop")}
    print(f"file: {size:,.1f} MB, {sessions:,} sessions, {tokens:,} message tokens")
    print(f"project (measure_file):             {project_s:7.2f} s ({measured:,} sessions)")
    print(f"raw tiktoken, encode_ordinary loop: {loop_s:7.2f} s")
    print(f"raw tiktoken, encode_ordinary_batch: {batch_s:6.2f} s")
    print(f"ratio project / raw loop:  {project_s / loop_s:.2f}x")
    print(f"ratio project / raw batch: {project_s / batch_s:.2f}x")
    print(
        f"peak memory: project {memory['project']:,.0f} MB, raw loop {memory['raw_loop']:,.0f} MB"
    )
    print(f"this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
