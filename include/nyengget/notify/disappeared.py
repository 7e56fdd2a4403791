"""Items someone is pursuing whose programme has disappeared from its source: shown to them in the
email and on the page with the date it was last seen and its source link (and their reminders stop)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine, select

from nyengget import decisions
from nyengget.decisions import PURSUED
from nyengget.regions import region_of
from nyengget.warehouse.schema import innovations, programmes

GONE = "disappeared"


def pursued(engine: Engine, up_to: date | None = None, region_code: str | None = None) -> list[dict]:
    """The region's pursued pairs (default: the default region's) whose programme is gone: programme title,
    source, last seen, innovation, OPD."""
    region_code = region_of(region_code).code
    latest = decisions.current(engine, up_to, region_code)
    if latest.empty:
        return []
    latest = latest[latest.status.isin(PURSUED)]
    query = (select(programmes.c.programme_id, programmes.c.title.label("programme_title"),
                    programmes.c.funding_type, programmes.c.source_url, programmes.c.last_seen)
             .where(programmes.c.status == GONE))
    names = select(innovations.c.innovation_id, innovations.c.name.label("innovation_name"),
                   innovations.c.opd_code).where(innovations.c.region_code == region_code)
    with engine.connect() as conn:
        gone, inns = pd.read_sql(query, conn), pd.read_sql(names, conn)
    df = latest.merge(gone, on="programme_id").merge(inns, on="innovation_id")
    if df.empty:
        return []
    df["opd_code"] = decisions.owners(engine, df, region_code)
    df["last_seen"] = pd.to_datetime(df.last_seen).dt.date
    cols = ["innovation_id", "innovation_name", "programme_id", "programme_title", "funding_type", "source_url",
            "last_seen", "status", "opd_code"]
    return df.sort_values(["opd_code", "programme_title"])[cols].to_dict("records")


def noticed_this_week(items: list[dict], week_start: date) -> list[dict]:
    """Those whose programme was last seen in the week before `week_start` (gone as of this week)."""
    return [it for it in items if week_start - timedelta(days=7) <= it["last_seen"] < week_start]
