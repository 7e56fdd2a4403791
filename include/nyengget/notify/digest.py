"""Compose the week's emails: one digest per OPD with matches, and the planners' summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from nyengget.config import Settings
from nyengget.notify import message
from nyengget.notify.outbox import Outgoing
from nyengget.notify.render import render_pair
from nyengget.review import links
from nyengget.warehouse.schema import opds
from nyengget.weekly import build
from nyengget.weeks import week_label

# Section order of the OPD email; an item is listed in the first section it qualifies for.
SECTIONS = (
    ("Segera ditutup", "#c0392b", lambda it: bool(it["closing_soon"])),
    ("Baru", "#0b6e4f", lambda it: bool(it["is_new"])),
    ("Berubah", "#8e44ad", lambda it: bool(it["is_changed"])),
    ("Menunggu keputusan", "#2c3e50", lambda it: not it["review_status"]),
)


@dataclass(frozen=True)
class Opd:
    code: str
    name: str
    short_name: str
    emails: tuple[str, ...]
    paused: bool


def load_opds(engine: Engine) -> dict[str, Opd]:
    with engine.connect() as conn:
        rows = conn.execute(select(opds)).all()
    return {
        r.opd_code: Opd(
            code=r.opd_code, name=r.name, short_name=r.short_name or r.name,
            emails=tuple(e.strip() for e in (r.emails or "").split(";") if e.strip()), paused=bool(r.paused))
        for r in rows
    }


def digest_kind(opd_code: str) -> str:
    """The outbox kind of one OPD's weekly digest."""
    return f"opd_digest:{opd_code}"


PENDING_MAX = 10  # "Menunggu keputusan" lists the best few; the rest wait on the review page


def sections_for(items: list[dict], pending_max: int = PENDING_MAX) -> list[dict]:
    """Split items into the email's sections; empty sections are left out.

    Each section has `entries` and `more` (items not listed, only ever in the last section).
    """
    buckets: list[dict] = [{"title": t, "colour": c, "entries": [], "more": 0} for t, c, _ in SECTIONS]
    for it in sorted(items, key=lambda i: (i["days_left"] is None, i["days_left"] or 0, i["rank"])):
        for bucket, (_, _, wanted) in zip(buckets, SECTIONS, strict=True):
            if wanted(it):
                bucket["entries"].append(it)
                break
    pending = buckets[-1]
    if len(pending["entries"]) > pending_max:
        best = sorted(pending["entries"], key=lambda i: (-i["score"], i["rank"], i["programme_id"]))
        pending["entries"], pending["more"] = best[:pending_max], len(best) - pending_max
    return [b for b in buckets if b["entries"]]


def opd_digests(week: pd.DataFrame, directory: dict[str, Opd], week_start: date, settings: Settings) -> list[Outgoing]:
    """One message per recipient address of each active OPD with something to say this week
    (also to OPDs with nothing when NYENGGET_SEND_EMPTY is set)."""
    out: list[Outgoing] = []
    records = build.records(week)
    for code, opd in sorted(directory.items()):
        if opd.paused or not opd.emails:
            continue
        sections = sections_for([r for r in records if r["opd_code"] == code])
        total = sum(len(s["entries"]) + s["more"] for s in sections)
        if total == 0 and not settings.send_empty:
            continue
        subject = f"[Nyengget] {opd.short_name}: {total} peluang pendanaan pekan {week_label(week_start)}"
        text, html = render_pair(
            "opd_digest", title=subject, opd_name=opd.name, opd_short=opd.short_name, total=total,
            sections=sections, week_start=week_start, week_label=week_label(week_start),
            review_url=f"{settings.public_base_url}/?week={week_label(week_start)}&opd={code}",
            dismiss_url=lambda it: links.dismiss_url(week_start, it["innovation_id"], it["programme_id"],
                                                     it["opd_code"]),
        )
        for address in opd.emails:
            kind = digest_kind(code)  # one key per OPD's digest: OPDs sharing an address each get theirs
            msg = message.build(sender=settings.mail_from, recipients=[address], subject=subject, text=text,
                                html=html, key=f"{week_start}_{kind}_{address}")
            out.append(Outgoing(week_start, address, kind, msg, items=total))
    return out


def planner_summary(
    week: pd.DataFrame, summary, sources: list[dict], emails: int, week_start: date, settings: Settings,
    attachments: list[Path],
) -> list[Outgoing]:
    by_type = (
        week.groupby("funding_type", dropna=False)
        .agg(n=("programme_id", "nunique"), ceiling=("ceiling_idr", lambda s: s.drop_duplicates().sum()))
        .reset_index().to_dict("records")
        if not week.empty else []
    )
    subject = f"[Nyengget] Ringkasan pekan {week_label(week_start)}: {summary.rows} peluang untuk {summary.opds} OPD"
    text, html = render_pair(
        "summary", title=subject, summary=summary, by_type=by_type, sources=sources, emails=emails,
        week_start=week_start, week_label=week_label(week_start),
    )
    out = []
    for address in settings.planner_recipients:
        msg = message.build(sender=settings.mail_from, recipients=[address], subject=subject, text=text, html=html,
                            key=f"{week_start}_summary_{address}", attachments=attachments)
        out.append(Outgoing(week_start, address, "planner_summary", msg, items=summary.rows))
    return out
