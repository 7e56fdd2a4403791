"""The real pipeline on CeleryExecutor (PostgreSQL + Redis, two workers), triggered through the REST API,
and the faults it must survive without losing or duplicating anything."""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from cluster import cluster
from nyengget.warehouse.db import make_engine
from nyengget.warehouse.schema import matches, nyengget_weekly, outbox, programmes, source_runs
from smtp_inbox import Inbox, SmtpSwitch

WEEK, W48 = "2026-W48", date(2026, 11, 23)
NEXT, W49 = "2026-W49", date(2026, 11, 30)
pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def smtp():
    switch = SmtpSwitch(Inbox())
    switch.start()
    yield switch
    switch.stop()


@pytest.fixture(scope="module")
def running(tmp_path_factory, smtp):
    with cluster(tmp_path_factory.mktemp("dist"), WEEK, smtp.url) as c:
        engine = make_engine(c.warehouse_url)  # pre-ping: survives the PostgreSQL restart below
        yield c, engine
        engine.dispose()


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_week_through_the_api_on_two_celery_workers(running, smtp):
    c, engine = running
    runs = {
        "nyengget_innovations": c.trigger("nyengget_innovations", "2026-11-23T03:00:00+07:00", WEEK),
        "nyengget_programmes": c.trigger("nyengget_programmes", "2026-11-23T04:00:00+07:00", WEEK),
    }
    c.unpause("nyengget_match", *runs)
    for dag_id, run_id in runs.items():
        assert c.wait_run(dag_id, run_id, timeout=420) == "success", c.task_states(dag_id, run_id)
    match_runs = c.wait_quiet("nyengget_match", timeout=300)  # triggered by the two assets
    assert match_runs and all(r["state"] == "success" for r in match_runs)
    assert _count(engine, matches, matches.c.week_start == W48) > 0
    weekly = c.trigger("nyengget_weekly", "2026-11-23T06:00:00+07:00", WEEK)
    c.unpause("nyengget_weekly")
    assert c.wait_run("nyengget_weekly", weekly, timeout=300) == "success", c.task_states("nyengget_weekly", weekly)

    assert _count(engine, programmes) >= 100
    assert _count(engine, source_runs, source_runs.c.week_start == W48, source_runs.c.health != "unhealthy") >= 20
    assert _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == W48) >= 50
    sent = _count(engine, outbox, outbox.c.week_start == W48, outbox.c.status == "sent")
    assert sent >= 5 and sent == len(smtp.inbox.messages)
    assert max(Counter(smtp.inbox.recipients()).values()) == 1  # nobody got the week twice
    executed = {name: c.log(name).count("Executing workload") for name in ("worker1", "worker2")}
    assert all(n > 0 for n in executed.values()), executed  # both workers took tasks


def test_smtp_down_for_the_whole_send_then_everything_goes_out_once(running, smtp):
    c, engine = running
    received = len(smtp.inbox.messages)
    smtp.stop()
    # Week 49 built from the same data (a logical date in the past; the conf names the week).
    run_id = c.trigger("nyengget_weekly", "2026-11-23T06:30:00+07:00", NEXT)
    assert c.wait_run("nyengget_weekly", run_id, timeout=300) == "failed"
    assert c.task_states("nyengget_weekly", run_id)["send_emails"] == "failed"
    queued = _count(engine, outbox, outbox.c.week_start == W49)
    assert queued >= 5
    assert _count(engine, outbox, outbox.c.week_start == W49, outbox.c.status == "sent") == 0
    assert len(smtp.inbox.messages) == received  # nothing went out, nothing was lost

    smtp.start()
    c.clear_failed("nyengget_weekly", run_id)  # the next run: only the failed task again
    assert c.wait_run("nyengget_weekly", run_id, timeout=300) == "success"
    assert _count(engine, outbox, outbox.c.week_start == W49, outbox.c.status == "sent") == queued
    new = smtp.inbox.messages[received:]
    assert len(new) == queued
    assert max(Counter(str(m["To"]) for m in new).values()) == 1


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
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    _service("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")


def test_redis_unavailable_for_a_while(running, smtp):
    c, engine = running
    stop_redis()
    try:  # down for longer than the first retry delay (10 s in this cluster; 60 s by default)
        run_id = c.trigger("nyengget_weekly", "2026-11-23T06:40:00+07:00", "2026-W50")
        time.sleep(12)
    finally:
        start_redis()
    assert c.wait_run("nyengget_weekly", run_id, timeout=420) == "success", c.task_states("nyengget_weekly", run_id)
    assert _count(engine, nyengget_weekly, nyengget_weekly.c.week_start == date(2026, 12, 7)) >= 50


def test_postgres_restarted_during_a_run(running, smtp):
    c, engine = running
    before = _count(engine, outbox)
    run_id = c.trigger("nyengget_programmes", "2026-11-23T04:20:00+07:00", WEEK)
    c.wait("an ingest task running", lambda: "running" in c.task_states("nyengget_programmes", run_id).values(),
           timeout=180, every=1)
    restart_postgres()
    assert c.wait_run("nyengget_programmes", run_id, timeout=600) == "success", \
        c.task_states("nyengget_programmes", run_id)
    assert _count(engine, programmes) >= 100
    with engine.connect() as conn:  # the rerun of the week changed nothing it should not
        dupes = conn.execute(select(source_runs.c.source).group_by(source_runs.c.source, source_runs.c.week_start)
                             .having(func.count() > 1)).all()
    assert dupes == []
    assert _count(engine, outbox) == before
