"""AppTest for Compare's "Your prices" box: a link with a discount reopens with it, the page's
figures equal the core's (and the CSV's), an edit reprices and rewrites the link, a bad entry is
named and left out, and the list price stays beside yours."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scenarios import links, report
from scenarios.links import compare as compare_link

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LINK = (
    "v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini,gpt-4o-mini&base=gpt-4.1-mini"
    "&date=2026-12-06&disc=openai:20"
)


def compare_app(query: str = LINK) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in links.params(query).items():
        at.query_params[key] = value
    return at.run()


def totals(at: AppTest) -> dict[str, float]:
    return at.dataframe[0].value.set_index("model")["total_cost"].to_dict()


def test_a_link_with_a_discount_reopens_with_it():
    at = compare_app()
    assert not at.exception and not at.warning
    assert at.text_input(key="cmp_disc").value == "openai:20"
    # 1,000 x (1,000 x 0.40 + 100 x 1.60) / 1e6 x 0.8 = $0.448; gpt-4o-mini $0.21 x 0.8
    assert totals(at) == pytest.approx({"gpt-4.1-mini": 0.448, "gpt-4o-mini": 0.168}, abs=1e-12)
    table = at.dataframe[0].value.set_index("model")
    assert set(table["your_price"]) == {"your price: 20% off openai"}
    info = " ".join(i.value for i in at.info)
    assert "Your prices: 20% off openai" in info and "at list price" in info
    assert "\\$0.56 at list price" in info
    scenario = compare_link.decode(LINK).scenario
    share = next(h.proto.body for h in at.get("html") if "tb-share" in h.proto.body)
    assert html.escape(report.share_link(scenario)) + "</textarea>" in share
    assert "disc=openai%3A20" in share


def test_editing_the_discount_reprices_and_rewrites_the_link():
    at = compare_app()
    at.text_input(key="cmp_disc").set_value("openai:20, gpt-4.1-mini:50").run()
    assert not at.exception
    assert totals(at) == pytest.approx({"gpt-4.1-mini": 0.28, "gpt-4o-mini": 0.168}, abs=1e-12)
    assert at.query_params["disc"] == "openai:20,gpt-4.1-mini:50"
    at.text_input(key="cmp_disc").set_value("").run()
    assert totals(at) == pytest.approx({"gpt-4.1-mini": 0.56, "gpt-4o-mini": 0.21}, abs=1e-12)
    assert "disc" not in at.query_params
    assert not at.info


def test_a_bad_entry_is_named_and_left_out():
    at = compare_app()
    at.text_input(key="cmp_disc").set_value("openai:20,openai:300").run()
    assert not at.exception
    warned = " ".join(w.value for w in at.warning)
    assert warned.startswith("Your discounts: 'openai") and "300" in warned
    assert "must be 0 to 100" in warned and "left out" in warned
    assert totals(at)["gpt-4.1-mini"] == pytest.approx(0.448, abs=1e-12)


def test_a_private_model_is_offered_and_priced():
    at = compare_app(LINK.replace("gpt-4o-mini", "support-ft") + "&mine=support-ft:0.3:1.2::64000")
    assert not at.exception
    assert "support-ft · your price book" in at.multiselect(key="cmp_models").options
    # 1,000 x (1,000 x 0.30 + 100 x 1.20) / 1e6 = $0.42
    assert totals(at)["support-ft"] == pytest.approx(0.42, abs=1e-12)


def test_one_click_shows_the_baseline_on_other_hosts():
    at = compare_app(LINK.replace("&disc=openai:20", "").replace(",gpt-4o-mini", ""))
    at.button(key="cmp_hosts").click().run()
    assert not at.exception
    shown = totals(at)
    # gpt-4.1-mini on Azure's EU data zone: $0.44 in / $1.76 out (litellm's azure/eu entry),
    # 1,000 x (1,000 x 0.44 + 100 x 1.76) / 1e6 = $0.616; OpenRouter lists OpenAI's own prices
    assert shown["gpt-4.1-mini"] == pytest.approx(0.56, abs=1e-12)
    assert shown["gpt-4.1-mini@azure-eu"] == pytest.approx(0.616, abs=1e-12)
    assert shown["gpt-4.1-mini@openrouter"] == pytest.approx(0.56, abs=1e-12)
    assert "gpt-4.1-mini@azure-eu" in at.query_params["models"]
