"""Built-in tool calls per request as a scenario input (issue 13), priced from the table's
``tool_fees``: the core, the CSV, the link and the command line carry the same figures.

Worked by hand, 2025-06-01, 100,000 requests a month of 1,000 input / 200 output tokens on
gpt-4.1-mini ($0.40 / $1.60 per 1M tokens; web search $10 and file search $2.50 per 1,000
calls: the table's ``tool_fees``, as genai-prices' data and OpenAI's pricing page give them):

* tokens: 100,000 x 1,000 x 0.40 / 1e6 = $40, plus 100,000 x 200 x 1.60 / 1e6 = $32: $72;
* one web search each: 100,000 x 1 x $10 / 1,000 = $1,000.00 of tool fees, $1,072.00 in all;
* and two file searches each: 100,000 x 2 x $2.50 / 1,000 = $500 more, $1,572.00 in all;
* 5% retried: 5,000 requests again, in full, tool calls too: 5% of $1,072 = $53.60.

gpt-4.1-nano has no web search (no fee in the table): unavailable with its reason, never $0.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pytest

from cli.main import main as tokenbudget
from pricing import reasons
from scenarios import report, report_csv
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario
from scenarios.traffic import COMPONENT_COLUMNS, price

AS_OF = dt.date(2025, 6, 1)
SCENARIO = Scenario(
    requests=100_000,
    input_tokens=1_000,
    output_tokens=200,
    models=("gpt-4.1-mini", "gpt-4.1-nano"),
    baseline="gpt-4.1-mini",
    as_of=AS_OF,
    web_search_calls=1,
)


def priced(scenario: Scenario):
    table = price(scenario.workload(), scenario.models, AS_OF, traffic=scenario.traffic())
    return table.set_index("model")


def test_one_web_search_a_request_is_a_thousand_dollars_of_tool_fees():
    mini = priced(SCENARIO).loc["gpt-4.1-mini"]
    assert mini["tool_fee_cost"] == pytest.approx(1000.0)
    assert mini["uncached_input_cost"] + mini["output_cost"] == pytest.approx(72.0)
    assert mini["total_cost"] == pytest.approx(1072.0)
    assert sum(mini[c] for c in COMPONENT_COLUMNS) == pytest.approx(mini["total_cost"])
    both = priced(SCENARIO.with_values(file_search_calls=2)).loc["gpt-4.1-mini"]
    assert both["tool_fee_cost"] == pytest.approx(1500.0)
    assert both["total_cost"] == pytest.approx(1572.0)


def test_retried_requests_repeat_their_tool_calls():
    mini = priced(SCENARIO.with_values(retry_share=0.05)).loc["gpt-4.1-mini"]
    assert mini["retry_cost"] == pytest.approx(53.60)
    assert mini["tool_fee_cost"] == pytest.approx(1000.0)
    assert mini["total_cost"] == pytest.approx(1125.60)


def test_a_model_without_the_tool_says_so_and_has_no_figure():
    nano = priced(SCENARIO).loc["gpt-4.1-nano"]
    assert not nano["available"]
    assert math.isnan(nano["total_cost"]) and math.isnan(nano["tool_fee_cost"])
    (reason,) = [r for r in nano["reasons"] if r.code == reasons.TOOL_NOT_OFFERED]
    assert reason.tier == "web_search"
    assert "no web search fee for this model" in "; ".join(nano["warnings"])
    comparison = report.compare(SCENARIO)
    assert "gpt-4.1-nano" in comparison.unavailable
    assert comparison.cheapest == "gpt-4.1-mini"
    chart = report.components_long(comparison).set_index("component")["cost_usd_per_month"]
    assert chart["Tool fees"] == pytest.approx(1000.0)


def test_no_tool_calls_refuses_nothing_and_adds_nothing():
    plain = priced(SCENARIO.with_values(web_search_calls=0))
    assert SCENARIO.with_values(web_search_calls=0).tool_calls() == {}
    assert plain["available"].all()
    assert plain["tool_fee_cost"].tolist() == [0.0, 0.0]
    assert plain.loc["gpt-4.1-mini", "total_cost"] == pytest.approx(72.0)


def test_the_csv_carries_the_calls_and_the_fees():
    frame = report_csv.comparison_frame(SCENARIO).set_index("model")
    mini = frame.loc["gpt-4.1-mini"]
    assert mini["web_search_calls_per_request"] == 1
    assert mini["file_search_calls_per_request"] == 0
    assert mini["tool_fee_cost_usd_per_month"] == 1000.0
    assert mini["total_cost_usd_per_month"] == 1072.0
    assert "web=1" in mini["share_link"]
    nano = frame.loc["gpt-4.1-nano"]
    assert not nano["available"]
    assert nano["warnings"] == ["no web search fee for this model: unavailable for this workload"]


def test_a_link_round_trips_and_is_written_only_when_set():
    scenario = SCENARIO.with_values(file_search_calls=2.5)
    query = compare_link.encode(scenario)
    assert "web=1" in query and "file=2.5" in query
    again = compare_link.decode(query)
    assert again.warnings == []
    assert again.scenario.web_search_calls == 1 and again.scenario.file_search_calls == 2.5
    assert again.scenario == scenario
    bare = compare_link.encode(SCENARIO.with_values(web_search_calls=0))
    assert "web=" not in bare and "file=" not in bare


@pytest.mark.parametrize(
    ("value", "used", "said"),
    [
        ("-3", 0.0, "web: '-3'"),
        ("1000", 100.0, "web: '1000'"),
        ("abc", 0.0, "web: 'abc'"),
        ("nan", 0.0, "web: 'nan'"),
    ],
)
def test_hostile_tool_calls_in_a_link_are_named_and_clamped(value, used, said):
    decoded = compare_link.decode(f"date=2025-06-01&models=gpt-4.1-mini&web={value}")
    assert decoded.scenario.web_search_calls == used
    assert any(w.startswith(said) for w in decoded.warnings), decoded.warnings


def cli_rows(argv, capsys) -> list[dict]:
    status = tokenbudget([*argv, "--format", "csv"])
    out, err = capsys.readouterr()
    assert status == 0, err
    return list(csv.DictReader(io.StringIO(out)))


CLI = ["cost", "--requests", "100000", "--input-tokens", "1000", "--output-tokens", "200"]
CLI += ["--models", "gpt-4.1-mini,gpt-4.1-nano", "--as-of", "2025-06-01"]


def test_the_command_line_prints_the_same_fees(capsys):
    rows = {r["model"]: r for r in cli_rows([*CLI, "--web-search-calls", "1"], capsys)}
    assert float(rows["gpt-4.1-mini"]["tool_fee_cost"]) == 1000.0
    assert float(rows["gpt-4.1-mini"]["total_cost"]) == 1072.0
    assert rows["gpt-4.1-nano"]["total_cost"] == ""
    assert "no web search fee" in rows["gpt-4.1-nano"]["warnings"]
    both = cli_rows([*CLI, "--web-search-calls", "1", "--file-search-calls", "2"], capsys)
    assert float(both[0]["tool_fee_cost"]) == 1500.0
    plain = cli_rows(CLI, capsys)
    assert "tool_fee_cost" not in plain[0]


def test_the_command_line_reads_a_link_with_tool_calls(capsys):
    link = "./?" + compare_link.encode(SCENARIO)
    status = tokenbudget(["cost", "--link", link, "--format", "csv"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out == report_csv.comparison_csv(SCENARIO, compare_link.base_of(link)).decode("utf-8")


@pytest.mark.parametrize("text", ["-1", "101", "many", "nan"])
def test_bad_tool_calls_on_the_command_line_are_one_line_errors(text, capsys):
    with pytest.raises(SystemExit) as exited:
        tokenbudget([*CLI, "--web-search-calls", text])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and out == ""
    assert "--web-search-calls" in err and err.count("\n") == 1
