"""Tasks of the weekly DAG."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from nyengget.config import get_settings
from nyengget.errors import WeekRefused
from nyengget.notify import outbox
from nyengget.notify.alerts import send_alert
from nyengget.warehouse.db import get_engine
from nyengget.weekly import readiness, run
from nyengget.weekly.build import build_week, load_week, summarise
from nyengget.weekly.matches import run_matching
from nyengget.weeks import JAKARTA, week_label


def week_is_out(week: date) -> bool:
    """The week's list is built and its planners' summary sent (the deadline run then has nothing to do)."""
    return readiness.week_is_out(get_engine(), week)


def ensure_matches(week: date, *, deadline: bool = False) -> dict:
    """The week's matches (see `run.ensure_matches`). On the Monday 09:00 deadline run, a week without
    programmes fails with the reason (the deadline alert)."""
    try:
        n = run.ensure_matches(get_engine(), week, get_settings())
    except WeekRefused as exc:
        if deadline:
            raise WeekRefused(f"the list of {week_label(week)} is not out by Monday 09:00 WIB: {exc}") from exc
        raise
    return {"week": week.isoformat(), "matches": n}


def match_week(week: date) -> int:
    """The matching DAG's task: this week's programmes must be in; replaces the week's matches."""
    engine, settings = get_engine(), get_settings()
    readiness.require_programmes(engine, week)
    return run_matching(engine, week, level=settings.level, top_k=settings.top_k)


def build_list(week: date) -> dict:
    summary = build_week(get_engine(), week, closing_soon_days=get_settings().closing_soon_days)
    return {k: (str(v) if isinstance(v, date) else v) for k, v in asdict(summary).items()}


def write_reports(week: date) -> list[str]:
    engine = get_engine()
    today = datetime.now(JAKARTA).date()  # days left and forecasts as of the day it is written
    xlsx, html = run.write_reports(engine, load_week(engine, week), week, get_settings(), as_of=max(week, today))
    return [str(xlsx), str(html)]


def queue_emails(week: date) -> dict:
    engine, settings = get_engine(), get_settings()
    summary = summarise(load_week(engine, week), week)
    xlsx = run.report_paths(week, settings)[0]
    if not xlsx.exists():  # write_reports ran on another worker: rebuild the attachment, don't hand files over
        xlsx, _ = run.write_reports(engine, load_week(engine, week), week, settings)
    queued, already_sent = outbox.queue(engine, run.compose(engine, week, settings, summary, xlsx))
    return {"queued": queued, "already_sent": already_sent}


def hold_emails(week: date, failed_gates: list[str], run_link: str = "") -> dict:
    """One alert for the failed quality gates of a week; nothing was queued."""
    facts = [("Week", week_label(week)), ("Failed gates", ", ".join(failed_gates)), ("Run", run_link or "-")]
    send_alert(f"quality gates failed for {week_label(week)}: emails held", facts,
               "The weekly list broke warehouse rules (see each gate's log for the rows). No email was queued; "
               "fix the data and clear the failed gates to publish.",
               key=f"alert_gates_{week_label(week)}_{'_'.join(failed_gates)}")
    return {"held": True, "failed_gates": failed_gates}


def send_emails(week: date) -> dict:
    """Send the week's due emails; fails the task (MailNotDelivered) when any is not delivered yet."""
    report = outbox.deliver(get_engine(), week)
    return {k: v for k, v in asdict(report).items() if k != "failures"}
