import datetime as dt

import pytest

from pricing import clock


def test_today_is_the_pinned_day_and_a_bad_pin_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2027-04-06")
    assert clock.today() == dt.date(2027, 4, 6)
    monkeypatch.setenv(clock.ENV, " ")
    assert clock.today() == dt.date.today()
    monkeypatch.delenv(clock.ENV)
    assert clock.today() == dt.date.today()
    monkeypatch.setenv(clock.ENV, "next tuesday")
    with pytest.raises(clock.ClockError, match=r"TOKENBUDGET_TODAY='next tuesday' is not a date"):
        clock.today()


def test_the_suite_runs_on_its_own_day():
    # tests/conftest.py pins it, so no test depends on the calendar.
    assert clock.today() == dt.date(2026, 12, 7)
