"""Token-counting speed and memory. A script, not a test: figures measured side by side.

    /work/venv/bin/python benchmarks/bench_tokens.py [--tokens 1500000] [--mb 50]

1. Builds a corpus of at least ``--tokens`` o200k_base tokens from the project's sample files,
   then counts it through the project's path (``scenarios.tokens.count_tokens``, cache cleared
   before each run, so hashing and chunking are included) and through raw tiktoken
   ``encode_ordinary`` on the same string, alternating, best of ``--repeat``; prints the ratio
   (goal: project / raw <= 1.15).
2. Counts ``--chats`` chat conversations (a system prompt and a few turns cut from the same
   samples) with the project's ``count_messages`` against a bare loop applying the cookbook's
   rule to tiktoken (3 per message, +1 per name, +3 reply), ``litellm.token_counter`` and
   tokencost's ``count_message_tokens`` (each skipped with a message if not importable); all
   must agree on the total; prints each as a ratio to the bare loop (goal: project <= 1.2x).
3. Writes a ``--mb`` MB text file in a temporary folder and counts it with ``count_file`` in a
   fresh subprocess, printing that process's peak resident memory (goal: under 500 MB).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli.args import ArgumentParser  # noqa: E402
from scenarios import tokens as tk  # noqa: E402

SAMPLES = sorted((ROOT / "scenarios" / "samples").rglob("*.md")) + sorted(
    (ROOT / "scenarios" / "samples").rglob("*.csv")
)


def corpus(min_tokens: int) -> str:
    base = "\n".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    enc = tk.get_encoding("o200k_base")
    per_copy = len(enc.encode_ordinary(base + "\n"))
    copies = -(-min_tokens // per_copy)
    # Vary each copy a little so nothing is trivially repeated.
    return "".join(f"{base}\nCopy {i} of the corpus.\n" for i in range(copies))


def best_of(fn, repeat: int) -> tuple[float, int]:
    best, value = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


MEMORY_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from scenarios.tokens import count_file
start = time.perf_counter()
result = count_file({path!r}, "gpt-4o", progress=lambda done, total: None)
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(result.tokens, result.exact, f"{{elapsed:.2f}}", f"{{peak_mb:.0f}}")
"""

BASELINE_CHILD = """
import resource, sys
sys.path.insert(0, {root!r})
from scenarios.tokens import count_text
count_text("warm up", "gpt-4o")
print(f"{{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}}")
"""


def chats(text: str, count: int) -> list[list[dict]]:
    """``count`` conversations: a system prompt and 2-6 turns, each a slice of ``text``."""
    out, pos = [], 0
    for i in range(count):
        turns = 2 + i % 5
        messages = [{"role": "system", "content": "You answer questions about the document."}]
        for t in range(turns):
            size = 40 + (i * 37 + t * 101) % 600
            messages.append(
                {"role": "user" if t % 2 == 0 else "assistant", "content": text[pos : pos + size]}
            )
            pos = (pos + size) % (len(text) - 1000)
        out.append(messages)
    return out


def bench_chat(text: str, count: int, repeat: int) -> None:
    import os

    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # never fetch a price map
    conversations = chats(text, count)
    enc = tk.get_encoding("o200k_base")

    def bare() -> int:  # the cookbook's num_tokens_from_messages, as users copy it
        total = 0
        for messages in conversations:
            tokens = 3
            for message in messages:
                tokens += 3
                for key, value in message.items():
                    tokens += len(enc.encode(value))
                    if key == "name":
                        tokens += 1
            total += tokens
        return total

    def project() -> int:
        return sum(tk.count_messages(m, "gpt-4o").tokens for m in conversations)

    runners = {"bare cookbook loop": bare, "project count_messages": project}
    try:
        import litellm

        runners["litellm.token_counter"] = lambda: sum(
            litellm.token_counter(model="gpt-4o", messages=m) for m in conversations
        )
    except ImportError:
        print("litellm not importable: skipped")
    try:
        import tokencost

        runners["tokencost count_message_tokens"] = lambda: sum(
            tokencost.count_message_tokens(m, "gpt-4o") for m in conversations
        )
    except ImportError:
        print("tokencost not importable (pip install -r requirements-dev.txt): skipped")
    times = dict.fromkeys(runners, float("inf"))
    totals = {}
    for fn in runners.values():
        fn()  # warm up
    for _ in range(repeat):  # alternate so drift affects all alike
        for name, fn in runners.items():
            elapsed, totals[name] = best_of(fn, 1)
            times[name] = min(times[name], elapsed)
    messages = sum(len(m) for m in conversations)
    print(f"\nchat counting: {count:,} conversations, {messages:,} messages, gpt-4o")
    base = times["bare cookbook loop"]
    for name, seconds in times.items():
        print(
            f"  {name:<32} {seconds * 1e3:8.1f} ms  {seconds / base:5.2f}x  "
            f"({totals[name]:,} tokens)"
        )
    ratio = times["project count_messages"] / base
    print(
        f"  goal: project <= 1.2x the bare loop -> {ratio:.2f}x {'OK' if ratio <= 1.2 else 'SLOW'}"
    )
    disagree = {name: t for name, t in totals.items() if t != totals["bare cookbook loop"]}
    if disagree:
        print(f"  totals differ from the bare loop: {disagree}")


def main() -> int:
    parser = ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=1_500_000)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chats", type=int, default=2_000)
    parser.add_argument("--chat-only", action="store_true", help="only the chat comparison")
    args = parser.parse_args()

    import os

    print(
        f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
        "(other processes competing for the CPUs penalise the threaded path)"
    )
    text = corpus(args.tokens)
    enc = tk.get_encoding("o200k_base")
    bench_chat(text, args.chats, args.repeat)
    if args.chat_only:
        return 0

    def project() -> int:
        tk.clear_caches()
        return tk.count_tokens(text, "o200k_base")

    def raw() -> int:
        return len(enc.encode_ordinary(text))

    project(), raw()  # warm up
    times = {"project": float("inf"), "raw": float("inf")}
    counts = {}
    for _ in range(args.repeat):  # alternate so drift affects both alike
        for name, fn in (("raw", raw), ("project", project)):
            elapsed, counts[name] = best_of(fn, 1)
            times[name] = min(times[name], elapsed)
    assert counts["project"] == counts["raw"], counts
    ratio = times["project"] / times["raw"]
    print(f"corpus: {len(text):,} characters, {counts['raw']:,} tokens (o200k_base)")
    print(
        f"raw tiktoken encode_ordinary: {times['raw']:.3f} s "
        f"({counts['raw'] / times['raw'] / 1e6:.2f}M tokens/s)"
    )
    print(
        f"project count_tokens (cache cleared): {times['project']:.3f} s "
        f"({counts['project'] / times['project'] / 1e6:.2f}M tokens/s, {tk.THREADS} threads)"
    )
    print(f"ratio project/raw: {ratio:.2f}x (goal <= 1.15x) -> {'OK' if ratio <= 1.15 else 'SLOW'}")
    start = time.perf_counter()
    tk.count_tokens(text, "o200k_base")
    print(f"cached re-count: {(time.perf_counter() - start) * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        target = int(args.mb * 1024 * 1024)
        chunk = text.encode("utf-8")
        with path.open("wb") as handle:
            written = 0
            while written < target:
                piece = chunk[: target - written]
                piece = piece.decode("utf-8", "ignore").encode("utf-8")
                handle.write(piece)
                written += len(piece)
        baseline = subprocess.run(
            [sys.executable, "-c", BASELINE_CHILD.format(root=str(ROOT))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        out = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD.format(root=str(ROOT), path=str(path))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        tokens, exact, elapsed, peak = out
        size_mb = path.stat().st_size / 1024 / 1024
        print(
            f"{size_mb:.1f} MB file: {int(tokens):,} tokens (exact={exact}) in {elapsed} s; "
            f"peak RSS {peak} MB (process with encodings loaded, before counting: "
            f"{baseline} MB; goal < 500 MB) -> {'OK' if float(peak) < 500 else 'HIGH'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
