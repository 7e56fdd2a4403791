"""Health checks: each fires on the fault it is about, and stays silent on a healthy week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from factories import W47, W48, add_innovation, add_match, add_opd, add_programme
from nyengget import monitoring
from nyengget.notify import outbox
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline.health import alerts_for
from nyengget.warehouse.schema import outbox as outbox_table
from nyengget.warehouse.schema import quarantine, source_runs
from nyengget.weekly.build import build_week


def _source_run(engine, source: str, week: date, parsed: int, health_: str = "ok", message: str = "") -> None:
    with engine.begin() as conn:
        conn.execute(source_runs.insert().values(source=source, week_start=week, parsed=parsed, health=health_,
                                                 message=message, fetched=1))


def _healthy_week(engine) -> None:
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_innovation(engine, "I1", "Gardu Jaga", "DINKES")
    add_programme(engine, "P1", "Hibah Air Limbah", opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 4))
    add_match(engine, W48, "I1", "P1")
    build_week(engine, W48)
    for week in (W47 - timedelta(days=14), W47 - timedelta(days=7), W47, W48):
        _source_run(engine, "ann_a", week, 10)


def test_a_healthy_week_raises_nothing(any_engine):
    _healthy_week(any_engine)
    assert monitoring.run_checks(any_engine, W48, ["ann_a"]) == []


def test_each_check_fires_on_its_fault(any_engine):
    _healthy_week(any_engine)
    _source_run(any_engine, "ann_b", W48, 0, "unhealthy", "HTTP 500 after 3 tries")
    _source_run(any_engine, "ann_c", W48 - timedelta(days=28), 5)
    with any_engine.begin() as conn:
        conn.execute(source_runs.update().where(source_runs.c.source == "ann_a")
                     .where(source_runs.c.week_start == W48).values(parsed=3))
        conn.execute(quarantine.insert(), [{"kind": "programme", "source": "ann_a", "reason_id": "x", "reason_en": "x",
                                            "week_start": W48, "created_at": datetime.now(UTC)} for _ in range(12)])
    problems = {p.key for p in monitoring.run_checks(any_engine, W48, ["ann_a", "ann_b", "ann_c"])}
    assert {"source_health:ann_b", "freshness:ann_b", "freshness:ann_c", "row_count:ann_a",
            "quarantine:programmes"} <= problems


def test_unsent_email_is_reported(engine):
    assert [p for p in monitoring.run_checks(engine, W48, []) if p.check == "outbox"] == []
    with engine.begin() as conn:
        conn.execute(outbox_table.insert().values(week_start=W48, recipient="a@example.go.id", kind="opd_digest",
                                                  subject="s", message="m", status="failed", attempts=5,
                                                  last_error="SMTPRecipientsRefused"))
    outbox_problem = [p for p in monitoring.run_checks(engine, W48, []) if p.check == "outbox"]
    assert outbox_problem and outbox_problem[0].numbers["failed"] == 1


def test_one_alert_per_problem_sent_once(engine, tmp_path):
    problems = monitoring.run_checks(engine, W48, ["ann_x"])
    delivery = FileDelivery(tmp_path / "alerts")
    assert outbox.queue(engine, alerts_for(problems, W48, "http://airflow/run"))[0] == len(problems)
    assert outbox.send_pending(engine, delivery, W48).sent == len(problems)
    assert outbox.queue(engine, alerts_for(problems, W48, "http://airflow/run"))[0] == 0  # a rerun
    files = list((tmp_path / "alerts").glob("*.eml"))
    assert len(files) == len(problems) and "freshness" in "".join(f.read_text() for f in files)
