"""Task of the daily reminders DAG."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from nyengget.config import get_settings
from nyengget.notify import outbox, reminders
from nyengget.warehouse.db import get_engine


def send_reminders(day: date) -> dict:
    """Queue the reminders due on `day`, then send everything still pending in the outbox."""
    engine = get_engine()
    queued, already_sent = outbox.queue(engine, reminders.compose(engine, day, get_settings()))
    report = outbox.deliver(engine)  # also flushes mail left pending by an outage; claims keep it once
    return {"queued": queued, "already_sent": already_sent,
            **{k: v for k, v in asdict(report).items() if k != "failures"}}
