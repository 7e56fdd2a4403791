"""Checks data engineers act on after each weekly run: freshness, anomalies, quarantine, outbox.

The warehouse rules are quality gates of the weekly DAG (`nyengget.weekly.gates`), run before any email.

Each check returns `Problem`s; nothing is returned when all is well. Plain SQL through SQLAlchemy Core,
so the same checks run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, func, select

from nyengget.warehouse.schema import outbox, quarantine, source_runs
from nyengget.weeks import week_label

STALE_AFTER_DAYS = 14
QUARANTINE_JUMP = 2.0  # this week's quarantined rows over last week's (and at least 10 more)


@dataclass(frozen=True)
class Problem:
    check: str
    subject: str
    summary: str
    numbers: dict[str, object] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.check}:{self.subject}"


def stale_sources(conn: Connection, week: date, sources: list[str]) -> list[Problem]:
    """A configured source without a good run in the last two weeks."""
    rows = conn.execute(select(source_runs.c.source, func.max(source_runs.c.week_start))
                        .where(source_runs.c.health != "unhealthy").group_by(source_runs.c.source)).all()
    last_good = dict(rows)
    out = []
    for name in sources:
        last = last_good.get(name)
        if last is None or (week - last).days > STALE_AFTER_DAYS:
            out.append(Problem("freshness", name, f"source {name} has no successful fetch since "
                               f"{last or 'ever'}", {"last_good_week": str(last), "week": week_label(week)}))
    return out


def unhealthy_sources(conn: Connection, week: date) -> list[Problem]:
    rows = conn.execute(select(source_runs).where(source_runs.c.week_start == week)
                        .where(source_runs.c.health == "unhealthy")).all()
    return [Problem("source_health", r.source, f"source {r.source} is unhealthy: {r.message}",
                    {"parsed": r.parsed, "errors": r.errors, "quarantined": r.quarantined}) for r in rows]


def row_count_drops(conn: Connection, week: date) -> list[Problem]:
    """A source parsing less than half its median of the previous four weeks."""
    rows = conn.execute(select(source_runs.c.source, source_runs.c.week_start, source_runs.c.parsed)
                        .where(source_runs.c.week_start <= week).where(source_runs.c.health != "unhealthy")
                        .order_by(source_runs.c.week_start)).all()
    by_source: dict[str, list] = {}
    for r in rows:
        by_source.setdefault(r.source, []).append(r)
    out = []
    for name, runs in by_source.items():
        if runs[-1].week_start != week or len(runs) < 3:
            continue
        median = statistics.median(r.parsed for r in runs[-5:-1])
        if median and runs[-1].parsed < median / 2:
            out.append(Problem("row_count", name, f"source {name} parsed {runs[-1].parsed} rows, "
                               f"median of previous weeks {median:g}", {"parsed": runs[-1].parsed, "median": median}))
    return out


def quarantine_growth(conn: Connection, week: date) -> list[Problem]:
    def count(w: date) -> int:
        return conn.execute(select(func.count()).select_from(quarantine).where(quarantine.c.week_start == w)
                            ).scalar_one()

    now, before = count(week), count(week - timedelta(days=7))
    if now >= before + 10 and now > QUARANTINE_JUMP * before:
        return [Problem("quarantine", "programmes", f"{now} rows quarantined this week, {before} last week",
                        {"this_week": now, "last_week": before})]
    return []


def outbox_failures(conn: Connection, week: date) -> list[Problem]:
    rows = conn.execute(select(outbox.c.kind, outbox.c.recipient, outbox.c.status, outbox.c.attempts,
                               outbox.c.last_error)
                        .where(outbox.c.week_start == week).where(outbox.c.status.in_(("failed", "pending")))
                        .where(~outbox.c.kind.startswith("alert:"))).all()
    if not rows:
        return []
    errors = sorted({r.last_error for r in rows if r.last_error})[:3]
    return [Problem("outbox", week_label(week), f"{len(rows)} email(s) not sent for {week_label(week)}",
                    {"failed": sum(r.status == "failed" for r in rows),
                     "pending": sum(r.status == "pending" for r in rows), "errors": "; ".join(errors)})]


def run_checks(engine: Engine, week: date, sources: list[str]) -> list[Problem]:
    checks: list[Callable[[Connection], list[Problem]]] = [
        lambda c: stale_sources(c, week, sources), lambda c: unhealthy_sources(c, week),
        lambda c: row_count_drops(c, week), lambda c: quarantine_growth(c, week),
        lambda c: outbox_failures(c, week),
    ]
    with engine.connect() as conn:
        return [problem for check in checks for problem in check(conn)]
