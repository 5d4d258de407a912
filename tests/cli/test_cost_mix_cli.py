"""``tokenbudget cost`` with a routed mix, retries, images and a display currency: the
figures worked by hand in tests/scenarios/test_report_mix.py, and one-line errors.

2025-06-01, 100,000 requests of 1,000 input / 200 output tokens: gpt-4.1-nano $18 a month,
gpt-4.1 $360 (USD per 1M tokens: nano 0.10 / 0.40, gpt-4.1 2.00 / 8.00).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli.main import main as tokenbudget

BASE = ["cost", "--requests", "100000", "--input-tokens", "1000", "--output-tokens", "200"]
BASE += ["--models", "gpt-4.1-nano,gpt-4.1", "--as-of", "2025-06-01"]


def run(argv, capsys):
    status = tokenbudget(argv)
    out, err = capsys.readouterr()
    return status, out, err


def csv_rows(argv, capsys) -> list[dict]:
    status, out, err = run([*argv, "--format", "csv"], capsys)
    assert status == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_escalate_adds_the_mix_and_its_parts(capsys):
    # nano $18 + 20% x $360 = $90; with the first answer resent: 20,000 x 1,200 x $2 / 1e6 +
    # 20,000 x 200 x $8 / 1e6 = $48 + $32 = $80 on gpt-4.1, $98 in all.
    rows = csv_rows([*BASE, "--escalate", "gpt-4.1-nano:gpt-4.1:0.2"], capsys)
    assert [(r["model"], r["mix_role"]) for r in rows] == [
        ("gpt-4.1-nano", ""),
        ("gpt-4.1", ""),
        ("80% gpt-4.1-nano -> 20% gpt-4.1 escalated", "mix"),
        ("gpt-4.1-nano", "first"),
        ("gpt-4.1", "escalated"),
    ]
    assert float(rows[2]["total_cost"]) == pytest.approx(90.0)
    assert "fewer than 95% of requests escalate" in rows[2]["break_even"]
    answer = csv_rows([*BASE, "--escalate", "gpt-4.1-nano:gpt-4.1:0.2", "--with-answer"], capsys)
    assert float(answer[2]["total_cost"]) == pytest.approx(98.0)
    assert float(answer[4]["input_tokens"]) == 20_000 * 1_200


def test_route_is_a_split_and_text_ends_with_the_break_even(capsys):
    # 80% of $18 + 20% of $360 = $14.40 + $72 = $86.40.
    argv = [*BASE, "--route", "gpt-4.1-nano:0.8,gpt-4.1:0.2"]
    rows = csv_rows(argv, capsys)
    assert float(rows[2]["total_cost"]) == pytest.approx(86.40)
    assert rows[2]["model"] == "80% gpt-4.1-nano + 20% gpt-4.1"
    status, text, _ = run(argv, capsys)
    assert status == 0
    assert text.rstrip().splitlines()[-1] == (
        "break-even: routing is cheaper than gpt-4.1 alone at every share below 100%"
    )


def test_retries_images_and_yearly(capsys):
    # 5% retries on gpt-4.1 with one 1024 x 1024 image (765 tokens, $153 a month): $513 + 5%
    # = $538.65 a month; 12 months with no growth: $6,463.80; with --growth 0.1: $538.65 x
    # (1.1^12 - 1) / 0.1 = $11,518.64.
    argv = [*BASE, "--retry-share", "0.05", "--images-per-request", "1"]
    argv += ["--image-size", "1024x1024"]
    (_, gpt41) = csv_rows(argv, capsys)
    assert float(gpt41["image_input_cost"]) == pytest.approx(153.0)
    assert float(gpt41["retry_cost"]) == pytest.approx(25.65)
    assert float(gpt41["total_cost"]) == pytest.approx(538.65)
    assert float(gpt41["total_cost_12_months"]) == pytest.approx(6463.80)
    grown = csv_rows([*argv, "--growth", "0.1"], capsys)[1]
    assert float(grown["total_cost_12_months"]) == pytest.approx(538.65 * (1.1**12 - 1) / 0.1)
    assert float(grown["total_cost_12_months"]) == pytest.approx(11518.64, abs=0.01)


def test_display_currency_beside_usd(capsys):
    # $18 at 0.9 EUR per USD: EUR 16.20; JSON says the rate.
    status, out, _ = run([*BASE, "--currency", "EUR", "--currency-rate", "0.9", "--format", "json"],
                         capsys)  # fmt: skip
    assert status == 0
    nano = json.loads(out)[0]
    assert nano["total_cost"] == pytest.approx(18.0)
    assert nano["display_currency"] == "EUR"
    assert nano["total_cost_display"] == pytest.approx(16.20)
    assert nano["display_rate"] == "1 USD = 0.9 EUR (your rate)"
    status, text, _ = run([*BASE, "--currency", "GBP"], capsys)
    assert (
        text.rstrip()
        .splitlines()[-1]
        .startswith("display currency: 1 USD = 0.793468 GBP (ECB reference rate of 2025-02-28")
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--route", "gpt-4.1:0.5"], "argument --route: two MODEL:SHARE entries"),
        (["--route", "gpt-4.1-nano:0.8,gpt-4.1:0.3"], "the shares add up to 1.1, not 1"),
        (["--escalate", "gpt-4.1:gpt-9:0.2"], "argument --escalate: unknown model 'gpt-9'"),
        (["--escalate", "gpt-4.1:gpt-4.1:0.2"], "argument --escalate: the two models are the same"),
        (["--escalate", "gpt-4.1-nano:gpt-4.1:1.5"], "argument --escalate: must be at most 1"),
        (["--route", "a:1,b:0", "--escalate", "a:b:0.1"], "cannot be combined with --escalate"),
        (["--with-answer"], "argument --with-answer: only with --escalate"),
        (["--images-per-request", "2"], "argument --image-size: required"),
        (["--images-per-request", "2", "--image-size", "0x5"], "each side from 1 to 65535"),
        (["--currency", "EURO"], "is not a currency code"),
        (["--currency", "XYZ"], "no reference rate for XYZ: enter a rate"),
        (["--currency-rate", "0.9"], "argument --currency-rate: only with --currency"),
        (["--link", "./?v=1", "--retry-share", "0.1"], "--as-of, --retry-share"),
    ],
)
def test_bad_flags_are_one_line_errors(extra, message, capsys):
    status, out, err = run([*BASE, *extra], capsys)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_a_link_with_a_mix_prints_the_pages_csv(capsys):
    link = (
        "http://h:1/?v=1&req=100000&in=1000&out=200&models=gpt-4.1-nano,gpt-4.1&base=gpt-4.1"
        "&date=2025-06-01&route=cascade&first=gpt-4.1-nano&second=gpt-4.1&esc=20"
    )
    from scenarios import report_csv
    from scenarios.links import compare

    status = tokenbudget(["cost", "--link", link, "--format", "csv"])
    out = capsys.readouterr().out
    assert status == 0
    assert out.encode() == report_csv.comparison_csv(
        compare.decode_url(link).scenario, "http://h:1"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["model"], r["mix_role"]) for r in rows][2] == (
        "80% gpt-4.1-nano -> 20% gpt-4.1 escalated",
        "mix",
    )
