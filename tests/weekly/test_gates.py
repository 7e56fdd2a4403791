"""Quality gates: the common-sql check operators of the weekly DAG, one region at a time, run on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from airflow.sdk.exceptions import AirflowFailException
from sqlalchemy import update

from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget.orchestration.dag_support import ensure_warehouse_connection, quality_gates
from nyengget.warehouse.schema import nyengget_weekly, programmes
from nyengget.weekly.build import build_week

SERANG, CILEGON = "36.73", "36.72"  # the sample regions.yaml (Kota Serang is the default region)


@pytest.fixture
def warehouse(any_engine, monkeypatch):
    """The gates' connection points at the test's warehouse, the way `pre_execute` sets it in a task."""
    monkeypatch.setenv("NYENGGET_WAREHOUSE_URL", any_engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("AIRFLOW_CONN_NYENGGET_WAREHOUSE", raising=False)
    ensure_warehouse_connection()
    return any_engine


def _week(engine) -> None:
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_innovation(engine, "I1", "Gardu Jaga", "DINKES")
    add_innovation(engine, "I2", "Posyandu Digital", "DINKES")
    add_programme(engine, "P1", "Hibah Air Limbah", opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 4))
    add_programme(engine, "P2", "Bantuan Sarana Puskesmas")
    add_programme(engine, "P9", "Jendela terbalik, tidak masuk daftar", ceiling_idr=-5,  # not listed this week
                  opens_on=date(2026, 12, 10), closes_on=date(2026, 12, 1))
    for iid in ("I1", "I2"):
        add_match(engine, W48, iid, "P1")
        add_match(engine, W48, iid, "P2", rank=2, score=0.5)
    build_week(engine, W48)


def _cilegon(engine, programme: str = "P2") -> None:
    """Kota Cilegon's own OPD, innovation and a match to `programme` (a sound list of one row)."""
    add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@cilegonkota.example.go.id", region_code=CILEGON)
    add_innovation(engine, "C1", "Bank Sampah Digital", "DLH", region_code=CILEGON)
    add_match(engine, W48, "C1", programme, region_code=CILEGON)
    build_week(engine, W48, region_code=CILEGON)


def failed_gates(week: date = W48, region: str = SERANG) -> dict[str, str]:
    failed = {}
    for gate in quality_gates(week.isoformat(), region):
        try:
            gate.execute({})
        except AirflowFailException as exc:  # retry_on_failure=False: no retries for a failed rule
            failed[gate.task_id] = str(exc)
    return failed


def test_a_sound_week_passes_every_gate(warehouse):
    _week(warehouse)
    assert failed_gates() == {}


def test_an_empty_week_fails(warehouse):
    _week(warehouse)
    assert "gate_weekly_rows" in failed_gates(date(2026, 11, 30))


@pytest.mark.parametrize(("table", "values", "gate"), [
    (programmes, {"ceiling_idr": -1}, "gate_programmes"),
    (programmes, {"opens_on": date(2026, 12, 10), "closes_on": date(2026, 12, 1)}, "gate_programme_dates"),
    (programmes, {"closes_on": date(9999, 1, 1)}, "gate_programme_dates"),
    (programmes, {"title": "  "}, "gate_programme_dates"),
    (nyengget_weekly, {"score": 1.5}, "gate_weekly_rows"),
    (nyengget_weekly, {"rank": 0}, "gate_weekly_rows"),
    (nyengget_weekly, {"opd_code": None}, "gate_weekly_rows"),
])
def test_each_rule_holds_the_week(warehouse, table, values, gate):
    _week(warehouse)
    key = table.c.programme_id == "P1"
    with warehouse.begin() as conn:
        conn.execute(update(table).where(key).values(**values))
    failed = failed_gates()
    assert list(failed) == [gate], failed


def test_each_region_is_gated_on_its_own_rows(warehouse):
    """A row of Kota Serang breaking "scores in [0, 1]" fails Serang's gate only; Cilegon's list passes."""
    _week(warehouse)
    _cilegon(warehouse)
    with warehouse.begin() as conn:
        conn.execute(update(nyengget_weekly).where(nyengget_weekly.c.region_code == SERANG,
                                                   nyengget_weekly.c.innovation_id == "I1").values(score=1.5))
    assert list(failed_gates(region=SERANG)) == ["gate_weekly_rows"]
    assert failed_gates(region=CILEGON) == {}


def test_programme_gates_cover_the_programmes_listed_for_the_region(warehouse):
    """A programme listed only for Kota Cilegon with a negative ceiling holds Cilegon, not Serang."""
    _week(warehouse)
    add_programme(warehouse, "P3", "Hibah Bank Sampah", ceiling_idr=-1)
    _cilegon(warehouse, programme="P3")
    assert list(failed_gates(region=CILEGON)) == ["gate_programmes"]
    assert failed_gates(region=SERANG) == {}


def test_a_region_without_rows_fails_its_gate(warehouse):
    _week(warehouse)  # Kota Serang's list only
    assert "gate_weekly_rows" in failed_gates(region=CILEGON)
