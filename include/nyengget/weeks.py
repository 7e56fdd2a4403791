"""ISO weeks in Asia/Jakarta: the partition key of everything weekly."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
WEEK_PATTERN = r"^[0-9]{4}-[Ww][0-9]{2}$"


def week_start(d: date | datetime) -> date:
    """Monday of the ISO week containing `d` (datetimes are taken in Asia/Jakarta)."""
    if isinstance(d, datetime):
        d = (d.astimezone(JAKARTA) if d.tzinfo else d).date()
    return d - timedelta(days=d.weekday())


def parse_week(label: str) -> date:
    """`2026-W48` -> Monday 2026-11-23. Raises ValueError with the bad label."""
    try:
        year, week = label.upper().split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise ValueError(f"not an ISO week (expected YYYY-Www, e.g. 2026-W48): {label!r}") from exc


def week_label(monday: date) -> str:
    """Monday 2026-11-23 -> `2026-W48`."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"
