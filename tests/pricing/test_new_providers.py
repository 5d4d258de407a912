"""DeepSeek, xAI and the gpt-oss hosts (Groq, Together AI), against figures worked out by hand.

The month used throughout: 10,000 requests of 1,000 input and 200 output tokens, i.e. 10M input
and 2M output tokens (USD per 1M tokens in the comments)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pricing import load_catalog
from pricing.catalog import AVAILABLE, SHUT_DOWN, SHUTS_DOWN
from pricing.cost import monthly_cost
from pricing.workload import Workload

D = dt.date
TODAY = D(2026, 12, 1)
MONTH = Workload(10_000, 1_000, 200)  # 10M input, 2M output tokens


def one(result: pd.DataFrame, model: str) -> pd.Series:
    return result.set_index("model").loc[model]


@pytest.mark.parametrize(
    ("model", "input_cost", "output_cost"),
    [
        # DeepSeek V4.1 Flash, peak rate: 10M x 0.30 + 2M x 1.20 = 3.00 + 2.40
        ("deepseek-flash", 3.00, 2.40),
        # Grok 4.7 below 200k prompt tokens: 10M x 2.00 + 2M x 6.00 = 20.00 + 12.00
        ("grok-4.7", 20.00, 12.00),
        # gpt-oss-20b on Groq: 10M x 0.075 + 2M x 0.30 = 0.75 + 0.60
        ("groq-gpt-oss-20b", 0.75, 0.60),
        # gpt-oss-120b on Together AI: 10M x 0.15 + 2M x 0.60 = 1.50 + 1.20
        ("together-gpt-oss-120b", 1.50, 1.20),
    ],
)
def test_a_10m_in_2m_out_month_on_one_model_of_each_file(model, input_cost, output_cost):
    row = one(monthly_cost(MONTH, [model], TODAY), model)
    assert row["available"]
    assert row["uncached_input_cost"] == pytest.approx(input_cost)
    assert row["output_cost"] == pytest.approx(output_cost)
    assert row["total_cost"] == pytest.approx(input_cost + output_cost)


def test_the_two_gpt_oss_120b_hosts_list_the_same_price_but_only_groq_caches():
    # Half the input cached: Groq bills it at 0.075, Together (no cache price) at 0.15.
    # Groq: 5M x 0.15 + 5M x 0.075 + 2M x 0.60 = 0.75 + 0.375 + 1.20 = 2.325
    # Together: 10M x 0.15 + 2M x 0.60 = 2.70
    work = Workload(10_000, 1_000, 200, cached_share=0.5)
    result = monthly_cost(work, ["groq-gpt-oss-120b", "together-gpt-oss-120b"], TODAY)
    assert one(result, "groq-gpt-oss-120b")["total_cost"] == pytest.approx(2.325)
    assert one(result, "together-gpt-oss-120b")["total_cost"] == pytest.approx(2.70)


def test_deepseek_v4_pro_steps_up_when_peak_pricing_starts():
    catalog = load_catalog()
    before = catalog.price("deepseek-v4-pro", D(2026, 8, 16))
    after = catalog.price("deepseek-v4-pro", D(2026, 8, 17))
    assert (str(before.input), str(before.cached_input), str(before.output)) == (
        "0.435",
        "0.003625",
        "0.87",
    )
    assert (str(after.input), str(after.cached_input), str(after.output)) == (
        "1.32",
        "0.044",
        "3.96",
    )
    # The same month on either side: 4.35 + 1.74 = 6.09, then 13.20 + 7.92 = 21.12.
    assert one(monthly_cost(MONTH, ["deepseek-v4-pro"], D(2026, 8, 16)), "deepseek-v4-pro")[
        "total_cost"
    ] == pytest.approx(6.09)
    assert one(monthly_cost(MONTH, ["deepseek-v4-pro"], D(2026, 8, 17)), "deepseek-v4-pro")[
        "total_cost"
    ] == pytest.approx(21.12)


def test_deepseek_v4_pro_launch_price_was_a_promotion_made_permanent():
    model = load_catalog().model("deepseek-v4-pro")
    assert model.lifecycle(D(2026, 5, 1)).promotion is not None
    assert model.lifecycle(D(2026, 5, 1)).promotion.until == D(2026, 5, 31)
    assert model.lifecycle(D(2026, 6, 1)).promotion is None
    assert str(model.price_as_of(D(2026, 6, 1)).input) == "0.435"


def test_grok_4_20_price_cut_on_2026_04_30_lowers_the_month():
    # 2026-04-29: 10M x 2.00 + 2M x 6.00 = 32.00; 2026-04-30: 10M x 1.25 + 2M x 2.50 = 17.50
    assert one(monthly_cost(MONTH, ["grok-4.20"], D(2026, 4, 29)), "grok-4.20")[
        "total_cost"
    ] == pytest.approx(32.00)
    assert one(monthly_cost(MONTH, ["grok-4.20"], D(2026, 4, 30)), "grok-4.20")[
        "total_cost"
    ] == pytest.approx(17.50)


def test_grok_long_context_applies_to_the_whole_request_from_200k_prompt_tokens():
    # 1,000 requests of 200,000 input and 1,000 output tokens on Grok 4.7: every token at
    # the >=200k rates, 200M x 4.00 + 1M x 12.00 = 800 + 12 = 812.
    work = Workload(1_000, 200_000, 1_000)
    assert one(monthly_cost(work, ["grok-4.7"], TODAY), "grok-4.7")["total_cost"] == (
        pytest.approx(812.0)
    )
    # One token fewer stays on the standard rates: 199.999M x 2.00 + 1M x 6.00 = 405.998.
    work = Workload(1_000, 199_999, 1_000)
    assert one(monthly_cost(work, ["grok-4.7"], TODAY), "grok-4.7")["total_cost"] == (
        pytest.approx(405.998)
    )


def test_grok_3_is_shut_down_on_2026_12_01_with_grok_4_3_as_successor():
    catalog = load_catalog()
    state = catalog.model("grok-3").lifecycle(TODAY)
    assert state.state == SHUT_DOWN
    assert state.date == D(2026, 5, 15)
    assert state.successor == "grok-4.3"
    assert not state.selectable
    assert catalog.model("grok-3").lifecycle(D(2026, 5, 14)).state == SHUTS_DOWN
    assert catalog.model("grok-4.3").lifecycle(TODAY).state == AVAILABLE
    row = one(monthly_cost(MONTH, ["grok-3"], TODAY), "grok-3")
    assert row["status"] == SHUT_DOWN
    assert not row["selectable"]
    # Priced at its last list price: 10M x 3.00 + 2M x 15.00 = 60.00
    assert row["total_cost"] == pytest.approx(60.00)


def test_retired_names_resolve_and_point_at_their_successors():
    catalog = load_catalog()
    assert catalog.model("deepseek-chat").lifecycle(TODAY).state == SHUT_DOWN
    assert catalog.model("deepseek-chat").successor == "deepseek-v4-flash"
    assert catalog.model("deepseek-v4-flash").successor == "deepseek-flash"
    assert catalog.model("together-gpt-oss-20b").lifecycle(TODAY).state == SHUT_DOWN
    assert catalog.resolve("groq/openai/gpt-oss-120b") == "groq-gpt-oss-120b"
    assert catalog.resolve("xai/grok-4-1-fast") == "grok-4-1-fast-reasoning"


def test_new_models_are_counted_approximately():
    catalog = load_catalog()
    for model in catalog.models():
        if model.provider in ("deepseek", "xai", "groq", "together"):
            assert model.encoding == "o200k_base"
            assert not model.encoding_exact, model.id
