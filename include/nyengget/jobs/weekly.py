"""Tasks of the matching and weekly DAGs; the per-region ones take the region's code (mapped tasks)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from nyengget.config import get_settings
from nyengget.errors import WeekRefused
from nyengget.notify import outbox
from nyengget.notify.alerts import send_alert
from nyengget.regions import configured_regions, region_of
from nyengget.warehouse.db import get_engine
from nyengget.weekly import readiness, run
from nyengget.weekly.build import build_week, load_week, summarise
from nyengget.weekly.matches import run_matching
from nyengget.weeks import JAKARTA, week_label


def week_is_out(week: date) -> bool:
    """Every region's list of the week is built and its planners' summary sent (the deadline run then has
    nothing to do)."""
    engine = get_engine()
    return all(readiness.week_is_out(engine, week, code) for code in configured_regions().codes)


def ensure_week(week: date, *, deadline: bool = False) -> dict:
    """The week's programmes are in (else WeekRefused; on the Monday 09:00 deadline run, with the reason: the
    deadline alert). Returns the week and the regions to build it for."""
    try:
        readiness.require_programmes(get_engine(), week)
    except WeekRefused as exc:
        if deadline:
            raise WeekRefused(f"the list of {week_label(week)} is not out by Monday 09:00 WIB: {exc}") from exc
        raise
    return {"week": week.isoformat(), "regions": list(configured_regions().codes)}


def ensure_matches(week: date, *, deadline: bool = False, region_code: str | None = None) -> dict:
    """The region's matches of the week (see `run.ensure_matches`)."""
    try:
        n = run.ensure_matches(get_engine(), week, get_settings(), region_of(region_code))
    except WeekRefused as exc:
        if deadline:
            raise WeekRefused(f"the list of {week_label(week)} is not out by Monday 09:00 WIB: {exc}") from exc
        raise
    return {"week": week.isoformat(), "matches": n}


def match_week(week: date, region_code: str | None = None) -> int:
    """The matching DAG's task for one region: this week's programmes must be in; replaces the region's
    matches of the week (eligibility by the region's level)."""
    engine, settings = get_engine(), get_settings()
    readiness.require_programmes(engine, week)
    return run_matching(engine, week, top_k=settings.top_k, region=region_of(region_code))


def build_list(week: date, region_code: str | None = None) -> dict:
    """The region's matches (matched now if missing) and its partition of `nyengget_weekly` for the week."""
    region = region_of(region_code)
    ensure_matches(week, region_code=region.code)
    summary = build_week(get_engine(), week, closing_soon_days=get_settings().closing_soon_days,
                         region_code=region.code)
    counts = {k: (str(v) if isinstance(v, date) else v) for k, v in asdict(summary).items()}
    return {"region_code": region.code, **counts}


def write_reports(week: date, region_code: str | None = None) -> list[str]:
    engine, region = get_engine(), region_of(region_code)
    today = datetime.now(JAKARTA).date()  # days left and forecasts as of the day it is written
    xlsx, html = run.write_reports(engine, load_week(engine, week, region.code), week, get_settings(),
                                   as_of=max(week, today), region=region)
    return [str(xlsx), str(html)]


def queue_emails(week: date, region_code: str | None = None) -> dict:
    engine, settings, region = get_engine(), get_settings(), region_of(region_code)
    summary = summarise(load_week(engine, week, region.code), week)
    xlsx = run.report_paths(week, settings, region)[0]
    if not xlsx.exists():  # write_reports ran on another worker: rebuild the attachment, don't hand files over
        xlsx, _ = run.write_reports(engine, load_week(engine, week, region.code), week, settings, region=region)
    messages = run.compose(engine, week, settings, summary, xlsx, region=region)
    queued, already_sent = outbox.queue(engine, messages)
    return {"region_code": region.code, "queued": queued, "already_sent": already_sent}


def hold_emails(week: date, failed_gates: list[str], run_link: str = "") -> dict:
    """One alert for the failed quality gates of a week; nothing was queued."""
    facts = [("Week", week_label(week)), ("Failed gates", ", ".join(failed_gates)), ("Run", run_link or "-")]
    send_alert(f"quality gates failed for {week_label(week)}: emails held", facts,
               "The weekly list broke warehouse rules (see each gate's log for the rows). No email was queued; "
               "fix the data and clear the failed gates to publish.",
               key=f"alert_gates_{week_label(week)}_{'_'.join(failed_gates)}")
    return {"held": True, "failed_gates": failed_gates}


def send_emails(week: date, region_code: str | None = None) -> dict:
    """Send the region's due emails of the week; fails the task (MailNotDelivered) when any is not
    delivered yet."""
    region = region_of(region_code)
    report = outbox.deliver(get_engine(), week, region_code=region.code)
    return {"region_code": region.code, **{k: v for k, v in asdict(report).items() if k != "failures"}}
