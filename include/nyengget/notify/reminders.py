"""Deadline reminders: items an OPD is pursuing get an email 14 and 3 days before the window closes.

Each reminder is one outbox row keyed by (Monday of the closing week, recipient,
`reminder<days>:<innovation>:<programme>`), so it is sent once however often the daily DAG runs,
and a missed day is caught up (≤ 14 days left and not reminded yet).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from nyengget import decisions
from nyengget.config import Settings
from nyengget.decisions import PURSUED
from nyengget.notify import message
from nyengget.notify.digest import load_opds
from nyengget.notify.disappeared import GONE
from nyengget.notify.outbox import Outgoing
from nyengget.notify.render import render_pair
from nyengget.regions import Region, region_of
from nyengget.urls import web_url
from nyengget.warehouse.schema import innovations, programmes
from nyengget.weeks import week_start as monday_of

STAGES = (14, 3)


def stage(days_left: int) -> int | None:
    """The reminder due with `days_left` days to go: 3, 14, or None."""
    for days in sorted(STAGES):
        if 0 <= days_left <= days:
            return days
    return None


def due(engine: Engine, today: date, region_code: str | None = None) -> pd.DataFrame:
    """The region's pursued pairs (default: the default region's) whose programme closes within 14 days of
    `today`, with what the email needs."""
    region_code = region_of(region_code).code
    latest = decisions.current(engine, None, region_code)
    if latest.empty:
        return latest
    pursued = latest[latest.status.isin(PURSUED)]
    query = (
        select(programmes.c.programme_id, programmes.c.title.label("programme_title"), programmes.c.funding_type,
               programmes.c.ministry, programmes.c.ceiling_idr, programmes.c.opens_on, programmes.c.closes_on,
               programmes.c.source_url)
        .where(programmes.c.programme_id.in_(pursued.programme_id.unique().tolist()))
        .where(programmes.c.closes_on.is_not(None))
        .where(programmes.c.status != GONE)  # a programme gone from its source is shown, not reminded
    )
    names = select(innovations.c.innovation_id, innovations.c.name.label("innovation_name"),
                   innovations.c.opd_code).where(innovations.c.region_code == region_code)
    with engine.connect() as conn:
        progs = pd.read_sql(query, conn)
        inns = pd.read_sql(names, conn)
    df = pursued.merge(progs, on="programme_id").merge(inns, on="innovation_id")
    if df.empty:
        return df
    df["closes_on"] = pd.to_datetime(df.closes_on).dt.date
    df["days_left"] = [(c - today).days for c in df.closes_on]
    df["stage"] = [stage(d) for d in df.days_left]
    df["opd_code"] = decisions.owners(engine, df, region_code)
    df["source_url"] = [web_url(u) for u in df.source_url]
    return df[df.stage.notna()].reset_index(drop=True)


def compose(engine: Engine, today: date, settings: Settings, region: Region | None = None) -> list[Outgoing]:
    """The region's reminders due `today` (default: the default region's)."""
    region = region or region_of(None)
    out = []
    directory = load_opds(engine, region.code)
    for item in due(engine, today, region.code).to_dict("records"):
        opd = directory.get(item["opd_code"])
        if opd is None or opd.paused:
            continue
        subject = (f"[Nyengget] Pengingat: {item['programme_title']} ditutup {item['days_left']} hari lagi")
        text, html = render_pair("reminder", title=subject, it=item, today=today, opd_name=opd.name,
                                 bappeda=region.bappeda)
        kind = f"reminder{int(item['stage'])}:{item['innovation_id']}:{item['programme_id']}"
        for address in opd.emails:
            msg = message.build(sender=region.mail_from, recipients=[address], subject=subject, text=text,
                                html=html, key=f"{kind}_{address}")
            out.append(Outgoing(monday_of(item["closes_on"]), address, kind, msg, items=1, region_code=region.code))
    return out
