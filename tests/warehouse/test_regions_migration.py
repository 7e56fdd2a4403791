"""Migration i17_regions: rows stored at `news_windows` survive, now keyed by the default region."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, MetaData, Table, inspect, select, text
from sqlalchemy.exc import IntegrityError

from nyengget.warehouse.db import make_engine, upgrade
from nyengget.warehouse.schema import metadata

W = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ROWS = {  # one or two rows per region-owned table, in the columns of the `news_windows` schema
    "opds": [{"opd_code": "DINKES", "name": "Dinas Kesehatan", "paused": False},
             {"opd_code": "DLH", "name": "Dinas Lingkungan Hidup", "paused": True}],
    "innovations": [{"innovation_id": "SRG-001", "name": "Gardu Jaga", "opd": "Dinkes", "opd_code": "DINKES",
                     "active": True, "content_hash": "h1"}],
    "matches": [{"week_start": W, "innovation_id": "SRG-001", "programme_id": "P1", "rank": 1, "score": 0.5,
                 "reasons": "r"}],
    "nyengget_weekly": [{"week_start": W, "innovation_id": "SRG-001", "programme_id": "P1", "rank": 1,
                         "score": 0.5, "reasons": "r", "opd_code": "DINKES", "is_new": True,
                         "is_changed": False, "closing_soon": False}],
    "outbox": [{"week_start": W, "recipient": "a@example.go.id", "kind": "planner_summary", "subject": "s",
                "message": "m", "status": "sent", "attempts": 1}],
    "review_feedback": [{"week_start": W, "innovation_id": "SRG-001", "programme_id": "P1",
                         "status": "tidak_relevan", "reason": "bukan_kewenangan", "actor": "perencana",
                         "created_at": NOW}],
    "tkdd_allocations": [{"source": "djpk", "pemda": "Kota Serang", "region_code": "28.07", "fiscal_year": 2026,
                          "kodeakun": "4.2", "account": "DAK", "anggaran": 10, "week_start": W}],
}


def _insert(engine: Engine) -> None:
    with engine.begin() as conn:
        for table, rows in ROWS.items():
            for row in rows:
                cols = ", ".join(row)
                conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(':' + c for c in row)})"), row)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_engine(request, tmp_path):
    """A warehouse at `news_windows` (the schema before regions)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    else:
        admin = make_engine(request.getfixturevalue("pg_database"))
        with admin.begin() as conn:  # a schema of its own: the session database is at head already
            conn.execute(text("DROP SCHEMA IF EXISTS i17_migration CASCADE"))
            conn.execute(text("CREATE SCHEMA i17_migration"))
        admin.dispose()
        from sqlalchemy import create_engine

        engine = create_engine(request.getfixturevalue("pg_database"),
                               connect_args={"options": "-csearch_path=i17_migration"})
    upgrade(engine, "news_windows")
    yield engine
    engine.dispose()


def test_upgrade_keeps_every_row_under_the_default_region(old_engine):
    _insert(old_engine)
    upgrade(old_engine)
    with old_engine.connect() as conn:
        for table, rows in ROWS.items():
            reflected = Table(table, MetaData(), autoload_with=conn)  # typed: dates come back as dates
            stored = conn.execute(select(reflected).order_by(*reflected.primary_key.columns)).mappings().all()
            assert len(stored) == len(rows), table
            assert {r["region_code"] for r in stored} == {"36.73"}, table
            for before, after in zip(rows, stored, strict=True):
                expected = {("djpk_code" if k == "region_code" else k): v for k, v in before.items()}
                assert {k: after[k] for k in expected} == expected, table
    assert inspect(old_engine).get_pk_constraint("opds")["constrained_columns"] == ["region_code", "opd_code"]
    assert {t.name for t in metadata.sorted_tables} <= set(inspect(old_engine).get_table_names())


def test_after_upgrade_two_regions_may_share_an_opd_code_but_one_region_not_twice(old_engine):
    _insert(old_engine)
    upgrade(old_engine)
    insert = text("INSERT INTO opds (region_code, opd_code, name, paused) VALUES (:r, 'DINKES', 'Dinkes', false)")
    with old_engine.begin() as conn:
        conn.execute(insert, {"r": "36.72"})
    with pytest.raises(IntegrityError), old_engine.begin() as conn:
        conn.execute(insert, {"r": "36.73"})


def test_downgrade_restores_the_single_region_schema(old_engine):
    _insert(old_engine)
    upgrade(old_engine)
    from alembic import command

    from nyengget.warehouse.db import alembic_config

    command.downgrade(alembic_config(old_engine), "news_windows")
    with old_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM opds")).scalar_one() == 2
        assert conn.execute(text("SELECT region_code FROM tkdd_allocations")).scalar_one() == "28.07"
