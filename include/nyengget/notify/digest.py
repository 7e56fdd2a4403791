"""Compose the week's emails: one digest per OPD that has something to act on, and the planners' summary.

An OPD's digest goes out only when a programme is new, changed, closing soon or expected to open soon,
when something it pursues disappeared from its source, or on the monthly reminder of its backlog
(the first Monday of a month); the same news on items it is partner (mitra) of, proposed by another
OPD, goes in a read-only section of the same digest (one outbox key per OPD's digest). Each programme appears once, with the innovations it fits; days left
are counted from the send date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from nyengget.config import Settings
from nyengget.decisions import DISMISSED, partner
from nyengget.forecast.calendar import describe
from nyengget.forecast.model import SOON_DAYS
from nyengget.forecast.windows import Window
from nyengget.notify import message
from nyengget.notify.outbox import Outgoing, outbox_key
from nyengget.notify.render import render_pair
from nyengget.regions import Region, region_of
from nyengget.review import links
from nyengget.warehouse.schema import opds
from nyengget.weekly import build, routing
from nyengget.weeks import JAKARTA, week_label

# Sections of the OPD email that call for action, in order; a programme is listed in the first one
# it qualifies for. Key, heading, colour, phrase.
ACTION_SECTIONS = (
    ("closing_soon", "Segera ditutup", "#c0392b", "segera ditutup"),
    ("is_new", "Baru", "#0b6e4f", "baru"),
    ("is_changed", "Berubah", "#8e44ad", "berubah"),
    ("opening_soon", "Segera dibuka (perkiraan atau jadwal resmi)", "#b7791f", "segera dibuka"),
)
SUBJECT_ORDER = (("is_new", "baru"), ("is_changed", "berubah"), ("closing_soon", "segera ditutup"),
                 ("opening_soon", "segera dibuka"))
BACKLOG = ("Menunggu keputusan", "#2c3e50")
# The OPD's items as partner (mitra): proposed by another OPD, listed read-only (the proposer decides).
PARTNER = ("Diusulkan OPD lain, Anda sebagai mitra", "#0b5394")
# "Segera dibuka" is a reason to send twice: when the window comes within 60 days, and in its last
# week before opening (days until opening in these ranges); in between it is listed, not a reason.
NUDGES = ((SOON_DAYS - 7, SOON_DAYS), (-1, 7))
PENDING_MAX = 10  # the monthly reminder lists the best few; the rest wait on the review page


@dataclass(frozen=True)
class Opd:
    code: str
    name: str
    short_name: str
    emails: tuple[str, ...]
    paused: bool


def load_opds(engine: Engine, region_code: str | None = None) -> dict[str, Opd]:
    """The region's OPD directory (default: the default region's), by code."""
    with engine.connect() as conn:
        rows = conn.execute(select(opds).where(opds.c.region_code == (region_code or region_of(None).code))).all()
    return {
        r.opd_code: Opd(
            code=r.opd_code, name=r.name, short_name=r.short_name or r.name,
            emails=tuple(e.strip() for e in (r.emails or "").split(";") if e.strip()), paused=bool(r.paused))
        for r in rows
    }


def digest_kind(opd_code: str) -> str:
    """The outbox kind of one OPD's weekly digest (its partner section included: one message per OPD)."""
    return f"opd_digest:{opd_code}"


def monthly_reminder_week(week_start: date) -> bool:
    """The backlog reminder goes with the digest of the first Monday of each month."""
    return week_start.day <= 7


def group_by_programme(items: list[dict], sent_on: date, closing_soon_days: int,
                       windows: dict[str, Window] | None = None) -> list[dict]:
    """One entry per programme with the innovations it fits (best first), its flags and its `schedule` (the
    "Jadwal usulan" both parts of the email show), counted from `sent_on`; dismissed pairs are left out."""
    windows = windows or {}
    groups: dict[str, dict] = {}
    for it in sorted(items, key=lambda i: (-(i["score"] or 0), i["rank"], i["innovation_id"])):
        if it.get("review_status") == DISMISSED:
            continue
        g = groups.get(it["programme_id"])
        if g is None:
            g = groups[it["programme_id"]] = {**it, "innovations": [], "is_new": False, "is_changed": False,
                                              "undecided": False}
            days = (it["closes_on"] - sent_on).days if it["closes_on"] else None
            w = windows.get(it["programme_id"])
            opens = it["opens_on"] or (w.opens_on if w else None)
            until = (opens - sent_on).days if opens else None
            g.update(days_left=days, closing_soon=days is not None and 0 <= days <= closing_soon_days,
                     window=w, schedule=describe(g["opens_on"], g["closes_on"], w, sent_on),
                     opening_soon=until is not None and 0 <= until <= SOON_DAYS and not _open(it, sent_on),
                     opening_nudge=until is not None and any(lo < until <= hi for lo, hi in NUDGES))
        g["innovations"].append(it)
        g["is_new"] |= bool(it["is_new"])
        g["is_changed"] |= bool(it["is_changed"])
        g["undecided"] |= not it.get("review_status")
        g["score"] = max(g["score"], it["score"])
    return list(groups.values())


def _open(it: dict, sent_on: date) -> bool:
    return bool(it["opens_on"]) and it["opens_on"] <= sent_on


def sections_for(programmes: list[dict], *, backlog: bool, pending_max: int = PENDING_MAX) -> list[dict]:
    """The email's sections; empty ones are left out. The backlog section (undecided programmes not
    listed above) only when `backlog`, capped at `pending_max` with `more` for the rest."""
    buckets = [{"key": k, "title": t, "colour": c, "phrase": p, "entries": [], "more": 0}
               for k, t, c, p in ACTION_SECTIONS]
    pending = {"key": "backlog", "title": BACKLOG[0], "colour": BACKLOG[1], "phrase": "menunggu keputusan",
               "entries": [], "more": 0}
    order = sorted(programmes, key=lambda g: (g["days_left"] is None, g["days_left"] or 0, -g["score"]))
    for g in order:
        bucket = next((b for b in buckets if g.get(b["key"])), None)
        if bucket is not None:
            bucket["entries"].append(g)
        elif g["undecided"]:
            pending["entries"].append(g)
    if backlog and pending["entries"]:
        best = sorted(pending["entries"], key=lambda g: (-g["score"], g["programme_id"]))
        pending["entries"], pending["more"] = best[:pending_max], max(0, len(best) - pending_max)
        buckets.append(pending)
    return [b for b in buckets if b["entries"]]


def _grouped(records: list[dict], key: Callable[[dict], str | None]) -> dict[str, list[dict]]:
    """Records by `key` (records whose key is None are left out), in their order."""
    out: dict[str, list[dict]] = {}
    for r in records:
        k = key(r)
        if k is not None:
            out.setdefault(k, []).append(r)
    return out


def _partner_of(record: dict) -> str | None:
    return partner(record.get("partner_opd_code"), record["opd_code"])


def partner_section(records: list[dict], directory: dict[str, Opd], sent_on: date,
                    closing_soon_days: int, windows: dict[str, Window] | None = None) -> dict | None:
    """An OPD's items as partner (mitra, `decisions.partner`) with news this week (what makes an action section call for
    action), each innovation with its proposing OPD (`proposer_name`); None if none."""
    items = [{**r, "proposer_name": routing.opd_name(directory, r["opd_code"], r["opd_code"])} for r in records]
    progs = group_by_programme(items, sent_on, closing_soon_days, windows)
    news = [g for s in sections_for(progs, backlog=False) if _calls_for_action(s) for g in s["entries"]]
    if not news:
        return None
    return {"key": "partner", "title": PARTNER[0], "colour": PARTNER[1], "phrase": "sebagai mitra",
            "entries": news, "more": 0}


def _calls_for_action(section: dict) -> bool:
    """A section worth an email: all but "segera dibuka" without a nudge this week."""
    if section["key"] == "opening_soon":
        return any(g["opening_nudge"] for g in section["entries"])
    return bool(section["entries"])


def subject_for(short_name: str, sections: list[dict], gone: int, week_start: date, partner_count: int = 0) -> str:
    """`[Nyengget] Dinkes: 2 baru, 1 segera ditutup, 1 sebagai mitra (pekan 2026-W49)`."""
    counts = {s["key"]: len(s["entries"]) for s in sections}
    parts = [f"{counts[key]} {phrase}" for key, phrase in SUBJECT_ORDER if counts.get(key)]
    if gone:
        parts.append(f"{gone} hilang dari sumber")
    if partner_count:
        parts.append(f"{partner_count} sebagai mitra")
    if not parts:
        backlog = next((s for s in sections if s["key"] == "backlog"), None)
        n = len(backlog["entries"]) + backlog["more"] if backlog else 0
        parts = [f"pengingat bulanan, {n} peluang menunggu keputusan"]
    return f"[Nyengget] {short_name}: {', '.join(parts)} (pekan {week_label(week_start)})"


def opd_digests(
    week: pd.DataFrame, directory: dict[str, Opd], week_start: date, settings: Settings, *,
    sent_at: datetime | None = None, windows: dict[str, Window] | None = None, gone: list[dict] = (),
    backlog: bool | None = None, region: Region | None = None,
) -> list[Outgoing]:
    """One message per address of each active OPD with something to act on or news as partner (mitra:
    a section listed read-only; also to OPDs with nothing when NYENGGET_SEND_EMPTY is set). `sent_at` (aware) gives the Date header and the day days-left
    are counted from; `gone` are pursued items whose programme disappeared this week; `backlog` forces
    the monthly list of undecided programmes on or off. `region` (default: the default region) signs them."""
    region = region or region_of(None)
    sent_at = sent_at or datetime.now(UTC)
    sent_on = sent_at.astimezone(JAKARTA).date()
    records = build.records(week)
    backlog = monthly_reminder_week(week_start) if backlog is None else backlog
    dismiss = links.dismiss_urls(week_start, region.code)
    owned, as_partner = _grouped(records, lambda r: r["opd_code"]), _grouped(records, _partner_of)
    lost_by_opd = _grouped(list(gone), lambda g: g["opd_code"])
    out: list[Outgoing] = []
    for code, opd in sorted(directory.items()):
        if opd.paused or not opd.emails:
            continue
        progs = group_by_programme(owned.get(code, []), sent_on, settings.closing_soon_days, windows)
        sections = sections_for(progs, backlog=backlog)
        mitra = partner_section(as_partner.get(code, []), directory, sent_on, settings.closing_soon_days, windows)
        lost = lost_by_opd.get(code, [])
        if not (lost or mitra or settings.send_empty or any(_calls_for_action(s) for s in sections)):
            continue
        n_mitra = len(mitra["entries"]) if mitra else 0
        subject = subject_for(opd.short_name, sections, len(lost), week_start, n_mitra)
        text, html = render_pair(
            "opd_digest", title=subject, opd_name=opd.name, opd_short=opd.short_name, sections=sections,
            partner=mitra, gone=lost, week_start=week_start, week_label=week_label(week_start), sent_on=sent_on,
            total=len(progs), backlog=backlog, bappeda=region.bappeda,
            review_url=f"{settings.public_base_url}/?week={week_label(week_start)}&opd={code}",
            dismiss_url=lambda it: dismiss(it["innovation_id"], it["programme_id"], it["opd_code"]),
        )
        n_items = sum(len(s["entries"]) + s["more"] for s in sections) + len(lost) + n_mitra
        for address in opd.emails:
            kind = digest_kind(code)  # one key per OPD's digest: OPDs sharing an address each get theirs
            key = outbox_key(week_start, kind, address, region.code)
            msg = message.build(sender=region.mail_from, recipients=[address], subject=subject, text=text,
                                html=html, key=key, when=sent_at)
            out.append(Outgoing(week_start, address, kind, msg, items=n_items, region_code=region.code))
    return out


def routing_counts(week: pd.DataFrame) -> dict[str, int]:
    """Items per routing (weekly.routing.ROUTINGS) of the week's list; rows built before i15 have none."""
    if week.empty or "routing" not in week:
        return {}
    return {k: int(v) for k, v in week.routing.dropna().value_counts().items()}


def planner_summary(
    week: pd.DataFrame, summary, sources: list[dict], emails: int, week_start: date, settings: Settings,
    attachments: list[Path], *, sent_at: datetime | None = None, gone: list[dict] = (),
    region: Region | None = None,
) -> list[Outgoing]:
    """The planners' summary to the region's planners (default region: also NYENGGET_PLANNER_EMAILS)."""
    region = region or region_of(None)
    sent_at = sent_at or datetime.now(UTC)
    by_type = (
        week.groupby("funding_type", dropna=False)
        .agg(n=("programme_id", "nunique"), ceiling=("ceiling_idr", lambda s: s.drop_duplicates().sum()))
        .reset_index().to_dict("records")
        if not week.empty else []
    )
    n_programmes = int(week.programme_id.nunique()) if not week.empty else 0
    routed = routing_counts(week)
    subject = (f"[Nyengget] Ringkasan pekan {week_label(week_start)}: {n_programmes} program untuk "
               f"{summary.opds} OPD, {summary.new} baru")
    text, html = render_pair(
        "summary", title=subject, summary=summary, by_type=by_type, sources=sources, emails=emails,
        week_start=week_start, week_label=week_label(week_start), gone=list(gone), n_programmes=n_programmes,
        routed=routed, bappeda=region.bappeda,
    )
    out = []
    for address in region.planner_recipients:
        key = outbox_key(week_start, "planner_summary", address, region.code)
        msg = message.build(sender=region.mail_from, recipients=[address], subject=subject, text=text, html=html,
                            key=key, attachments=attachments, when=sent_at)
        out.append(Outgoing(week_start, address, "planner_summary", msg, items=summary.rows, region_code=region.code))
    return out

