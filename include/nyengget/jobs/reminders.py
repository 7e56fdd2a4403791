"""Task of the daily reminders DAG."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from nyengget.config import get_settings
from nyengget.notify import outbox, reminders
from nyengget.notify.delivery import get_delivery
from nyengget.warehouse.db import get_engine


def send_reminders(day: date) -> dict:
    """Queue the reminders due on `day`, then send everything still pending in the outbox."""
    engine = get_engine()
    queued, already_sent = outbox.queue(engine, reminders.compose(engine, day, get_settings()))
    report = outbox.send_pending(engine, get_delivery())
    if report.failed or report.unavailable:
        raise RuntimeError(f"{report.failed} email(s) failed, {report.left_pending} left pending "
                           f"(server: {report.unavailable or 'reachable'}); they stay in the outbox")
    return {"queued": queued, "already_sent": already_sent, **asdict(report)}
