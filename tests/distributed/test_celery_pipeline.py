"""The real pipeline on CeleryExecutor (PostgreSQL + Redis, two workers), triggered through the REST API,
and the faults it must survive without losing or duplicating anything.

The cluster has no time schedules (NYENGGET_TIME_SCHEDULES=off): every run is one these tests trigger or
one that the asset events of those runs cause, so the machine's date changes nothing.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select, update

from cluster import BROKEN, cluster
from nyengget.sources.registry import list_sources
from nyengget.warehouse.db import make_engine
from nyengget.warehouse.schema import matches, nyengget_weekly, outbox, programmes, source_runs
from smtp_inbox import Inbox, SmtpSwitch

W48, W49, W50 = date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7)
ALERTS = "data-engineer@bappeda.example.go.id"
SERANG, CILEGON = "36.73", "36.72"  # the sample regions.yaml, in its order (the weekly DAG's map indexes)
NOT_ALERT = ~outbox.c.kind.startswith("alert")  # health's own alerts go through the outbox too
pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def smtp():
    switch = SmtpSwitch(Inbox())
    switch.start()
    yield switch
    switch.stop()


@pytest.fixture(scope="module")
def running(tmp_path_factory, smtp):
    with cluster(tmp_path_factory.mktemp("dist"), "2026-W48", smtp.url) as c:
        engine = make_engine(c.warehouse_url)  # pre-ping: survives the PostgreSQL restart below
        yield c, engine
        engine.dispose()


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def _label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _at(monday: date, hour: int) -> str:
    """A logical date for the week's run: on the recorded Monday (W48), never after it, since the
    scheduler does not start runs dated in the future; each week gets its own minute. The conf names the week."""
    minute = (monday - W48).days // 7 * 5
    return f"{W48.isoformat()}T{hour:02d}:{minute:02d}:00+07:00"


def ingest(c, monday: date, *, then=None) -> tuple[str, str]:
    """Innovations, then programmes for the week (`then()` runs between the two); the programmes run and state."""
    inno = c.trigger("nyengget_innovations", _at(monday, 3), _label(monday))
    assert c.wait_run("nyengget_innovations", inno, timeout=300) == "success"
    if then:
        then()
    prog = c.trigger("nyengget_programmes", _at(monday, 4), _label(monday))
    return prog, c.wait_run("nyengget_programmes", prog, timeout=600)


def alerts(smtp, about: str) -> list:
    return [m for m in smtp.inbox.messages if str(m["To"]) == ALERTS and about in str(m["Subject"])]


def digests(smtp) -> list:
    return [m for m in smtp.inbox.messages if str(m["To"]) != ALERTS]


def test_a_week_through_assets_on_two_celery_workers_with_a_broken_source_and_late_programmes(running, smtp):
    c, engine = running
    known = {d: c.run_ids(d) for d in ("nyengget_match", "nyengget_weekly", "nyengget_health")}

    def programmes_late():  # innovations are in, programmes 20 s late: nothing may start without them
        time.sleep(20)
        assert c.run_ids("nyengget_match") == known["nyengget_match"]
        assert c.run_ids("nyengget_weekly") == known["nyengget_weekly"]

    prog_run, prog_state = ingest(c, W48, then=programmes_late)

    # One broken source: the run is failed (watcher), every other source ingested, one alert about it.
    assert prog_state == "failed"
    tasks = c.task_states("nyengget_programmes", prog_run)
    assert tasks[f"ingest_{BROKEN}"] == "failed" and tasks["watcher"] == "failed" and tasks["publish"] == "success"
    assert all(s == "success" for t, s in tasks.items() if t.startswith("ingest_") and t != f"ingest_{BROKEN}"), tasks
    assert c.task_instances("nyengget_programmes", prog_run)[f"ingest_{BROKEN}"]["try_number"] == 1

    match_run, match_state = c.wait_new_run("nyengget_match", known["nyengget_match"], timeout=300)
    assert match_state == "success"
    weekly_run, weekly_state = c.wait_new_run("nyengget_weekly", known["nyengget_weekly"], timeout=420)
    assert weekly_state == "success", c.task_states("nyengget_weekly", weekly_run)
    match_ti = c.task_instances("nyengget_match", match_run)["match"]
    prog_publish = c.task_instances("nyengget_programmes", prog_run)["publish"]
    assert match_ti["start_date"] >= prog_publish["end_date"]  # matching waited for the late programmes

    assert _count(engine, programmes) >= 100
    shipped = len(list_sources())  # the test process reads the shipped file; the cluster has one more, broken
    assert _count(engine, source_runs, source_runs.c.week_start == W48, source_runs.c.health != "unhealthy") == shipped
    assert _count(engine, matches, matches.c.week_start == W48) > 0
    assert _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == W48) >= 50
    stale = _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == W48,
                   nyengget_weekly.c.programme_id.in_(select(programmes.c.programme_id)
                                                      .where(programmes.c.last_seen < W48)))
    assert stale == 0  # the list holds this week's programmes

    sent = _count(engine, outbox, outbox.c.week_start == W48, outbox.c.status == "sent", NOT_ALERT)
    assert sent >= 5 and sent == len(digests(smtp))
    assert max(Counter(str(m["To"]) for m in digests(smtp)).values()) == 1  # nobody got the week twice
    assert len(alerts(smtp, f"ingest_{BROKEN} failed")) == 1
    executed = {name: c.log(name).count("Executing workload") for name in ("worker1", "worker2")}
    assert all(n > 0 for n in executed.values()), executed  # both workers took tasks

    health_run, health_state = c.wait_new_run("nyengget_health", known["nyengget_health"], timeout=300)
    assert health_state == "success"
    sent_at = c.task_instances("nyengget_weekly", weekly_run)["published"]["end_date"]  # after every region sent
    assert c.task_instances("nyengget_health", health_run)["check"]["start_date"] >= sent_at


def test_smtp_down_for_the_whole_send_then_everything_goes_out_once(running, smtp):
    c, engine = running
    received = len(smtp.inbox.messages)
    known = c.run_ids("nyengget_weekly")
    smtp.stop()
    try:
        ingest(c, W49)
        run_id, state = c.wait_new_run("nyengget_weekly", known, timeout=600)
        assert state == "failed"
        assert c.task_states("nyengget_weekly", run_id)["region_week.send_emails"] == "failed"
        # W49 rebuilt from W48's data: the planners' summary, plus a digest for each OPD with something
        # to act on as of the send date (issue 16), so how many depends on the date it runs, never zero
        queued = _count(engine, outbox, outbox.c.week_start == W49, NOT_ALERT)
        assert queued >= 1
        assert _count(engine, outbox, outbox.c.week_start == W49, outbox.c.status == "sent", NOT_ALERT) == 0
        with engine.connect() as conn:  # an alert row marked sent while the server was down would be a lie
            marked = conn.execute(select(outbox.c.kind, outbox.c.recipient).where(
                outbox.c.week_start == W49, outbox.c.status == "sent")).all()
        assert len(smtp.inbox.messages) == received, marked  # nothing went out, nothing was lost
    finally:
        smtp.start()  # a failure here must not leave the later tests without a mail server
    c.clear_failed("nyengget_weekly", run_id)  # the next run: only the failed task again
    assert c.wait_run("nyengget_weekly", run_id, timeout=300) == "success"
    assert _count(engine, outbox, outbox.c.week_start == W49, outbox.c.status == "sent", NOT_ALERT) == queued
    new = [m for m in smtp.inbox.messages[received:] if str(m["To"]) != ALERTS]
    assert len(new) == queued
    assert max(Counter(str(m["To"]) for m in new).values()) == 1


def test_a_failed_quality_gate_holds_only_its_regions_emails_and_alerts_once(running, smtp):
    """Kota Serang's list breaks "scores in [0, 1]": its emails are held with one alert naming it; Kota
    Cilegon's go out."""
    c, engine = running
    c.wait_quiet("nyengget_health")  # W49's health run (after the previous test) has sent its alerts
    serang = (matches.c.week_start == W49) & (matches.c.region_code == SERANG)
    with engine.begin() as conn:  # W49 as if never mailed, with one of Serang's matches breaking a rule
        conn.execute(outbox.delete().where(outbox.c.week_start == W49))
        pair = conn.execute(select(matches.c.innovation_id, matches.c.programme_id, matches.c.score)
                            .where(serang).limit(1)).one()
        one = serang & (matches.c.innovation_id == pair.innovation_id) & (matches.c.programme_id == pair.programme_id)
        conn.execute(update(matches).where(one).values(score=1.5))
    received = len(smtp.inbox.messages)
    try:
        run_id = c.trigger("nyengget_weekly", _at(W49, 6), _label(W49))
        assert c.wait_run("nyengget_weekly", run_id, timeout=300) == "failed"  # the watcher: Serang was held
        tis = c.mapped_instances("nyengget_weekly", run_id)
        states = {k: t["state"] for k, t in tis.items()}
        assert states["region_week.gate_weekly_rows[0]"] == "failed", states  # index 0: Serang, 1: Cilegon
        assert tis["region_week.gate_weekly_rows[0]"]["try_number"] == 1  # no retries
        assert states["region_week.queue_emails[0]"] == "upstream_failed"
        assert states["region_week.hold_emails[0]"] == "success"
        assert states["region_week.send_emails[1]"] == "success" and states["region_week.hold_emails[1]"] == "skipped"
        assert states["published[-1]"] == "success" and states["watcher[-1]"] == "failed"
        assert _count(engine, outbox, outbox.c.week_start == W49, outbox.c.region_code == SERANG, NOT_ALERT) == 0
        sent = _count(engine, outbox, outbox.c.week_start == W49, outbox.c.region_code == CILEGON,
                      outbox.c.status == "sent", NOT_ALERT)
        assert sent >= 1
        held = [m for m in smtp.inbox.messages[received:] if "quality gates failed" in str(m["Subject"])]
        assert [str(m["To"]) for m in held] == [ALERTS], [str(m["Subject"]) for m in held]
        assert "Kota Serang (36.73)" in str(held[0]["Subject"]) and "gate_weekly_rows" in held[0].as_string()
    finally:
        with engine.begin() as conn:
            conn.execute(update(matches).where(one).values(score=pair.score))
        c.wait_quiet("nyengget_health")  # the health run Cilegon's published week woke is over


def _service(*cmd: str) -> None:
    subprocess.run(list(cmd), check=False, capture_output=True, timeout=120)


def stop_redis() -> None:
    _service("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave")


def start_redis() -> None:
    _service("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
             "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
            return
        time.sleep(0.5)
    raise RuntimeError("Redis did not come back")


def restart_postgres() -> None:
    """The machine's cluster, or the command NYENGGET_TEST_PG_RESTART names (the time-shifted server)."""
    if command := os.environ.get("NYENGGET_TEST_PG_RESTART"):
        subprocess.run(command, shell=True, check=False, capture_output=True, timeout=120)
        return
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    _service("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")


def test_redis_unavailable_for_a_while(running, smtp):
    c, engine = running
    known = c.run_ids("nyengget_weekly")
    inno = c.trigger("nyengget_innovations", _at(W50, 3), _label(W50))
    assert c.wait_run("nyengget_innovations", inno, timeout=300) == "success"
    stop_redis()
    try:  # down for longer than the first retry delay (10 s in this cluster; 60 s by default)
        prog = c.trigger("nyengget_programmes", _at(W50, 4), _label(W50))
        time.sleep(12)
    finally:
        start_redis()
    c.wait_run("nyengget_programmes", prog, timeout=600)
    tasks = c.task_states("nyengget_programmes", prog)
    assert all(s == "success" for t, s in tasks.items() if t.startswith("ingest_") and t != f"ingest_{BROKEN}"), tasks
    run_id, state = c.wait_new_run("nyengget_weekly", known, timeout=600)
    assert state == "success", c.task_states("nyengget_weekly", run_id)
    assert _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == W50) >= 50


def test_postgres_restarted_during_a_run(running, smtp):
    c, engine = running
    c.wait_quiet("nyengget_health")
    before = _count(engine, outbox, NOT_ALERT)
    known = c.run_ids("nyengget_match")
    run_id = c.trigger("nyengget_programmes", "2026-11-23T04:20:00+07:00", "2026-W48")
    c.wait("an ingest task running", lambda: "running" in c.task_states("nyengget_programmes", run_id).values(),
           timeout=180, every=1)
    restart_postgres()
    c.wait_run("nyengget_programmes", run_id, timeout=600)
    tasks = c.task_states("nyengget_programmes", run_id)
    assert all(s == "success" for t, s in tasks.items() if t.startswith("ingest_") and t != f"ingest_{BROKEN}"), tasks
    assert _count(engine, programmes) >= 100
    with engine.connect() as conn:  # the rerun of the week changed nothing it should not
        dupes = conn.execute(select(source_runs.c.source).group_by(source_runs.c.source, source_runs.c.week_start)
                             .having(func.count() > 1)).all()
    assert dupes == []
    time.sleep(10)
    assert c.run_ids("nyengget_match") == known  # programmes alone (no innovations of the week) match nothing
    assert _count(engine, outbox, NOT_ALERT) == before
