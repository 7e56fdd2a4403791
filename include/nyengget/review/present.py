"""Presentation of the review page: the list grouped by programme, and the calendar's year view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from nyengget.errors import UsageError
from nyengget.forecast import calendar
from nyengget.forecast.windows import programme_windows
from nyengget.review import queries
from nyengget.review.actions import Listing, listing
from nyengget.review.auth import Viewer


def by_programme(items: list[dict]) -> list[dict]:
    """Each programme once (in the list's order) with its `entries` (one per innovation) and its flags."""
    groups: dict[str, dict] = {}
    for it in items:
        g = groups.setdefault(it["programme_id"], {"head": it, "entries": [], "is_new": False,
                                                   "is_changed": False, "closing_soon": False})
        g["entries"].append(it)
        for flag in ("is_new", "is_changed", "closing_soon"):
            g[flag] = g[flag] or bool(it[flag])
    return list(groups.values())


@dataclass
class CalendarView:
    year: int
    lst: Listing
    entries: list[calendar.Entry]
    months: list[tuple[int, list[calendar.Entry]]]
    undated: int
    params: dict = field(default_factory=dict)


def calendar_view(engine: Engine, viewer: Viewer, params: Mapping[str, str], today: date) -> CalendarView:
    """The viewer's latest list (same filters as the list, items as mitra included: their OPD is the
    proposer) placed on the months of `tahun`."""
    raw = (params.get("tahun") or "").strip()
    if raw and not (raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise UsageError("tahun tidak sah (contoh: 2027)")
    year = int(raw) if raw else today.year
    lst = listing(engine, viewer, params)
    programmes = {it["programme_id"] for it in lst.shown}
    names = {c: n for r in queries.viewer_regions(viewer) for c, n in queries.opd_names(engine, r.code).items()}
    all_entries = calendar.entries(lst.shown, programme_windows(engine, today), names)
    year_entries = calendar.in_year(all_entries, year)
    kept = {k: v for k, v in params.items() if k in ("week", "opd", "funding_type") and v}
    return CalendarView(year, lst, year_entries, calendar.by_month(year_entries, year),
                        len(programmes) - len(all_entries), kept)
