"""Dated rounds of programmes: from the warehouse (programmes, their versions, news) and from the curated
calendar files. One round per (family, year); the calendar wins."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import Connection, Engine, Row, Table, or_, select

from nyengget.config import PACKAGE_DIR
from nyengget.forecast.families import family, round_year
from nyengget.warehouse.schema import news, programme_versions, programmes

log = logging.getLogger(__name__)

CALENDAR_DIR = PACKAGE_DIR / "sources" / "curated"
# Which origin wins when two say something about the same round: the sourced calendar, then news,
# then a programme's own record.
PRIORITY = {"kalender": 0, "berita": 1, "program": 2}


@dataclass(frozen=True)
class Round:
    family: str
    year: int
    opens_on: date | None
    closes_on: date | None
    origin: str  # kalender | berita | program
    source_url: str | None = None
    title: str | None = None

    @property
    def dated(self) -> bool:
        return self.opens_on is not None or self.closes_on is not None


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def from_record(rec: Mapping, origin: str) -> Round | None:
    """A dated round from any mapping with title, funding_type, fiscal_year, opens_on, closes_on (and
    source_url); None without a year or a date (`merge` keeps only dated rounds)."""
    return from_fields(rec.get("title"), rec.get("funding_type"), rec.get("fiscal_year"), rec.get("opens_on"),
                       rec.get("closes_on"), rec.get("source_url"), origin)


def from_fields(title: str | None, funding_type: str | None, fiscal_year, opens_on, closes_on,
                source_url: str | None, origin: str) -> Round | None:
    """`from_record` of the values of ROUND_FIELDS in their order (a warehouse row as it comes); the dates
    are checked first: the family is the costly part."""
    opens_on, closes_on = _date(opens_on), _date(closes_on)
    if opens_on is None and closes_on is None:
        return None
    title = title or ""
    year = round_year(title, fiscal_year)
    if year is None:
        return None
    return Round(family(title, funding_type), year, opens_on, closes_on, origin, source_url, title)


def merge(rounds: Iterable[Round | None]) -> dict[tuple[str, int], Round]:
    """One dated round per (family, year): the best origin, then the earliest opening."""
    best: dict[tuple[str, int], Round] = {}
    for r in rounds:
        if r is None or not r.dated:
            continue
        key = (r.family, r.year)
        old = best.get(key)
        if old is None or (PRIORITY[r.origin], r.opens_on or date.max) < (PRIORITY[old.origin],
                                                                          old.opens_on or date.max):
            best[key] = r
    return best


def calendar_records(directory: Path = CALENDAR_DIR) -> list[dict]:
    """Entries of the curated calendar files (read only; kept by the sources team). As in the curated
    adapter, a date is a fact only with its `dates_source`: entries without one are left out."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            log.warning("calendar %s unreadable, skipped: %s", path, exc)
            continue
        for entry in doc.get("entries") or []:
            if isinstance(entry, dict) and str(entry.get("dates_source") or "").strip():
                out.append({**entry, "source_url": entry.get("source_url") or doc.get("source_url")})
    return out


def _stamps(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """(name, mtime, size) of the calendar files: what `_calendar_rounds` is cached by."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        st = path.stat()
        out.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


@lru_cache(maxsize=4)
def _calendar_rounds(directory: Path, stamps: tuple[tuple[str, int, int], ...]) -> tuple[Round | None, ...]:
    """The calendar files' rounds, read once per process while the files stay as they are (`stamps`)."""
    return tuple(from_record(r, "kalender") for r in calendar_records(directory))


ROUND_FIELDS = ("title", "funding_type", "fiscal_year", "opens_on", "closes_on", "source_url")


def _dated_rows(conn: Connection, table: Table) -> Sequence[Row]:
    """ROUND_FIELDS (in that order) of the rows of `table` (programmes, news: earlier rounds' announcements)
    with a date."""
    dated = or_(table.c.opens_on.is_not(None), table.c.closes_on.is_not(None))
    return conn.execute(select(*(table.c[c] for c in ROUND_FIELDS)).where(dated)).all()


def from_warehouse(engine: Engine, calendar_dir: Path = CALENDAR_DIR) -> dict[tuple[str, int], Round]:
    """Every dated round the system holds."""
    with engine.connect() as conn:
        current, announced = _dated_rows(conn, programmes), _dated_rows(conn, news)
        versions = [json.loads(r.data) for r in conn.execute(select(programme_versions.c.data))]
    found = list(_calendar_rounds(calendar_dir, _stamps(calendar_dir)))
    found += [from_fields(*r, "berita") for r in announced]
    found += [from_fields(*r, "program") for r in current]
    found += [from_record(r, "program") for r in versions if isinstance(r, dict)]
    return merge(found)
