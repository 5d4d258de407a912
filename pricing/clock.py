"""The one place the product asks what day it is.

``today()`` is the calendar date, unless ``TOKENBUDGET_TODAY`` (``YYYY-MM-DD``) pins it: the test
suite pins it so every test gives the same answer on any day, and a maintainer can open the app
as of a day ahead ("what will this view say in April?"). Pages and commands call it once, at the
edge, and hand the date down; the core never decides "today" on its own.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "TOKENBUDGET_TODAY"


class ClockError(ValueError):
    """``TOKENBUDGET_TODAY`` is set to something that is not a ``YYYY-MM-DD`` date."""


def today() -> dt.date:
    """The pinned day (``TOKENBUDGET_TODAY``) or the machine's calendar date."""
    pinned = os.environ.get(ENV, "").strip()
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ClockError(
            f"{ENV}={pinned[:40]!r} is not a date: use YYYY-MM-DD, or unset it for today"
        ) from None
