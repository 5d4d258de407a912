"""AppTest for Compare's session workload: a session link opens as sessions, the band and the
session table show the core's figures, the switch back to requests drops the session from the
link, and the cost-by-turn tab draws the median session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import compare_sessions
from scenarios import links, report
from scenarios.formatting import usd
from scenarios.links import compare as compare_link

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SESSION = (
    "v=1&shape=sessions&ses=10000&pre=1000&turns=5&tin=200&tout=300"
    "&models=gpt-4.1-mini,claude-sonnet-5-5&base=gpt-4.1-mini&date=2026-12-06"
)


def open_page(query: str = SESSION) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in links.params(query).items():
        at.query_params[key] = value
    return at.run()


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}


def test_a_session_link_shows_the_cores_figures_and_writes_itself_back():
    at = open_page()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Baseline"] == "$44.60"  # worked by hand in tests/scenarios/test_sessions.py
    assert metrics["Cheapest"] == "$44.60"
    texts = " ".join(m.value for m in at.markdown)
    assert "10,000 sessions a month" in texts
    assert "1,000 sessions $4.46 on average" in texts
    sessions = next(d.value for d in at.dataframe if "cost_per_session" in d.value.columns)
    sessions = sessions.set_index("model")
    assert sessions.at["claude-sonnet-5-5", "total_cost"] == pytest.approx(211.30)
    assert sessions.at["gpt-4.1-mini", "caching_saving"] == pytest.approx(23.40)
    written = url(at)
    assert written["shape"] == "sessions" and written["turns"] == "5"
    decoded = compare_link.decode(written)
    assert decoded.scenario.is_session and decoded.warnings == []
    assert report.compare(decoded.scenario).baseline_cost == pytest.approx(44.60)


def test_the_boxes_change_the_session_and_the_switch_goes_back_to_requests():
    at = open_page()
    at.sidebar.number_input(key="cmp_turns").set_value(8).run()
    assert not at.exception
    assert url(at)["turns"] == "8"
    # 8 turns: 1,200 ... 4,700 = 23,600 in; cached 1,200 ... 4,200 = 18,900; 2,400 out.
    # (4,700 x 0.40 + 18,900 x 0.10 + 2,400 x 1.60) per 1M x 10,000 = $76.10.
    assert {m.label: m.value for m in at.metric}["Baseline"] == usd(76.10)
    at.sidebar.checkbox(key="cmp_cache").uncheck().run()
    assert url(at)["cache"] == "0"
    at.sidebar.radio(key="cmp_shape").set_value(compare_sessions.SHAPE_LABELS["requests"]).run()
    assert not at.exception
    written = url(at)
    assert "shape" not in written and "turns" not in written and "req" in written
    # Back to sessions: the figures typed are still there.
    at.sidebar.radio(key="cmp_shape").set_value(compare_sessions.SHAPE_LABELS["sessions"]).run()
    assert not at.exception
    assert url(at)["shape"] == "sessions" and url(at)["turns"] == "8" and url(at)["cache"] == "0"


def test_the_cost_by_turn_tab_draws_the_median_session():
    at = open_page(SESSION + "&tab=turns")
    assert not at.exception
    assert url(at)["tab"] == "turns"
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1, "the cost-by-turn chart is drawn (only the open tab's)"
    spec = charts[0].proto.spec
    assert '"turn"' in spec and "USD per turn" in spec
    at = open_page(SESSION + "&tab=savings")
    assert not at.exception
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1 and "No caching" in charts[0].proto.spec


def test_a_session_too_long_for_a_window_says_so_on_the_page():
    query = SESSION.replace(
        "models=gpt-4.1-mini,claude-sonnet-5-5", "models=gpt-4o-mini,gpt-4.1-mini"
    )
    query = query.replace("turns=5&tin=200&tout=300", "turns=60&tin=2000&tout=2000")
    at = open_page(query)
    assert not at.exception
    alerts = " ".join(w.value for w in at.warning)
    assert "gpt-4o-mini" in alerts and "128,000" in alerts


def test_an_old_request_link_still_opens_as_requests():
    at = open_page("v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini&date=2026-12-06")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Baseline"] == "$0.56"
    assert "shape" not in url(at)
    assert dt.date(2026, 12, 6).isoformat() == url(at)["date"]


def test_request_only_parts_are_named_not_dropped_silently():
    at = open_page(SESSION + "&retry=5")
    assert not at.exception
    assert "Sessions are priced without retries" in " ".join(w.value for w in at.warning)
    assert "Sessions are priced without" not in " ".join(w.value for w in open_page().warning)
