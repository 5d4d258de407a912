"""Hostile input, second round (issue 26): each class of the probe's findings generated, not
only the one case. The promise under test: a one-line error and exit status 2 (never a
traceback), no command that waits on a special file, nothing silently lost or mis-read, and no
raw terminal control character in any command's text output or message.

The command line runs in this process (``cli.main.main``); only the FIFO cases run it in a
child process, with a timeout, since a regression there would block forever.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main as tokenbudget
from scenarios import fields, written
from scenarios.export import neutralise
from scenarios.inputs import JSONInputError, file_problem, load_json
from scenarios.links import MAX_UNKNOWN_PARAMS
from scenarios.links import compare as compare_link
from scenarios.tokens.images import MAX_IMAGE_PIXELS, read_image_size
from scenarios.usage.duckdb_engine import EXTRA_FIELDS
from scenarios.usage.read import _unique

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What may never reach a terminal from a command's text output or message (LF is a line)."""
HEADER = "date,model,input_tokens,output_tokens\n"
ROW = "2025-06-01,gpt-4.1-mini,{i},{o}\n"


def run(argv: list[str]) -> tuple[int, str, str]:
    """``tokenbudget argv`` in this process: exit status, stdout, stderr (a traceback fails the
    test: it is raised)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = tokenbudget(argv)
        except SystemExit as exc:  # argparse's own errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def one_line_error(code: int, err: str) -> None:
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def reprice_json(path: Path) -> dict:
    code, out, err = run(["reprice", str(path), "--models", "gpt-4.1-nano", "--format", "json"])
    assert code in (0, 1), err
    return json.loads(out)


# -- tracebacks ------------------------------------------------------------------------------


@SETTINGS
@given(digits=st.integers(4_301, 6_000), where=st.sampled_from(["export", "jsonl", "tokens"]))
def test_json_numbers_past_pythons_digit_limit_are_named_never_a_traceback(digits, where):
    big = "9" * digits
    with pytest.raises(JSONInputError, match="4,300-digit limit"):
        load_json(f'{{"a": {big}}}')
    with tempfile.TemporaryDirectory() as folder:
        if where == "export":
            path = Path(folder) / "usage.json"
            result = f'{{"model": "gpt-4.1-mini", "input_tokens": {big}, "output_tokens": 1}}'
            path.write_text(
                f'{{"object": "page", "data": [{{"start_time": 1, "results": [{result}]}}]}}'
            )
            code, _, err = run(["reprice", str(path)])
            one_line_error(code, err)
            assert "4,300-digit limit" in err
        elif where == "jsonl":
            path = Path(folder) / "chats.jsonl"
            good = {"model": "gpt-4.1-mini", "created": 1748736000,
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5}}  # fmt: skip
            path.write_text(json.dumps(good) + f'\n{{"usage": {{"prompt_tokens": {big}}}}}\n')
            doc = reprice_json(path)
            assert doc["reconciliation"]["read"]["rows"] == 2
            assert "4,300-digit limit" in doc["unpriced"][0]["reason"]
        else:
            path = Path(folder) / "request.json"
            path.write_text(f'{{"messages": [{{"role": "user", "content": "hi"}}], "n": {big}}}')
            code, _, err = run(["tokens", str(path)])
            one_line_error(code, err)


@SETTINGS
@given(
    surrogate=st.integers(0xD800, 0xDFFF),
    before=st.text(alphabet="abc-", max_size=5),
    shape=st.sampled_from(["export", "jsonl"]),
)
def test_a_lone_surrogate_in_a_model_name_is_an_unpriced_row(surrogate, before, shape):
    name = f"{before}\\u{surrogate:04x}"  # the JSON escape: json.loads makes it a lone surrogate
    with tempfile.TemporaryDirectory() as folder:
        if shape == "export":
            path = Path(folder) / "usage.json"
            result = (
                f'{{"model": "{name}", "input_tokens": 5, "output_tokens": 1, '
                '"num_model_requests": 1}'
            )
            bucket = f'{{"start_time": 1748736000, "results": [{result}]}}'
            path.write_text(f'{{"object": "page", "data": [{bucket}]}}')
        else:
            path = Path(folder) / "chats.jsonl"
            path.write_text(
                f'{{"model": "{name}", "created": 1748736000, '
                '"usage": {"prompt_tokens": 5, "completion_tokens": 1}}\n'
            )
        doc = reprice_json(path)
    assert doc["reconciliation"]["unpriced"]["rows"] == 1
    assert "not Unicode" in doc["unpriced"][0]["reason"]


NAMES = st.lists(
    st.sampled_from(["model", "model_2", "Model", "MODEL_3", "x", "x_2", ""]), max_size=8
)


@SETTINGS
@given(NAMES)
def test_de_duplicated_header_names_never_collide(names):
    unique = _unique(names)
    assert len(unique) == len(names)
    assert len({n.lower() for n in unique}) == len(unique) and all(unique)
    firsts = {}
    for name, got in zip(names, unique, strict=True):
        if name and name.lower() not in firsts:
            firsts[name.lower()] = got
            assert got == name  # the first of each name keeps it


def test_a_header_whose_renamed_duplicate_is_taken_is_priced(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(
        "date,model,model,model_2,input_tokens,output_tokens\n2025-06-01,gpt-4.1-mini,a,b,100,50\n"
    )
    doc = reprice_json(path)
    assert doc["reconciliation"]["priced"]["rows"] == 1


@pytest.fixture(scope="module")
def parquet_bytes() -> bytes:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "u.parquet"
        duckdb.connect().execute(
            "COPY (SELECT DATE '2025-06-01' AS date, 'gpt-4.1-mini' AS model, 10 AS input_tokens, "
            f"5 AS output_tokens FROM range(500)) TO '{path}' (FORMAT parquet)"
        )
        return path.read_bytes()


@SETTINGS
@given(cut=st.floats(0.05, 0.98), keep_tail=st.booleans())
def test_a_truncated_parquet_file_is_one_line(parquet_bytes, cut, keep_tail):
    data = parquet_bytes[: max(4, int(len(parquet_bytes) * cut))]
    if keep_tail:
        data += parquet_bytes[-8:]  # a footer that points at bytes no longer there
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cut.parquet"
        path.write_bytes(data)
        code, _, err = run(["reprice", str(path)])
    one_line_error(code, err)
    assert "Parquet" in err


def _not_utf8(data: bytes) -> bool:
    if b"/" in data or b"\x00" in data:  # no file name holds them
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


NOT_UTF8 = st.binary(min_size=1, max_size=4).filter(_not_utf8)


@SETTINGS
@given(raw=NOT_UTF8, fmt=st.sampled_from(["text", "csv", "json"]))
def test_a_file_name_that_is_not_utf8_is_shown_escaped(raw, fmt):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(os.fsencode(folder), b"n" + raw + b".txt")
        Path(os.fsdecode(path)).write_text("hello world")
        code, out, err = run(["tokens", os.fsdecode(path), "--format", fmt])
    assert code == 0, err
    assert "\\x" in out and not RAW_CONTROL.search(out if fmt == "text" else "")
    out.encode("utf-8")  # a UTF-8 writer takes it: no lone surrogate left


@SETTINGS
@given(raw=NOT_UTF8, at=st.sampled_from(["host", "path", "query"]))
def test_a_link_with_a_byte_that_is_not_utf8_is_refused(raw, at):
    text = os.fsdecode(raw)
    link = {
        "host": f"http://h{text}st/?v=1&req=100",
        "path": f"http://host/{text}?v=1&req=100",
        "query": f"http://host/?v=1&name={text}",
    }[at]
    code, _, err = run(["cost", "--link", link, "--format", "csv"])
    one_line_error(code, err)
    assert "argument --link: not UTF-8" in err


@SETTINGS
@given(
    day=st.dates(max_value=written.MIN_DATE.replace(day=1) - __import__("datetime").timedelta(1))
    | st.dates(min_value=written.MAX_DATE + __import__("datetime").timedelta(1)),
    argv=st.sampled_from(
        [
            ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1"],
            ["table"],
            ["reprice", str(ROOT / "scenarios" / "samples" / "usage" / "usage.csv")],
        ]
    ),
)
def test_the_command_line_takes_the_dates_links_take(day, argv):
    code, _, err = run([*argv, "--as-of", day.isoformat()])
    one_line_error(code, err)
    assert f"outside {written.MIN_DATE} to {written.MAX_DATE}" in err


def test_the_last_date_a_link_takes_projects_twelve_months():
    last = written.MAX_DATE.isoformat()
    code, out, err = run(
        ["cost", "--requests", "10", "--input-tokens", "10", "--output-tokens", "1",
         "--as-of", last, "--format", "json"]
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)[0]["total_cost_12_months"] is not None


# -- special files ---------------------------------------------------------------------------


def _special(kind: str, folder: Path) -> Path:
    path = folder / f"the-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "loop":
        os.symlink(folder / "the-loop-2", path)
        os.symlink(path, folder / "the-loop-2")
    elif kind == "broken link":
        os.symlink(folder / "nowhere", path)
    return path


KINDS = {
    "fifo": "a FIFO (named pipe)",
    "directory": "a directory, not a file",
    "loop": "a symbolic link that loops",
    "broken link": "a broken symbolic link",
    "missing": "no such file",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("argv", [["tokens"], ["tokens", "--sessions"], ["reprice"]], ids=" ".join)
def test_a_special_file_is_named_as_such_and_never_waited_on(tmp_path, kind, argv):
    path = _special(kind, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "cli", *argv[:1], str(path), *argv[1:]],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    one_line_error(done.returncode, done.stderr)
    assert KINDS[kind] in done.stderr
    assert file_problem(path) is not None and KINDS[kind] in file_problem(path)


# -- silent wrong data -----------------------------------------------------------------------

GLOB_NAME = st.text(alphabet="u[]*?{},1a", min_size=1, max_size=8).filter(
    lambda n: any(c in n for c in "[]*?{}")
)


@SETTINGS
@given(name=GLOB_NAME)
def test_a_usage_path_is_read_as_that_file_never_as_a_glob(name):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{name}.csv"
        target.write_text(HEADER + ROW.format(i=7, o=1))
        for decoy in ("u1.csv", "ua.csv", "u.csv", "1.csv", "a,1.csv", "u1a.csv"):
            if decoy != target.name:
                (Path(folder) / decoy).write_text(HEADER + ROW.format(i=1000, o=1) * 3)
        doc = reprice_json(target)
        assert doc["reconciliation"]["read"]["rows"] == 1
        assert doc["reconciliation"]["read"]["input_tokens"] == 7


@SETTINGS
@given(
    rows=st.lists(st.integers(0, EXTRA_FIELDS + 3), min_size=1, max_size=12),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_a_row_with_more_fields_than_the_header_is_skipped_with_its_row_number(rows, newline):
    """Each generated row has that many extra fields (an unquoted ``1,000``, a stray comma):
    up to ``EXTRA_FIELDS`` extra it is an unpriced row with its reason and number; more makes
    the file refused in one line naming the line. A row is never priced on shifted values."""
    lines = [HEADER.strip()]
    for extra in rows:
        lines.append(ROW.format(i=100, o=50).strip() + ",7" * extra)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "usage.csv"
        path.write_text(newline.join(lines) + newline)
        code, out, err = run(["reprice", str(path), "--models", "gpt-4.1-nano", "--format", "json"])
    if max(rows) > EXTRA_FIELDS:
        one_line_error(code, err)
        return
    assert code in (0, 1), err
    doc = json.loads(out)
    long = [n for n, extra in enumerate(rows, start=1) if extra]
    assert doc["reconciliation"]["unpriced"]["rows"] == len(long)
    assert doc["reconciliation"]["priced"]["rows"] == len(rows) - len(long)
    assert doc["reconciliation"]["priced"]["input_tokens"] == 100 * (len(rows) - len(long))
    assert [r["row"] for r in doc["unpriced"]] == long
    assert all("more fields than the header's 4 columns" in r["reason"] for r in doc["unpriced"])


@SETTINGS
@given(
    counts=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**5)), min_size=1, max_size=8
    ),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    packing=st.sampled_from(["plain", "gzip"]),
    suffix=st.sampled_from([".csv", ".csv.gz", ".txt"]),
)
def test_any_line_ending_and_any_packing_read_the_same_rows(counts, newline, packing, suffix):
    """CR-only (classic Mac), LF and CRLF files; plain or gzipped, whatever the name says."""
    text = newline.join([HEADER.strip(), *(ROW.format(i=i, o=o).strip() for i, o in counts)])
    data = (text + newline).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"usage{suffix}"
        path.write_bytes(gzip.compress(data) if packing == "gzip" else data)
        doc = reprice_json(path)
    read = doc["reconciliation"]["read"]
    assert read["rows"] == len(counts) == doc["reconciliation"]["priced"]["rows"]
    assert read["input_tokens"] == sum(i for i, _ in counts)


# -- terminal control characters -------------------------------------------------------------

CONTROL = st.sampled_from(
    ["\x1b[31m", "\x1b]0;pwned\x07", "\x9b2J", "\r", "\x08", "\x00", "\x7f", "\u202e", "\t"]
)
HOSTILE_NAME = st.builds(lambda a, c, b: a + c + b, st.text("ab-", max_size=3), CONTROL,
                         st.text("cd", max_size=3))  # fmt: skip


@SETTINGS
@given(
    name=HOSTILE_NAME, command=st.sampled_from(["reprice", "tokens", "cost", "history", "tasks"])
)
def test_no_command_prints_a_raw_control_character(name, command):
    """A model or file name with ESC / OSC / C0 / C1 controls, through every command's text
    output and messages: each comes out escaped (``\\x1b``), never raw."""
    with tempfile.TemporaryDirectory() as folder:
        safe = name.replace("\x00", "0")  # no file name holds NUL
        if command == "reprice":
            path = Path(folder) / "usage.csv"
            path.write_text(HEADER + f'2025-06-01,"{name}",10,5\n', newline="")
            argv = ["reprice", str(path)]
        elif command == "tokens":
            path = Path(folder) / f"{safe}.txt"
            path.write_text("hello")
            argv = ["tokens", str(path)]
        elif command == "tasks":
            argv = ["tasks", str(Path(folder) / f"{safe}.csv")]
        elif command == "cost":
            argv = ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1",
                    f"--models={name}"]  # fmt: skip
        else:
            argv = ["history", "--", name]
        _, out, err = run(argv)
    assert not RAW_CONTROL.search(out), out
    assert not RAW_CONTROL.search(err), err
    if command == "tokens" and RAW_CONTROL.search(safe):  # NUL became "0": nothing to escape
        assert "\\" in out  # the name is shown, escaped (``\x1b``, ``\r``)


def test_terminal_text_escapes_every_control_and_keeps_line_breaks():
    for code in [*range(0x20), *range(0x7F, 0xA0)]:
        shown = written.terminal_text(f"a{chr(code)}b")
        assert shown == "a\nb" if code == 0x0A else shown == f"a\\x{code:02x}b"
    assert written.terminal_text("bad\udcffname") == "bad\\xffname"
    assert written.terminal_text("ok: 1,000 ünïcode") == "ok: 1,000 ünïcode"


# -- edges -----------------------------------------------------------------------------------

BOUNDED = [f for f in fields.all_fields() if f.option]


@SETTINGS
@given(spec=st.sampled_from(BOUNDED), factor=st.sampled_from([1.5, 10.0, 1e300]))
def test_every_figure_flag_holds_the_fields_tables_bounds(spec, factor):
    """Any figure flag past its bound in ``scenarios.fields`` (``--requests 1e308`` included)
    is refused naming the flag, never priced into overflow warnings and null costs."""
    too_big = spec.high * factor  # the command line takes core units (a share as 0.4)
    argv = ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1"]
    if spec in fields.SESSION_FIELDS:
        argv = ["cost", "--sessions", "1"]
    if spec.option in argv:  # the flag under test replaces the one given above
        at = argv.index(spec.option)
        argv = argv[:at] + argv[at + 2 :]
    code, _, err = run([*argv, spec.option, f"{too_big:.6g}"])
    one_line_error(code, err)
    assert f"argument {spec.option}" in err


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def part(kind: bytes, body: bytes) -> bytes:
        chunk = kind + body
        return struct.pack(">I", len(body)) + chunk + struct.pack(">I", zlib.crc32(chunk))

    return b"\x89PNG\r\n\x1a\n" + part(b"IHDR", ihdr) + part(b"IDAT", b"") + part(b"IEND", b"")


@SETTINGS
@given(
    width=st.integers(9_000, 65_535),
    height=st.integers(9_000, 65_535),
)
def test_images_are_refused_only_over_the_one_pixel_limit(width, height):
    data = _png_header(width, height)
    if width * height <= MAX_IMAGE_PIXELS:
        assert read_image_size(data).width == width
    else:
        with pytest.raises(Exception, match=f"over {MAX_IMAGE_PIXELS:,}"):
            read_image_size(data)


@SETTINGS
@given(
    spaces=st.text(alphabet=" \u00a0\u3000", min_size=1, max_size=4),
    start=st.sampled_from(["=", "+", "-", "@", "\t"]),
    rest=st.text(alphabet=st.characters(exclude_characters="\r\n"), max_size=10),
    after_break=st.booleans(),
)
def test_a_formula_after_leading_spaces_is_neutralised(spaces, start, rest, after_break):
    cell = ("text\n" if after_break else "") + spaces + start + rest
    safe = neutralise(cell)
    lines = re.split(r"\r\n|\r|\n", safe)
    assert lines[-1 if after_break else 0].startswith("'") or not after_break


@SETTINGS
@given(count=st.integers(0, 400))
def test_unknown_link_parameters_are_capped(count):
    query = "&".join(f"junk{n}=1" for n in range(count))
    warnings = compare_link.decode(f"v=1&req=5&{query}").warnings
    unknown = [w for w in warnings if w.code in ("unknown_param", "more_unknown_params")]
    assert len(unknown) == min(count, MAX_UNKNOWN_PARAMS) + (count > MAX_UNKNOWN_PARAMS)
    if count > MAX_UNKNOWN_PARAMS:
        assert unknown[-1].values["more"] == f"{count - MAX_UNKNOWN_PARAMS:,}"


@SETTINGS
@given(st.sampled_from(["-0", "-0.0", "-0e5", "-0_0", "-.0", "-0,000"]))
def test_minus_zero_is_zero(text):
    value, problem = written.parse_number(text)
    assert problem is None and value == 0 and str(value) == "0.0"
    scenario = compare_link.decode(f"v=1&req={text}&in={text}").scenario
    assert written.number_text(scenario.requests_per_month) == "0"
    code, out, err = run(["cost", f"--requests={text}", "--input-tokens", "1",
                          "--output-tokens", "1", "--format", "json"])  # fmt: skip
    assert code == 0, err
    assert json.loads(out)[0]["requests"] == 0
    assert '"requests": -0' not in out


@SETTINGS
@given(fragment=st.text(alphabet="?&=reqin0123456789#", max_size=20))
def test_a_links_fragment_is_never_read_as_its_query(fragment):
    plain = compare_link.decode_url("http://host/?v=1&req=10")
    with_fragment = compare_link.decode_url(f"http://host/?v=1&req=10#{fragment}")
    assert with_fragment.scenario == plain.scenario
    only_fragment = compare_link.decode_url(f"http://host/#{fragment}")
    assert only_fragment.scenario == compare_link.decode_url("http://host/").scenario
