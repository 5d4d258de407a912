"""Catalog.price_steps (the history step chart's data) and Catalog.changes (offers kept apart
from price changes)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pricing import load_catalog


def test_gpt4o_steps_with_the_edge_carried_to_the_date():
    steps = load_catalog().price_steps("gpt-4o", dt.date(2026, 1, 1))
    rows = [
        (r.price, r.effective_from.date().isoformat(), r.usd_per_mtok, r.carried)
        for r in steps.itertuples()
    ]
    assert rows == [
        ("input", "2024-05-13", 5.0, False),
        ("input", "2024-10-02", 2.5, False),
        ("input", "2026-01-01", 2.5, True),
        ("cached_input", "2024-10-02", 1.25, False),  # no cached price at launch: no point
        ("cached_input", "2026-01-01", 1.25, True),
        ("output", "2024-05-13", 15.0, False),
        ("output", "2024-10-02", 10.0, False),
        ("output", "2026-01-01", 10.0, True),
    ]
    assert pd.api.types.is_datetime64_any_dtype(steps["effective_from"])


def test_steps_edge_is_never_before_the_last_change():
    steps = load_catalog().price_steps("gpt-4o", dt.date(2024, 1, 1))
    carried = steps[steps["carried"]]
    assert set(carried["effective_from"]) == {pd.Timestamp("2024-10-02")}


def test_prices_stay_as_written():
    steps = load_catalog().price_steps("gpt-4o-mini", dt.date(2026, 1, 1))
    assert 0.075 in set(steps["usd_per_mtok"])


def test_changes_separate_new_tiers_from_price_changes():
    cat = load_catalog()
    changes = cat.changes(dt.date(2024, 6, 1), dt.date(2025, 7, 1))
    gpt4o = changes.repriced[changes.repriced["model"] == "gpt-4o"].set_index("field")
    assert gpt4o.loc["input", "old"] == 5.0 and gpt4o.loc["input", "new"] == 2.5
    assert gpt4o.loc["input", "change_pct"] == -50.0
    assert "priority_input" not in gpt4o.index
    assert changes.repriced[["old", "new"]].notna().all().all()
    assert "claude-3-haiku" not in set(changes.repriced["model"])
    offered = changes.offered.set_index(["model", "field"])
    assert offered.loc[("gpt-4o", "priority_input"), "change"] == "added"
    assert pd.isna(offered.loc[("gpt-4o", "priority_input"), "old"])
    assert offered.loc[("gpt-4o", "priority_input"), "new"] == 4.25
    assert offered.loc[("claude-3-haiku", "cached_input"), "new"] == 0.03
    # diff keeps its old shape: every changed field, offers included
    diff = cat.diff(dt.date(2024, 6, 1), dt.date(2025, 7, 1))
    assert len(diff.repriced) == len(changes.repriced) + len(changes.offered)
    assert len(diff.added) == len(changes.added) and len(diff.removed) == len(changes.removed)


def test_a_dropped_price_reads_removed():
    from pricing.catalog import split_repriced

    frame = pd.DataFrame(
        [
            {
                "model": "m",
                "field": "flex_input",
                "old": 1.0,
                "new": float("nan"),
                "change_pct": float("nan"),
                "effective_from": dt.date(2025, 1, 1),
            },
            {
                "model": "m",
                "field": "input",
                "old": 2.0,
                "new": 1.0,
                "change_pct": -50.0,
                "effective_from": dt.date(2025, 1, 1),
            },
        ]
    )
    changed, offered = split_repriced(frame)
    assert list(changed["field"]) == ["input"]
    assert list(offered["change"]) == ["removed"] and "change_pct" not in offered


def test_no_changes_is_empty():
    cat = load_catalog()
    assert cat.changes(dt.date(2025, 7, 1), dt.date(2025, 7, 1)).empty
