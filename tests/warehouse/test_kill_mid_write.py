"""A worker killed in the middle of a warehouse write leaves the partition old or new, never half."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

from sqlalchemy import select

from nyengget.warehouse.partitions import replace_week
from nyengget.warehouse.schema import matches

WEEK = date(2026, 11, 23)
# Replaces the week with 2000 rows, but stops (holding the open transaction) after the first half.
WRITER = r"""
import sys, time
from datetime import date
from sqlalchemy import delete
from nyengget.warehouse.db import make_engine
from nyengget.warehouse.schema import matches
engine = make_engine(sys.argv[1])
week = date(2026, 11, 23)
rows = [{"week_start": week, "innovation_id": f"N{i}", "programme_id": "P", "rank": 1, "score": 0.5,
         "reasons": "r"} for i in range(2000)]
with engine.begin() as conn:
    conn.execute(delete(matches).where(matches.c.week_start == week))
    conn.execute(matches.insert(), rows[:1000])
    print("half written", flush=True)
    time.sleep(60)
    conn.execute(matches.insert(), rows[1000:])
"""


def _ids(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(matches.c.innovation_id).where(matches.c.week_start == WEEK)).scalars())


def test_sigkill_mid_transaction_keeps_the_old_partition(any_engine):
    with any_engine.begin() as conn:
        replace_week(conn, matches, WEEK, [{"innovation_id": "OLD", "programme_id": "P", "rank": 1, "score": 0.9,
                                            "reasons": "r"}])
    url = any_engine.url.render_as_string(hide_password=False)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, url], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        assert proc.stdout.readline().strip() == "half written"
        os.killpg(proc.pid, signal.SIGKILL)  # the worker dies with the transaction open
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    ids: list[str] | None = None
    deadline = time.monotonic() + 30  # PostgreSQL notices the dead connection and rolls back
    while time.monotonic() < deadline:
        try:
            ids = _ids(any_engine)
            break
        except Exception:  # noqa: BLE001 - SQLite may report the file busy for a moment
            time.sleep(0.5)
    assert ids == ["OLD"]
    with any_engine.begin() as conn:  # and the next attempt writes the new partition whole
        replace_week(conn, matches, WEEK, [{"innovation_id": f"N{i}", "programme_id": "P", "rank": 1,
                                            "score": 0.5, "reasons": "r"} for i in range(2000)])
    assert len(_ids(any_engine)) == 2000
