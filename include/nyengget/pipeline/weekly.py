"""The weekly stage: the tasks of the matching and weekly DAGs (one function per task; the per-region ones
take the region's code, as mapped tasks do) and, built from the same functions, the whole week the CLI runs
(`run_week`: list, reports, outbox, send)."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Engine, select

from nyengget.config import Settings, get_settings
from nyengget.errors import WeekRefused
from nyengget.forecast.calendar import entries
from nyengget.forecast.windows import programme_windows
from nyengget.notify import digest, disappeared, outbox
from nyengget.notify.alerts import send_alert
from nyengget.notify.delivery import Delivery, get_delivery
from nyengget.regions import Region, configured_regions, region_of
from nyengget.report import store
from nyengget.report.html import write_html
from nyengget.report.store import ReportPath, report_paths
from nyengget.report.xlsx import SHEET_MAX, write_workbook
from nyengget.warehouse.db import get_engine
from nyengget.warehouse.schema import source_runs
from nyengget.weekly import build, readiness
from nyengget.weekly.build import WeekSummary, build_week, load_week, summarise
from nyengget.weekly.matches import run_matching
from nyengget.weeks import JAKARTA, week_label

log = logging.getLogger(__name__)


@dataclass
class WeeklyResult:
    summary: WeekSummary
    xlsx: ReportPath  # a Path, or an ObjectStoragePath with NYENGGET_REPORTS_URL
    html: ReportPath
    queued: int
    already_sent: int
    sent: int
    failed: int


def match_if_missing(engine: Engine, week_start: date, settings: Settings, region: Region | None = None) -> int:
    """The region's matches of the week (default region by default): those of the matching DAG, or matched
    now when the week's programmes are in. Never another week's: without programmes ingested for the week
    this raises WeekRefused."""
    region = region or region_of(None)
    n = readiness.matched_rows(engine, week_start, region.code)
    if n:
        log.info("week %s, region %s already matched (%d rows)", week_start, region.code, n)
        return n
    readiness.require_programmes(engine, week_start)
    return run_matching(engine, week_start, top_k=settings.top_k, region=region,
                        cache_dir=settings.matcher_cache_dir)


def source_health(engine: Engine, week_start: date) -> list[dict]:
    """Per source, in Indonesian for planners: 'tidak ada perubahan', counts, or 'bermasalah: why'."""
    with engine.connect() as conn:
        rows = conn.execute(select(source_runs).where(source_runs.c.week_start == week_start)
                            .order_by(source_runs.c.source)).all()
    out = []
    for r in rows:
        if r.health == "unhealthy":
            verdict = f"bermasalah: {r.message or 'lihat log teknis'}"
        elif r.new or r.changed or r.disappeared:
            verdict = f"sehat: {r.new} baru, {r.changed} berubah, {r.disappeared} hilang"
        else:
            verdict = "tidak ada perubahan"
        out.append({"source": r.source, "verdict": verdict, "health": r.health})
    return out


def render_reports(engine: Engine, week: pd.DataFrame, week_start: date, settings: Settings,
                   as_of: date | None = None, region: Region | None = None) -> tuple[ReportPath, ReportPath]:
    """The region's workbook and HTML report (default region by default); windows, forecasts and days left
    as of `as_of` (default: the week's Monday)."""
    as_of = as_of or week_start
    region = region or region_of(None)
    directory = digest.load_opds(engine, region.code)
    names = {code: opd.name if len(opd.name) <= SHEET_MAX else opd.short_name for code, opd in directory.items()}
    windows = programme_windows(engine, as_of, only=set(week.programme_id))
    calendar = entries(build.records(week), windows, {c: o.short_name for c, o in directory.items()})
    xlsx, html = report_paths(week_start, settings, region)
    sources = source_health(engine, week_start)
    store.write(xlsx, lambda path: write_workbook(week, week_start, path, names, calendar=calendar))
    store.write(html, lambda path: write_html(week, week_start, path, sources, windows=windows, as_of=as_of,
                                              calendar=calendar, opd_names=names, bappeda=region.bappeda))
    return xlsx, html


def compose(engine: Engine, week_start: date, settings: Settings, summary: WeekSummary, xlsx: ReportPath,
            sent_at: datetime | None = None, region: Region | None = None,
            windows: dict | None = None, sources: list[dict] | None = None,
            week: pd.DataFrame | None = None) -> list:
    """The region's messages of the week (default region by default) as of `sent_at` (aware; now by
    default): days left and "segera dibuka" are counted from its date in WIB. `windows` and `sources`
    (shared by every region) may be passed in when many regions are composed at once, and the region's
    list (`load_week`) when the caller has it already."""
    region = region or region_of(None)
    sent_at = sent_at or datetime.now(UTC)
    week = load_week(engine, week_start, region.code) if week is None else week
    if windows is None:
        windows = programme_windows(engine, sent_at.astimezone(JAKARTA).date(), only=set(week.programme_id))
    if sources is None:
        sources = source_health(engine, week_start)
    gone = disappeared.noticed_this_week(disappeared.pursued(engine, up_to=week_start, region_code=region.code),
                                         week_start)
    opd_msgs = digest.opd_digests(week, digest.load_opds(engine, region.code), week_start, settings,
                                  sent_at=sent_at, windows=windows, gone=gone, region=region)
    summary_msgs = digest.planner_summary(week, summary, sources, len(opd_msgs),
                                          week_start, settings, [xlsx], sent_at=sent_at, gone=gone, region=region)
    return opd_msgs + summary_msgs


def run_week(
    engine: Engine,
    week_start: date,
    *,
    dry_run: bool = False,
    resend: bool = False,
    delivery: Delivery | None = None,
    settings: Settings | None = None,
    sent_at: datetime | None = None,
    region: Region | None = None,
) -> WeeklyResult:
    """Build the region's list (default region by default) and reports, queue its emails and send those
    not sent yet."""
    settings = settings or get_settings()
    region = region or region_of(None)
    match_if_missing(engine, week_start, settings, region)
    summary = build_week(engine, week_start, closing_soon_days=settings.closing_soon_days, region_code=region.code)
    sent_at = sent_at or datetime.now(UTC)
    xlsx, html = render_reports(engine, load_week(engine, week_start, region.code), week_start, settings,
                               sent_at.astimezone(JAKARTA).date(), region)
    messages = compose(engine, week_start, settings, summary, xlsx, sent_at, region)
    if dry_run:
        preview = settings.home / "preview" / week_label(week_start)
        preview.mkdir(parents=True, exist_ok=True)
        for m in messages:
            name = re.sub(r"[^A-Za-z0-9@._-]+", "_", f"{m.kind}_{m.recipient}")
            (preview / f"{name}.eml").write_bytes(bytes(m.message))
        log.info("dry run: %d messages rendered under %s, nothing queued or sent", len(messages), preview)
        return WeeklyResult(summary, xlsx, html, 0, 0, 0, 0)
    queued, already_sent = outbox.queue(engine, messages, resend=resend)
    report = outbox.send_pending(engine, delivery or get_delivery(), week_start, region_code=region.code)
    if report.failures:
        from nyengget.notify.alerts import alert_failed_mail

        alert_failed_mail(engine, report.failures)
    return WeeklyResult(summary, xlsx, html, queued, already_sent, report.sent,
                        report.failed + report.deferred + report.left_pending)


# -- tasks of the matching and weekly DAGs ------------------------------------------------------------
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
    """The region's matches of the week (see `match_if_missing`)."""
    try:
        n = match_if_missing(get_engine(), week, get_settings(), region_of(region_code))
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
    return run_matching(engine, week, top_k=settings.top_k, region=region_of(region_code),
                        cache_dir=settings.matcher_cache_dir)


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
    xlsx, html = render_reports(engine, load_week(engine, week, region.code), week, get_settings(),
                                as_of=max(week, today), region=region)
    return [str(xlsx), str(html)]


def queue_emails(week: date, region_code: str | None = None) -> dict:
    engine, settings, region = get_engine(), get_settings(), region_of(region_code)
    rows = load_week(engine, week, region.code)
    summary = summarise(rows, week)
    xlsx = report_paths(week, settings, region)[0]
    if not xlsx.exists():  # local reports written on another worker: rebuild the attachment (the store has it)
        xlsx, _ = render_reports(engine, rows, week, settings, region=region)
    messages = compose(engine, week, settings, summary, xlsx, region=region, week=rows)
    queued, already_sent = outbox.queue(engine, messages)
    return {"region_code": region.code, "queued": queued, "already_sent": already_sent}


def hold_emails(week: date, region_code: str | None, failed_gates: list[str], run_link: str = "") -> dict:
    """One alert for a region's failed quality gates of a week, to the data engineers and the region's own
    alert addresses; none of its emails was queued (the other regions' go out)."""
    region = region_of(region_code)
    named, label = f"{region.name} ({region.code})", week_label(week)
    facts = [("Region", named), ("Week", label), ("Failed gates", ", ".join(failed_gates)), ("Run", run_link or "-")]
    send_alert(f"quality gates failed for {named}, {label}: emails held", facts,
               f"The weekly list of {named} broke warehouse rules (each gate's log shows the rows and the rule). "
               "None of the region's emails was queued; the other regions' emails are not held. Fix the data and "
               "clear the region's failed gates to publish.",
               key=f"alert_gates_{label}_{region.code}_{'_'.join(failed_gates)}", week=week,
               also=region.alert_recipients)
    return {"held": True, "region_code": region.code, "failed_gates": failed_gates}


def send_emails(week: date, region_code: str | None = None) -> dict:
    """Send the region's due emails of the week; fails the task (MailNotDelivered) when any is not
    delivered yet."""
    region = region_of(region_code)
    report = outbox.deliver(get_engine(), week, region_code=region.code)
    return {"region_code": region.code, **{k: v for k, v in asdict(report).items() if k != "failures"}}
