"""The warehouse layer, the same tests on SQLite and on the real PostgreSQL service."""

from datetime import date

import pytest
from sqlalchemy import inspect, select

from nyengget.warehouse.db import upgrade
from nyengget.warehouse.partitions import count_week, replace_week
from nyengget.warehouse.schema import matches, metadata

W1, W2 = date(2026, 11, 16), date(2026, 11, 23)


def _row(iid: str, pid: str, rank: int = 1) -> dict:
    return {"innovation_id": iid, "programme_id": pid, "rank": rank, "score": 0.5, "reasons": "r"}


def test_upgrade_creates_every_table(any_engine):
    tables = set(inspect(any_engine).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables
    for required in ("programmes", "programme_versions", "source_runs", "innovations", "opds", "quarantine",
                     "matches", "nyengget_weekly", "outbox", "review_feedback"):
        assert required in tables


def test_upgrade_again_keeps_data(any_engine):
    with any_engine.begin() as conn:
        replace_week(conn, matches, W1, [_row("I1", "P1")])
    upgrade(any_engine)
    with any_engine.connect() as conn:
        assert count_week(conn, matches, W1) == 1


def test_replace_week_touches_only_that_week(any_engine):
    with any_engine.begin() as conn:
        replace_week(conn, matches, W1, [_row("I1", "P1"), _row("I1", "P2", 2)])
        replace_week(conn, matches, W2, [_row("I1", "P1")])
    with any_engine.begin() as conn:
        replace_week(conn, matches, W1, [_row("I9", "P9")])
    with any_engine.connect() as conn:
        w1 = conn.execute(select(matches.c.innovation_id).where(matches.c.week_start == W1)).scalars().all()
        assert w1 == ["I9"]
        assert count_week(conn, matches, W2) == 1


def test_failed_write_leaves_the_old_partition(any_engine):
    with any_engine.begin() as conn:
        replace_week(conn, matches, W1, [_row("I1", "P1"), _row("I1", "P2", 2)])
    with pytest.raises(RuntimeError), any_engine.begin() as conn:
        replace_week(conn, matches, W1, [_row("I5", "P5")])
        raise RuntimeError("task killed half-way")
    with any_engine.connect() as conn:
        rows = conn.execute(select(matches.c.programme_id).where(matches.c.week_start == W1)).scalars().all()
    assert sorted(rows) == ["P1", "P2"]


def test_duplicate_rows_in_a_partition_are_refused_whole(any_engine):
    with any_engine.begin() as conn:
        replace_week(conn, matches, W1, [_row("I1", "P1")])
    with pytest.raises(Exception, match="(?i)unique|duplicate"), any_engine.begin() as conn:
        replace_week(conn, matches, W1, [_row("I2", "P2"), _row("I2", "P2")])
    with any_engine.connect() as conn:
        assert conn.execute(select(matches.c.innovation_id)).scalars().all() == ["I1"]
