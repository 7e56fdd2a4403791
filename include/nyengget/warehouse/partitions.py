"""Weekly partitions: replace exactly one week of a table inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select, text


def replace_week(conn: Connection, table: Table, week_start: date, rows: Iterable[Mapping[str, Any]]) -> int:
    """Delete `table`'s rows for `week_start`, then insert `rows`; returns the number inserted.

    Run it inside `engine.begin()`: readers see the old week or the new one, never a mix.
    """
    rows = [dict(r, week_start=week_start) for r in rows]
    if conn.dialect.name == "postgresql":  # two rebuilds of one week at once: the second waits, then replaces
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"{table.name}:{week_start}"})
    conn.execute(delete(table).where(table.c.week_start == week_start))
    if rows:
        conn.execute(table.insert(), rows)
    return len(rows)


def count_week(conn: Connection, table: Table, week_start: date) -> int:
    return conn.execute(select(func.count()).select_from(table).where(table.c.week_start == week_start)).scalar_one()
