"""Build the `nyengget_weekly` partition of one week from its matches, history and decisions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from nyengget import decisions, dismissals
from nyengget.cells import known, values
from nyengget.matching import proposers as who
from nyengget.regions import region_of
from nyengget.urls import web_url
from nyengget.warehouse.partitions import replace_week
from nyengget.warehouse.schema import (
    innovations,
    matches,
    nyengget_weekly,
    programme_versions,
    programmes,
)
from nyengget.weekly import routing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeekSummary:
    week_start: date
    rows: int
    opds: int
    new: int
    changed: int
    closing_soon: int


def _frame(engine: Engine, week_start: date, region_code: str) -> pd.DataFrame:
    """The region's matches of the week joined with their innovation and programme."""
    query = (
        select(
            matches.c.innovation_id, matches.c.programme_id, matches.c.rank, matches.c.score, matches.c.reasons,
            innovations.c.name.label("innovation_name"), innovations.c.opd, innovations.c.opd_code,
            programmes.c.title.label("programme_title"), programmes.c.funding_type, programmes.c.ministry,
            programmes.c.bidang, programmes.c.ceiling_idr, programmes.c.opens_on, programmes.c.closes_on,
            programmes.c.source_url, programmes.c.subbidang, matches.c.funding_line, matches.c.proposer_types,
            matches.c.own_opd_may_propose, matches.c.proposal_route, matches.c.proposer_source,
        )
        .join(innovations, (innovations.c.innovation_id == matches.c.innovation_id)
              & (innovations.c.region_code == matches.c.region_code))
        .join(programmes, programmes.c.programme_id == matches.c.programme_id)
        .where(matches.c.week_start == week_start, matches.c.region_code == region_code)
        .order_by(matches.c.innovation_id, matches.c.rank)
    )
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def _seen_before(engine: Engine, week_start: date, region_code: str) -> set[tuple[str, str]]:
    """The region's pairs listed in an earlier week (a programme known before is in it with at least one pair)."""
    query = (
        select(nyengget_weekly.c.innovation_id, nyengget_weekly.c.programme_id)
        .where(nyengget_weekly.c.week_start < week_start, nyengget_weekly.c.region_code == region_code)
        .distinct()
    )
    with engine.connect() as conn:
        return {(r.innovation_id, r.programme_id) for r in conn.execute(query)}


def programme_changes(engine: Engine, week_start: date) -> pd.DataFrame:
    """Programmes with a new version observed this week (not their first one)."""
    query = (
        select(programme_versions.c.programme_id, programme_versions.c.changed_fields,
               programme_versions.c.change_note)
        .where(programme_versions.c.week_start == week_start)
        .where(programme_versions.c.version > 1)
    )
    with engine.connect() as conn:
        return pd.read_sql(query, conn).drop_duplicates("programme_id", keep="last")


def _to_date(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _with_routing(df: pd.DataFrame, engine: Engine, region_code: str) -> pd.DataFrame:
    """Who proposes each item (`weekly.routing`): the proposing OPD of the region, the partner, the note."""
    from nyengget.notify.digest import load_opds  # notify imports this module

    table = who.load_proposers()
    directory = load_opds(engine, region_code)
    types = routing.directory_types(directory, table)
    df = routing.assess_missing(df, table)
    routes = [routing.route(r, directory, types, table) for r in records(df)]
    df["home_opd_code"] = df.opd_code
    df["proposer_opd_code"] = [r.proposer for r in routes]
    df["partner_opd_code"] = [r.partner for r in routes]
    df["routing"] = [r.routing for r in routes]
    df["routing_note"] = [r.note for r in routes]
    return df.drop(columns=["subbidang", "own_opd_may_propose"])


def _with_decisions(df: pd.DataFrame, engine: Engine, week_start: date, region_code: str) -> pd.DataFrame:
    """Attach the week's review status and owner OPD (`nyengget.decisions`: reassigned, else routed, else
    the innovation's OPD); items a dismissal for their OPD or for the whole pemda covers are left out, and
    another OPD's `opd` scope dismissal of a pair is no decision of its new owner."""
    latest = decisions.current(engine, week_start, region_code)
    status = {} if latest.empty else dict(
        zip(zip(latest.innovation_id, latest.programme_id, strict=True), latest.status, strict=True))
    moved = decisions.assignments(engine, week_start, region_code)
    pairs = list(zip(df.innovation_id, df.programme_id, strict=True))
    df["opd_code"] = [decisions.owner(known(code), moved.get(p), known(routed)) for p, code, routed
                      in zip(pairs, df.home_opd_code, df.proposer_opd_code, strict=True)]
    force = dismissals.in_force(engine, up_to=week_start, region_code=region_code)
    df["review_status"] = [force.own_status(i, p, status.get((i, p)), o)
                           for i, p, o in zip(df.innovation_id, df.programme_id, df.opd_code, strict=True)]
    hidden = [force.hides(i, p, o) for i, p, o in zip(df.innovation_id, df.programme_id, df.opd_code, strict=True)]
    if any(hidden):
        log.info("week %s: %d items left out by dismissals for an OPD or the whole pemda", week_start, sum(hidden))
    return df[[not h for h in hidden]].reset_index(drop=True)


def weekly_rows(engine: Engine, week_start: date, closing_soon_days: int = 21, *,
                region_code: str | None = None, changes: pd.DataFrame | None = None) -> list[dict]:
    """The region's list of the week (default: the default region's). `changes` (`programme_changes`) lets
    many regions share one read of the week's programme versions."""
    region_code = region_code or region_of(None).code
    df = _frame(engine, week_start, region_code)
    if df.empty:
        return []
    known = {p for _, p in _seen_before(engine, week_start, region_code)}  # programmes listed in an earlier week
    changes = (programme_changes(engine, week_start) if changes is None else changes).set_index("programme_id")
    df = _with_decisions(_with_routing(df, engine, region_code), engine, week_start, region_code)
    rows = []
    for r in records(df):
        opens_on, closes_on = _to_date(r["opens_on"]), _to_date(r["closes_on"])
        days_left = (closes_on - week_start).days if closes_on else None
        changed = r["programme_id"] in changes.index
        rows.append({
            **r,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "ceiling_idr": None if pd.isna(r["ceiling_idr"]) else int(r["ceiling_idr"]),
            "source_url": web_url(r["source_url"]),
            "days_left": days_left,
            # new = its programme was never listed before: an item that moves up after a dismissal, or a
            # new innovation's match to a known programme, is not "Baru"
            "is_new": r["programme_id"] not in known,
            "is_changed": changed,
            "changed_fields": changes.at[r["programme_id"], "changed_fields"] if changed else None,
            "change_note": changes.at[r["programme_id"], "change_note"] if changed else None,
            "closing_soon": days_left is not None and 0 <= days_left <= closing_soon_days,
        })
    return rows


def summarise(week: pd.DataFrame, week_start: date) -> WeekSummary:
    """Counts of a week's list (from `weekly_rows` or `load_week`)."""
    if week.empty:
        return WeekSummary(week_start, 0, 0, 0, 0, 0)
    return WeekSummary(
        week_start=week_start,
        rows=len(week),
        opds=int(week.opd_code.fillna(week.opd).nunique()),
        new=int(week.is_new.sum()),
        changed=int(week.is_changed.sum()),
        closing_soon=int(week.closing_soon.sum()),
    )


def build_week(engine: Engine, week_start: date, *, closing_soon_days: int = 21, region_code: str | None = None,
               changes: pd.DataFrame | None = None) -> WeekSummary:
    """Replace the region's partition (default: the default region's) of `nyengget_weekly` for the week in
    one transaction; other regions' lists are untouched."""
    region_code = region_code or region_of(None).code
    rows = weekly_rows(engine, week_start, closing_soon_days, region_code=region_code, changes=changes)
    with engine.begin() as conn:
        replace_week(conn, nyengget_weekly, week_start, rows, region_code=region_code)
    summary = summarise(pd.DataFrame(rows), week_start)
    log.info("nyengget_weekly %s, region %s: %s", week_start, region_code, summary)
    return summary


def load_week(engine: Engine, week_start: date, region_code: str | None = None) -> pd.DataFrame:
    """The region's list of the week (default: the default region's), ordered for people: OPD, then rank."""
    query = (
        select(nyengget_weekly)
        .where(nyengget_weekly.c.week_start == week_start)
        .where(nyengget_weekly.c.region_code == (region_code or region_of(None).code))
        .order_by(nyengget_weekly.c.opd, nyengget_weekly.c.innovation_id, nyengget_weekly.c.rank)
    )
    with engine.connect() as conn:
        df = pd.read_sql(query, conn)
    for column in ("days_left", "ceiling_idr"):
        df[column] = df[column].astype("Int64")
    df["source_url"] = [web_url(u) for u in df.source_url]  # rows written before links were checked
    text = df.select_dtypes(include=["object", "string"]).columns
    df[text] = df[text].astype(object).where(df[text].notna(), None)
    return df


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for every missing value (for templates and workbooks), read column by column
    (a list's reports read it three times: per cell it was a fifth of writing them)."""
    names = list(df.columns)
    columns = [values(df[name]) for name in names]
    if not names:
        return [{} for _ in range(len(df))]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
