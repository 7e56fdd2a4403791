"""Tasks of the weekly DAG."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from nyengget.config import get_settings
from nyengget.notify import outbox
from nyengget.warehouse.db import get_engine
from nyengget.weekly import run
from nyengget.weekly.build import build_week, load_week, summarise


def ensure_matches(week: date) -> int:
    return run.ensure_matches(get_engine(), week, get_settings())


def build_list(week: date) -> dict:
    summary = build_week(get_engine(), week, closing_soon_days=get_settings().closing_soon_days)
    return {k: (str(v) if isinstance(v, date) else v) for k, v in asdict(summary).items()}


def write_reports(week: date) -> list[str]:
    engine = get_engine()
    xlsx, html = run.write_reports(engine, load_week(engine, week), week, get_settings())
    return [str(xlsx), str(html)]


def queue_emails(week: date) -> dict:
    engine, settings = get_engine(), get_settings()
    summary = summarise(load_week(engine, week), week)
    xlsx = run.report_paths(week, settings)[0]
    if not xlsx.exists():  # write_reports ran on another worker: rebuild the attachment, don't hand files over
        xlsx, _ = run.write_reports(engine, load_week(engine, week), week, settings)
    queued, already_sent = outbox.queue(engine, run.compose(engine, week, settings, summary, xlsx))
    return {"queued": queued, "already_sent": already_sent}


def send_emails(week: date) -> dict:
    """Send the week's due emails; fails the task (MailNotDelivered) when any is not delivered yet."""
    report = outbox.deliver(get_engine(), week)
    return {k: v for k, v in asdict(report).items() if k != "failures"}
