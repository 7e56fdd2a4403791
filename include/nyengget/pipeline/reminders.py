"""Task of the daily reminders DAG."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from nyengget.config import get_settings
from nyengget.notify import outbox, reminders
from nyengget.regions import configured_regions
from nyengget.warehouse.db import get_engine


def send_reminders(day: date) -> dict:
    """Queue every configured region's reminders due on `day`, then send everything still pending."""
    engine, settings = get_engine(), get_settings()
    messages = [m for region in configured_regions() for m in reminders.compose(engine, day, settings, region)]
    queued, already_sent = outbox.queue(engine, messages)
    report = outbox.deliver(engine)  # also flushes mail left pending by an outage; claims keep it once
    return {"queued": queued, "already_sent": already_sent,
            **{k: v for k, v in asdict(report).items() if k != "failures"}}
