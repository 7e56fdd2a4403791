"""Weekly partitions: replace exactly one week of a table inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select, text


def _region(table: Table, region_code: str | None) -> str | None:
    """The partition's region for a region-keyed table (default: the default region), else None."""
    if "region_code" not in table.c:
        return None
    if region_code is None:
        from nyengget.regions import default_region

        return default_region().code
    return region_code


def _partition(table: Table, week_start: date, region_code: str | None):
    where = table.c.week_start == week_start
    return where if region_code is None else where & (table.c.region_code == region_code)


def replace_week(conn: Connection, table: Table, week_start: date, rows: Iterable[Mapping[str, Any]],
                 *, region_code: str | None = None) -> int:
    """Delete `table`'s rows for `week_start` (and, in a region-keyed table, `region_code`; default: the
    default region), then insert `rows`; returns the number inserted. Other regions' weeks are untouched.

    Run it inside `engine.begin()`: readers see the old week or the new one, never a mix.
    """
    region_code = _region(table, region_code)
    extra = {} if region_code is None else {"region_code": region_code}
    rows = [dict(r, week_start=week_start, **extra) for r in rows]
    if conn.dialect.name == "postgresql":  # two rebuilds of one week at once: the second waits, then replaces
        key = f"{table.name}:{week_start}" + (f":{region_code}" if region_code else "")
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
    conn.execute(delete(table).where(_partition(table, week_start, region_code)))
    if rows:
        conn.execute(table.insert(), rows)
    return len(rows)


def count_week(conn: Connection, table: Table, week_start: date, *, region_code: str | None = None) -> int:
    """Rows of the week (of one region when `region_code` is given; of every region otherwise)."""
    where = _partition(table, week_start, region_code if "region_code" in table.c else None)
    return conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
