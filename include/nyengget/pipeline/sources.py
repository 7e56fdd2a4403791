"""Tasks of the programme-ingestion DAG."""

from __future__ import annotations

import hashlib
import logging
from datetime import date

from sqlalchemy import select

from nyengget.errors import PermanentError
from nyengget.notify.alerts import send_alert
from nyengget.sources.fetch import is_transient
from nyengget.sources.ingest import ingest_source
from nyengget.warehouse.db import get_engine
from nyengget.warehouse.schema import source_runs
from nyengget.weeks import week_label

log = logging.getLogger(__name__)
COUNTS = ("fetched", "parsed", "new", "changed", "disappeared", "quarantined", "errors")


class SourceFailed(RuntimeError):
    """A source could not be fetched or parsed this week (recorded in source_runs); a retry may help."""


class SourceBroken(SourceFailed, PermanentError):
    """A source failed in a way a retry cannot fix (robots.txt, 404, a changed layout): no retries."""


def ingest_one(source: str, week: date) -> dict:
    """Ingest one source; fail the task when the source failed, alert on anomalies otherwise."""
    run = ingest_source(get_engine(), source, week)
    summary = {k: run.get(k) for k in ("source", "health", "message", *COUNTS)}
    if run.get("failed"):
        errors = run.get("error_details") or []
        transient = any(is_transient(e) or e.startswith("storing results failed") for e in errors)
        error = SourceFailed if transient else SourceBroken
        raise error(f"source {source} failed for {week_label(week)}: {run.get('message')}; "
                    f"alerts: {'; '.join(run.get('alerts') or []) or '-'}")
    for alert in run.get("alerts") or []:
        facts = [("Source", source), ("Week", week_label(week)), ("Health", str(run.get("health")))]
        facts += [(k, str(run.get(k))) for k in COUNTS]
        send_alert(f"source {source}: {alert}", facts, str(run.get("message") or ""),
                   key=f"alert_source_{source}_{week_label(week)}_{hashlib.sha1(alert.encode()).hexdigest()[:8]}")
    return summary


def week_status(week: date) -> dict:
    """Per-week health counts across sources; raises when no source succeeded."""
    with get_engine().connect() as conn:
        rows = conn.execute(select(source_runs.c.source, source_runs.c.health)
                            .where(source_runs.c.week_start == week)).all()
    unhealthy = sorted(r.source for r in rows if r.health == "unhealthy")
    if rows and len(unhealthy) == len(rows):
        raise SourceFailed(f"every source is unhealthy for {week_label(week)}: {', '.join(unhealthy)}")
    return {"sources": len(rows), "unhealthy": unhealthy}
