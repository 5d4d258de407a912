"""``tokenbudget reprice``: exit codes, output formats, mapping flags."""

from __future__ import annotations

import json
import re

import pytest

from cli.main import main
from scenarios import usage

SAMPLES = usage.sample_files()
MAPPING_FLAGS = [
    "--date-column", "day", "--model-column", "engine", "--input-column", "prompt",
    "--output-column", "completion", "--cached-column", "cache_hits",
    "--requests-column", "calls", "--batch-column", "mode_batch",
]  # fmt: skip


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["reprice", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["openai_usage.json", "usage.csv", "chat_completions.jsonl"])
def test_text_report_ends_with_the_reconciliation(capsys, name):
    code, out, _ = run(capsys, str(SAMPLES[name]))
    assert code == 0
    assert "actual" in out
    assert out.rstrip().splitlines()[-1].startswith("rows read")
    assert out.rstrip().endswith("totals reconcile")


def test_csv_output_is_the_reports_csv_and_the_reconciliation_goes_to_stderr(capsys):
    code, out, err = run(
        capsys, str(SAMPLES["openai_usage.json"]), "--models", "gpt-4.1-mini,gpt-4.1-nano",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0
    expected = usage.reprice_file(SAMPLES["openai_usage.json"], ["gpt-4.1-mini", "gpt-4.1-nano"])
    assert out == usage.comparison_csv(expected)
    assert "rows read 4 = priced 3 + unpriced 1" in err
    assert "unpriced: 1 row: unknown model" in err


def test_json_output(capsys):
    code, out, err = run(
        capsys, str(SAMPLES["usage.csv"]), "--models", "gpt-4.1-mini", "--as-of", "2025-06-01",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["reconciliation"]["ok"] is True
    assert document["alternatives_as_of"] == "2025-06-01"
    total = [r for r in document["comparison"] if r["month"] == "total"]
    # actual 6.95 + 3.175 = 10.125; gpt-4.1-mini as of 2025-06-01: 1.76 + 1.21 = 2.97
    assert [r["model"] for r in total] == ["actual", "gpt-4.1-mini"]
    assert total[1]["cost"] == pytest.approx(2.97)
    assert len(document["unpriced"]) == 7
    assert "totals reconcile" in err


def test_mapping_flags(capsys):
    code, out, _ = run(
        capsys, str(SAMPLES["custom_columns.csv"]), *MAPPING_FLAGS, "--models", "gpt-4.1-nano",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[-2].startswith("total,actual,3,")  # 2.00 + 0.20 + 0.80, exact
    assert lines[-1].startswith("total,gpt-4.1-nano,0.75,")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.csv"], "no such file: missing.csv"),
        ([str(SAMPLES["usage.csv"]), "--models", "gpt-99"], "unknown model 'gpt-99'"),
        ([str(SAMPLES["custom_columns.csv"])], "expected one of"),
        ([str(SAMPLES["custom_columns.csv"]), "--date-column", "day"], "--model-column"),
        (
            [str(SAMPLES["usage.csv"]), "--input-format", "openai-json"],
            "not valid JSON",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_bad_argument_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["reprice", str(SAMPLES["usage.csv"]), "--format", "xml"])
    assert info.value.code == 2


def test_nothing_priced_is_a_warning_not_a_quiet_success(capsys):
    flags = [f if f != "engine" else "calls" for f in MAPPING_FLAGS]  # model column: numbers
    code, out, err = run(capsys, str(SAMPLES["custom_columns.csv"]), *flags, "--format", "csv")
    assert code == 0
    assert "warning: no row could be priced (all 3 rows unpriced; most common reason: " in err
    code, out, _ = run(capsys, str(SAMPLES["custom_columns.csv"]), *flags)
    assert "warning: no row could be priced" in out


def test_text_report_labels_the_difference_and_its_sign(capsys):
    code, out, _ = run(capsys, str(SAMPLES["usage.csv"]), "--models", "gpt-4o-mini")
    assert code == 0
    assert "difference_vs_actual_usd" in out and "negative: the alternative is cheaper" in out
    total = next(line for line in out.splitlines() if line.strip().startswith("total gpt-4o"))
    assert "-8.99" in total and "-88.8%" in total  # 1.13625 - 10.125, cheaper


def test_the_bill_in_text_csv_and_json_with_a_discount(capsys):
    sample = str(SAMPLES["litellm_daily_spend.csv"])
    code, out, _ = run(
        capsys, sample, "--preset", "litellm-daily-spend", "--models", "gpt-4.1-nano"
    )
    assert code == 0
    assert "The bill: reported cost against list and your prices (USD)" in out
    assert re.search(r"^\s*total\s+total\s+12\s+16\.17\s+19\.14\s+-2\.16\s", out, re.M)
    code, out, err = run(
        capsys, sample, "--preset", "litellm-daily-spend", "--models", "gpt-4.1-nano",
        "--discount", "gpt-4o-mini:10", "--table", "bill", "--format", "csv",
    )  # fmt: skip
    assert code == 0
    # your book takes the whole gap: reported 16.17 = your price, nothing unexplained
    assert "total,total,12,12,0,16.17,19.14,-2.16,0,0,16.98,-0.81,16.17,0,0,-2.97," in out
    assert "bill note: no batch or service-tier column" in err
    code, out, _ = run(
        capsys, sample, "--preset", "litellm-daily-spend", "--format", "json", "--models", "o3"
    )
    document = json.loads(out)
    totals = [r for r in document["bill"]["table"] if r["month"] == r["model"] == "total"]
    assert totals[0]["reported_cost"] == pytest.approx(16.17)


def test_the_reported_cost_column_flag_and_its_errors(capsys, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("day,m,p,c,usd\n2026-12-06,gpt-4.1-mini,1000,100,0.00056\n")
    flags = ["--date-column", "day", "--model-column", "m", "--input-column", "p",
             "--output-column", "c"]  # fmt: skip
    code, out, _ = run(capsys, str(path), *flags, "--reported-cost-column", "usd")
    assert code == 0 and "The bill" in out
    code, _, err = run(capsys, str(path), *flags, "--table", "bill", "--format", "csv")
    assert code == 2
    assert "--table bill: no reported-cost column" in err
    code, _, err = run(capsys, str(path), *flags, "--reported-cost-column", "spend")
    assert code == 2 and "column 'spend' not in the file" in err
    code, _, err = run(capsys, str(path), *flags, "--discount", "openai:101")
    assert code == 2 and "argument --discount" in err
