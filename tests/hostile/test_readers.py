"""Adversarial files and links through every reader (issue 10, points 3-5 and 7): nothing raises,
nothing exhausts memory or time, every row is accounted for.

Bounds are generous (a loaded 2-core machine) but far below the failures they guard against:
a 60 MB model name once peaked at 2.9 GB; 200,000 unknown names took 78 s; 10,000 unknown models
in a link took 15 s. ``benchmarks/bench_hostile.py`` measures the same inputs at several sizes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import tracemalloc
from contextlib import redirect_stderr

import pytest

from cli.args import ArgumentTypeError, number_type, parse_date
from cli.main import main as tokenbudget
from pricing import load_catalog
from scenarios import tokens, usage
from scenarios.links import budget as budget_link
from scenarios.links import compare as compare_link
from scenarios.links.prices import decode_params as prices_decode
from scenarios.tokens import files as token_files
from scenarios.written import parse_date as strict_date

HEADER = "date,model,input_tokens,output_tokens\n"


def deep_json(depth: int) -> bytes:
    return b'{"data": ' + b"[" * depth + b"]" * depth + b"}"


def peak_mb(run) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


# -- point 3: deep JSON, 1e308, inf ------------------------------------------------------------


def test_deep_json_is_a_format_error_on_the_usage_reader_and_the_cli(tmp_path):
    with pytest.raises(usage.WrongFormatError, match="nested too deeply"):
        usage.reprice_file(deep_json(10_000), ["gpt-4.1-mini"])
    path = tmp_path / "deep.json"
    path.write_bytes(deep_json(10_000))
    err = io.StringIO()
    with redirect_stderr(err):
        assert tokenbudget(["reprice", str(path)]) == 2
    assert "nested too deeply" in err.getvalue() and "Traceback" not in err.getvalue()


def test_deep_json_on_the_tokens_reader():
    with pytest.raises(tokens.TokenCountError, match="nested too deeply"):  # not RecursionError
        tokens.count_bytes(b"[" * 10_000 + b"]" * 10_000, "deep.json", "gpt-4.1-mini")


@pytest.mark.parametrize("value", ["1e308", "inf", "-inf", "nan", "1e16", "-1"])
def test_token_counts_beyond_the_bound_are_unpriced_with_a_reason(value):
    data = (HEADER + f"2025-06-01,gpt-4o,{value},1\n" * 2 + "2025-06-01,gpt-4o,100,1\n").encode()
    result = usage.reprice_file(data, ["gpt-4.1-mini"])
    assert result.priced_rows == 1 and len(result.unpriced) == 2
    assert result.reconciliation.ok
    reason = result.unpriced["reason"].iloc[0]
    assert "input_tokens" in reason
    # A literal "nan" is text written in the cell, not a number: a bad value, as "inf" is. Only
    # an empty cell is a missing value (the pandas reader once turned "nan" into a missing NaN).
    assert reason.startswith("bad value")
    assert "inf" not in usage.comparison_csv(result).replace("info", "")
    assert all(pd_finite(v) for v in result.comparison["cost"].dropna())


def test_an_empty_token_count_is_a_missing_value_and_nan_a_bad_one():
    data = (HEADER + "2025-06-01,gpt-4o,,1\n2025-06-01,gpt-4o,nan,1\n").encode()
    reasons = usage.reprice_file(data, ["gpt-4.1-mini"]).unpriced["reason"].tolist()
    assert reasons[0].startswith("missing value: input_tokens"), reasons
    assert reasons[1].startswith("bad value: input_tokens"), reasons


def pd_finite(value: float) -> bool:
    return value == value and abs(value) != float("inf")


def test_the_bound_itself_is_priced():
    data = (HEADER + f"2025-06-01,gpt-4o,{int(usage.MAX_PER_ROW)},1\n").encode()
    assert usage.reprice_file(data, ["gpt-4.1-mini"]).priced_rows == 1


# -- point 4: long names -----------------------------------------------------------------------


def test_a_long_model_name_costs_memory_linear_in_its_length():
    name = "x" * 5_000_000
    data = (HEADER + f"2025-06-01,{name},10,1\n").encode()
    peak = peak_mb(lambda: usage.reprice_file(data, ["gpt-4.1-mini"]))
    assert peak < 150, f"{peak:.0f} MB for a 5 MB name"
    catalog = load_catalog()
    with pytest.raises(Exception, match=r"\(5,000,000 characters\)"):
        catalog.resolve(name)


def test_a_long_model_name_in_a_request_file_on_tokenize():
    messages = [{"role": "user", "content": "hi"}]
    request = json.dumps({"model": "m" * 2_000_000, "messages": messages})
    peak = peak_mb(lambda: tokens.count_bytes(request.encode(), "r.json", "gpt-4.1-mini"))
    assert peak < 150


# -- point 5: many names -----------------------------------------------------------------------


def test_many_distinct_unknown_names_cost_linear_time_and_are_grouped():
    rows = "".join(f"2025-06-01,unknown-{i},10,1\n" for i in range(20_000))
    started = time.perf_counter()
    result = usage.reprice_file((HEADER + rows).encode(), ["gpt-4.1-mini"])
    assert time.perf_counter() - started < 10
    summary = result.unpriced_summary()
    assert len(summary) == usage.MAX_UNKNOWN_REASONS + 1
    assert summary["reason"].iloc[0].startswith("unknown model: 19,990 more unknown models")
    suggested = result.unpriced["reason"].str.contains("did you mean").sum()
    assert suggested <= usage.MAX_SUGGESTED
    assert result.reconciliation.ok


def test_a_link_with_10000_unknown_models_is_fast_and_grouped():
    names = ",".join(f"nope-{i}" for i in range(10_000))
    started = time.perf_counter()
    decoded = compare_link.decode(f"models={names}")
    assert time.perf_counter() - started < 2
    assert len(decoded.warnings) <= compare_link.MAX_UNKNOWN_NAMED + 2
    assert "models: 9,997 more unknown models left out" in decoded.warnings
    bud = budget_link.decode_params({"bud_models": names}, load_catalog())
    assert len(bud.warnings) <= compare_link.MAX_UNKNOWN_NAMED + 3


# -- point 7: the smaller points ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "expected", "warned"),
    [
        ("req=1,5", "requests", 100_000, "comma only separates thousands"),
        ("req=1,500", "requests", 1_500, None),
        ("req=１２", "requests", 100_000, "digits 0-9 only"),
        ("req=١٢", "requests", 100_000, "digits 0-9 only"),
        ("in=٣٠٠", "input_tokens", 1_500, "digits 0-9 only"),
    ],
)
def test_link_numbers_in_ascii_digits_only(query, field, expected, warned):
    decoded = compare_link.decode(query)
    assert getattr(decoded.scenario, field) == expected
    if warned:
        assert any(warned in w for w in decoded.warnings), decoded.warnings
    else:
        assert not decoded.warnings


@pytest.mark.parametrize("text", ["2025-W01-1", "20250601", "２０２５-０６-０１", "2025-6-1"])
def test_dates_are_yyyy_mm_dd_only(text):
    assert strict_date(text) is None
    assert any("not a date" in w for w in compare_link.decode(f"date={text}").warnings)
    catalog = load_catalog()
    today = dt.date(2026, 12, 1)
    _, warnings = prices_decode({"prices_as_of": text}, catalog.model_ids(), today, catalog)
    assert any("not a date" in w for w in warnings)
    with pytest.raises(ArgumentTypeError):
        parse_date(text)


@pytest.mark.parametrize("text", ["1,5", "１２", "inf", "nan", "1e999"])
def test_cli_numbers_refuse_what_links_refuse(text):
    with pytest.raises(ArgumentTypeError):
        number_type()(text)


def test_utf16_is_named_not_called_binary():
    data = (HEADER + "2025-06-01,gpt-4o,10,1\n").encode("utf-16")
    with pytest.raises(usage.WrongFormatError, match="UTF-16"):
        usage.detect_format(data)
    assert "UTF-16" in (usage.inspect_head(data).message or "")


def test_yyyymmdd_numbers_are_dates_not_unix_seconds():
    rows = ("20250601", "2025-06-01", "1748736000")  # YYYYMMDD, ISO, Unix seconds: one day
    data = (HEADER + "".join(f"{day},gpt-4o,10,1\n" for day in rows)).encode()
    result = usage.reprice_file(data, [])
    assert result.priced_rows == 3
    assert list(result.by_model["month"].unique()) == ["2025-06", "total"]


def test_a_long_run_with_no_place_to_cut_is_encoded_in_small_pieces(monkeypatch):
    """One unbroken run (a 60 MB "model name" in a .json over the parse limit is counted as
    text) is cut blind every ``BLIND_CUT_CHARS``: BPE over one long run costs more than linear
    time and memory (32 MiB in one call took 47 s and 2 GB)."""
    seen: list[int] = []
    encode = token_files.encode_count

    def record(encoding, pieces):
        seen.extend(len(p) for p in pieces)
        return encode(encoding, pieces)

    monkeypatch.setattr(token_files, "encode_count", record)
    counted = tokens.count_bytes(b"m" * 3_000_000, "run.txt", "gpt-4.1-mini")
    assert max(seen) <= tokens.BLIND_CUT_CHARS
    assert counted.tokens > 0 and not counted.exact
