"""Several senders at once (two weekly runs, health, reminders, a flush) against a real SMTP server:
each email arrives exactly once; a sender killed mid-send is taken over with the same Message-ID."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, timedelta
from pathlib import Path

from sqlalchemy import select

from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget.notify import outbox
from nyengget.notify.delivery import SmtpDelivery
from nyengget.warehouse.schema import outbox as outbox_table
from nyengget.weekly import feedback
from smtp_inbox import Inbox, smtp_server

WORKER = Path(__file__).with_name("outbox_worker.py")
SHARED = "sekretariat@serangkota.example.go.id"
N_OPDS = 8


class SlowInbox(Inbox):
    """Takes `delay` seconds per message, so that concurrent senders overlap; `stall` blocks the first one."""

    def __init__(self, delay: float = 0.05, stall: float = 0.0) -> None:
        super().__init__()
        self.delay, self.stall, self.seen_ids = delay, stall, []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.seen_ids.append(next(line for line in envelope.content.decode().splitlines()
                                  if line.lower().startswith("message-id:")).split(":", 1)[1].strip())
        await asyncio.sleep(self.stall if len(self.seen_ids) == 1 and self.stall else self.delay)
        return await super().handle_DATA(server, session, envelope)


def _seed(engine) -> None:
    for i in range(N_OPDS):
        code = f"OPD{i}"
        add_opd(engine, code, f"Dinas {i}", code, SHARED if i < 2 else f"opd{i}@serangkota.example.go.id")
        add_innovation(engine, f"I{i}", f"Inovasi {i}", code)
        add_programme(engine, f"P{i}", f"Hibah {i}", week=W48, closes_on=date(2026, 12, 1))
        add_match(engine, W48, f"I{i}", f"P{i}")
    feedback.record(engine, feedback.Decision(W48, "I3", "P3", "sedang_diusulkan", "bappeda"))  # a reminder


def _env(engine, home: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NYENGGET_MAIL_DELIVERY"}
    env.update(NYENGGET_WAREHOUSE_URL=engine.url.render_as_string(hide_password=False), NYENGGET_HOME=str(home),
               NYENGGET_SMTP_URL=f"smtp://127.0.0.1:{port}?timeout=30", NYENGGET_LINK_SECRET="t" * 40,
               PYTHONPATH=str(WORKER.parent), **extra)
    return env


def _start(role: str, go: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), role, str(go)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)



def test_concurrent_senders_deliver_each_email_exactly_once(any_engine, tmp_path):
    _seed(any_engine)
    inbox = SlowInbox()
    go = tmp_path / "go"
    with smtp_server(inbox) as port:
        env = _env(any_engine, tmp_path / "home", port)
        procs = [_start(role, go, env) for role in ("weekly", "weekly", "health", "reminders", "flush")]
        deadline = time.monotonic() + 120  # every process imports, then waits at the start line
        while len(list(tmp_path.glob("ready-*"))) < len(procs) and time.monotonic() < deadline:
            time.sleep(0.05)
        go.touch()
        outputs = [p.communicate(timeout=240)[0] for p in procs]
        assert [p.returncode for p in procs] == [0] * len(procs), "\n".join(outputs)
        time.sleep(0.5)
    with any_engine.connect() as conn:
        rows = conn.execute(select(outbox_table)).all()
    received = Counter(str(m["Message-ID"]) for m in inbox.messages)
    assert len(inbox.messages) == len(rows) and max(received.values()) == 1, received.most_common(3)
    assert set(received) == {r.message_id for r in rows}
    assert {r.status for r in rows} == {"sent"}
    digests = [r for r in rows if r.kind.startswith("opd_digest:")]
    assert len(digests) == N_OPDS and sum(r.recipient == SHARED for r in digests) == 2
    assert any(r.kind.startswith("reminder") for r in rows) and any(r.kind == "planner_summary" for r in rows)



def test_kill_9_mid_send_resends_with_the_same_message_id(any_engine, tmp_path):
    _seed(any_engine)
    inbox = SlowInbox(delay=0.0, stall=30)
    go = tmp_path / "go"
    with smtp_server(inbox) as port:
        env = _env(any_engine, tmp_path / "home", port, NYENGGET_OUTBOX_LEASE_SECONDS="60")
        proc = _start("weekly", go, env)
        go.touch()
        deadline = time.monotonic() + 90
        while not inbox.seen_ids and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert inbox.seen_ids, proc.communicate()[0] if proc.poll() is not None else "no message reached DATA"
        os.kill(proc.pid, signal.SIGKILL)  # mid-send: the server has the data, the sender never saw the 250
        proc.wait()
        first_id = inbox.seen_ids[0]
        with any_engine.connect() as conn:
            row = conn.execute(select(outbox_table).where(outbox_table.c.status == "sending")).one()
        assert row.message_id == first_id
    inbox2 = Inbox()
    with smtp_server(inbox2) as port2:
        delivery = SmtpDelivery("127.0.0.1", port2, timeout=5)
        lease = row.lease_until if row.lease_until.tzinfo else row.lease_until.replace(tzinfo=UTC)
        # clocks relative to the dead sender's lease (60 s), not to the wall clock
        soon = outbox.send_pending(any_engine, delivery, W48, clock=lambda: lease - timedelta(seconds=55))
        assert soon.sent == len([m for m in inbox2.messages])  # the claimed one is not touched within its lease
        assert row.message_id not in {str(m["Message-ID"]) for m in inbox2.messages}
        later = outbox.send_pending(any_engine, delivery, W48, clock=lambda: lease + timedelta(seconds=1))
        assert later.sent == 1
    resent = [m for m in inbox2.messages if str(m["Message-ID"]) == first_id]
    assert len(resent) == 1 and str(resent[0]["To"]) == row.recipient
