"""scenarios.usage.read: the four file shapes, and files that are none of them."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from scenarios import usage
from tests.scenarios.usage.usage_cases import ALTS, HEADER, SAMPLES, cell, reprice_text


def test_openai_json_accepts_a_list_of_pages_and_counts_audio_tokens():
    bucket = {
        "object": "bucket",
        "start_time": 1748736000,  # 2025-06-01T00:00:00Z
        "end_time": 1748822400,
        "results": [
            {
                "object": "organization.usage.completions.result",
                "model": "gpt-4.1-nano-2025-04-14",
                "input_tokens": 1_000_000,
                "output_tokens": 0,
                "num_model_requests": 10,
                "input_audio_tokens": 500,
                "batch": None,
            }
        ],
    }
    page = {"object": "page", "data": [bucket], "has_more": False}
    result = reprice_text(json.dumps([page, page]))
    # twice 1,000,000 * 0.10 / 1e6 = 0.20 (no cached field: no cache hits; batch null: standard)
    assert cell(result, "2025-06", "actual") == pytest.approx(0.20)
    assert any("500" in n or "1,000" in n for n in result.notes)


def test_costs_export_is_the_wrong_format():
    costs = {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": 1,
                "end_time": 2,
                "results": [{"object": "organization.costs.result", "amount": {"value": 1}}],
            }
        ],
    }
    with pytest.raises(usage.WrongFormatError, match="expected the completions usage export"):
        reprice_text(json.dumps(costs))


def test_csv_without_the_columns_names_what_was_expected():
    with pytest.raises(usage.WrongFormatError, match="input_tokens") as info:
        usage.reprice_file(SAMPLES["custom_columns.csv"], ALTS)
    assert "day, engine, prompt" in str(info.value)
    mapping = usage.ColumnMapping(date="day", model="nope", input_tokens="a", output_tokens="b")
    with pytest.raises(usage.WrongFormatError, match="'nope'"):
        usage.reprice_file(SAMPLES["custom_columns.csv"], ALTS, mapping=mapping)


def test_binary_and_empty_files_are_the_wrong_format():
    with pytest.raises(usage.WrongFormatError, match="binary"):
        usage.reprice_file(b"PK\x03\x04\x00\x00", ALTS)
    with pytest.raises(usage.WrongFormatError, match="empty"):
        usage.reprice_file(b"", ALTS)


def test_chunked_reading_gives_the_same_result():
    whole = usage.reprice_file(SAMPLES["usage.csv"], ALTS)
    chunked = usage.reprice_file(SAMPLES["usage.csv"], ALTS, chunksize=2)
    pd.testing.assert_frame_equal(whole.comparison, chunked.comparison)
    pd.testing.assert_frame_equal(whole.unpriced, chunked.unpriced)
    assert usage.comparison_csv(whole) == usage.comparison_csv(chunked)


def test_progress_reaches_one_and_file_objects_are_read():
    seen = []
    data = SAMPLES["usage.csv"].read_bytes()
    usage.reprice_file(io.BytesIO(data), ALTS, chunksize=3, progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)


@pytest.mark.parametrize(
    "text",
    [
        '{"hello": "world"}\n',
        '{"model": "gpt-4o-mini", "created": 1748736000}\n{"a": 1}\n',
    ],
)
def test_jsonl_with_no_completion_line_is_the_wrong_format(text):
    with pytest.raises(usage.WrongFormatError, match="expected JSONL of chat completion") as info:
        reprice_text(text)
    assert "has a 'usage' object" in str(info.value)


def test_openai_json_with_no_usage_fields_is_the_wrong_format():
    page = {"object": "page", "data": [{"start_time": 1748736000, "results": [{"x": 1}]}]}
    with pytest.raises(usage.WrongFormatError, match="'input_tokens'"):
        reprice_text(json.dumps(page))


def test_latin1_csv_is_the_wrong_format_not_a_crash():
    data = (HEADER + "2025-06-01,gpt-4o-mini-caf\u00e9,1000,0,100,1,false\n").encode("latin-1")
    with pytest.raises(usage.WrongFormatError, match=r"not UTF-8 text .*0xe9"):
        usage.reprice_file(data, ALTS)
    assert usage.inspect_head(data).format is None  # not offered as a CSV to map


def test_latin1_byte_after_the_first_64_kb_is_the_wrong_format_not_a_crash():
    row = "2025-06-01,gpt-4o-mini,1000,0,100,1,false\n"
    data = (HEADER + row * 3000 + "2025-06-01,caf\u00e9,1,0,1,1,false\n").encode("latin-1")
    assert len(data) > 65536 and usage.inspect_head(data[:65536]).format == "usage-csv"
    with pytest.raises(usage.WrongFormatError, match=r"not UTF-8 text \(byte 0xe9"):
        usage.reprice_file(data, ALTS, chunksize=1000)


def test_header_names_with_spaces_are_stripped():
    text = "date , model ,input_tokens,output_tokens \n2025-06-01,gpt-4o-mini,1000000,0\n"
    assert usage.detect_format(text.encode()) == "usage-csv"
    result = reprice_text(text)
    assert cell(result, "total", "actual") == pytest.approx(0.15)  # 1,000,000 * 0.15 / 1e6
    mapping = usage.ColumnMapping(
        date="date", model="model", input_tokens="input_tokens", output_tokens="output_tokens"
    )
    assert cell(reprice_text(text, mapping=mapping), "total", "actual") == pytest.approx(0.15)


def test_guess_mapping_and_inspect_head():
    head = SAMPLES["custom_columns.csv"].read_bytes()
    info = usage.inspect_head(head)
    assert info.format == "mapped-csv" and "day" in info.columns
    guess = usage.guess_mapping(info.columns)
    assert guess["date"] == "day" and guess["model"] == "engine" and guess["requests"] == "calls"
    assert usage.inspect_head(b"\x00\x01").format is None
