"""AppTest for Compare's routed mix, retries, images and display currency: what the boxes say
is what the core prices (figures worked by hand in tests/scenarios/test_report_mix.py)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_compare_links_page import compare_app, metrics

LINK = (
    "v=1&req=100000&in=1000&out=200&models=gpt-4.1-nano,gpt-4.1,gpt-4.1-mini&base=gpt-4.1-mini"
    "&date=2025-06-01&retry=5&route=cascade&first=gpt-4.1-nano&second=gpt-4.1&esc=20"
)


def open_page(query: str = LINK) -> AppTest:
    return compare_app(query)


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}


def main_table(at: AppTest):
    """The page's main table (the one with the difference from the baseline)."""
    return next(d.value for d in at.dataframe if "difference_usd" in d.value.columns)


def test_a_link_with_a_mix_shows_it_beside_the_models():
    at = open_page()
    assert not at.exception
    shown = metrics(at)
    # nano $18.90 + 20% of gpt-4.1's $378 = $94.50; 12 months at no growth: $1,134.00.
    assert shown["Mix, USD / month"] == "$94.50"
    assert shown["Mix, USD / 12 months"] == "$1,134.00"
    assert shown["Break-even"] == "15.0%"
    text = "\n".join(m.value for m in at.markdown)
    assert "Routing is cheaper than gpt-4.1 alone while fewer than 95% of requests escalate" in text
    main = main_table(at).set_index("model")
    mix = main.loc["80% gpt-4.1-nano -> 20% gpt-4.1 escalated"]
    assert mix["total_cost"] == pytest.approx(94.50)
    assert mix["total_cost_12_months"] == pytest.approx(1134.0)
    parts = next(d.value for d in at.dataframe if "role" in d.value.columns)
    assert parts["total_cost"].tolist() == pytest.approx([18.90, 75.60])
    assert url(at)["route"] == "cascade" and url(at)["retry"] == "5"


def test_the_boxes_change_the_mix_and_the_link():
    at = open_page()
    at.number_input(key="cmp_esc").set_value(50.0).run()
    assert not at.exception
    # nano $18.90 + 50% of $378 = $207.90.
    assert metrics(at)["Mix, USD / month"] == "$207.90"
    assert url(at)["esc"] == "50"
    at.checkbox(key="cmp_answer").check().run()
    # 50,000 escalated requests of 1,200 in / 200 out, 5% retried: 52,500 x $0.004 = $210.
    assert metrics(at)["Mix, USD / month"] == "$228.90"
    assert url(at)["answer"] == "1"
    at.selectbox(key="cmp_route").set_value("").run()
    assert "Mix, USD / month" not in metrics(at)
    assert "route" not in url(at)


def test_the_same_two_models_is_a_note_not_a_mix():
    at = open_page()
    at.selectbox(key="cmp_second").set_value("gpt-4.1-nano").run()
    assert not at.exception
    notes = "\n".join(w.value for w in at.warning)
    assert "Routing: Pick two different models; no mix." in notes.replace("\\", "")
    assert "Mix, USD / month" not in metrics(at)


def test_images_and_a_model_without_vision():
    at = open_page(
        "v=1&req=100000&in=1000&out=200&models=gpt-4.1,gpt-3.5-turbo&base=gpt-4.1"
        "&date=2025-06-01&img=1&imgw=1024&imgh=1024"
    )
    assert not at.exception
    main = main_table(at).set_index("model")
    assert main.loc["gpt-4.1", "total_cost"] == pytest.approx(513.0)
    text = "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "gpt-3.5-turbo takes no image input" in text


def test_display_currency_says_its_rate():
    at = open_page(LINK + "&cur=EUR&rate=0.9")
    assert not at.exception
    euro = next(d.value for d in at.dataframe if "monthly_usd" in d.value.columns)
    euro = euro.set_index("model")
    assert euro.loc["gpt-4.1-nano", "monthly"] == pytest.approx(18.90 * 0.9)
    assert euro.loc["80% gpt-4.1-nano -> 20% gpt-4.1 escalated", "monthly"] == pytest.approx(
        94.50 * 0.9
    )
    captions = "\n".join(c.value for c in at.caption).replace("\\", "")
    assert "Rate: 1 USD = 0.9 EUR (your rate)." in captions
    at.number_input(key="cmp_rate").set_value(0.0).run()
    captions = "\n".join(c.value for c in at.caption).replace("\\", "")
    assert "ECB reference rate of 2025-02-28" in captions
    assert "rate" not in url(at) and url(at)["cur"] == "EUR"


def test_tool_calls_per_request_are_a_component_and_a_model_without_them_says_so():
    at = open_page(
        "v=1&req=100000&in=1000&out=200&models=gpt-4.1-mini,gpt-4.1-nano&base=gpt-4.1-mini"
        "&date=2025-06-01"
    )
    at.number_input(key="cmp_web").set_value(1.0).run()
    assert not at.exception
    # $40 input + $32 output + 100,000 web searches at $10 / 1,000 = $1,072.
    main = main_table(at).set_index("model")
    assert main.loc["gpt-4.1-mini", "total_cost"] == pytest.approx(1072.0)
    assert url(at)["web"] == "1"
    text = "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "no web search fee" in text and "gpt-4.1-nano" in text
    at.toggle(key="cmp_details_shown").set_value(True).run()
    details = next(d.value for d in at.dataframe if "output_cost" in d.value.columns)
    details = details.set_index("model")
    assert details.loc["gpt-4.1-mini", "tool_fee_cost"] == pytest.approx(1000.0)
