"""Dates as users read them, and "today" where the users are."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def german_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def today_in_berlin(now: datetime | None = None) -> date:
    """Today's date in Europe/Berlin (the users' calendar), whatever the server's time zone."""
    now = now or datetime.now(BERLIN)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(BERLIN).date()
