"""Review decisions, defined once: statuses, the current owner OPD and status of an item, who may decide.

Used by the weekly build, the review page and API, the email links, the reminders and the CLI.

Rules:
- `review_feedback` is append-only (the audit trail). Decisions are ordered by (week, id): a decision
  recorded for an older week never overrides one made for a later week.
- The owner OPD of an (innovation, programme) is the latest reassignment, else the OPD the weekly
  routing gives it (the OPD that may propose its funding line, `weekly.routing`), else the innovation's OPD.
- Bappeda (scope None) may decide on any item; an OPD only on items it owns *now* (not as of an older
  week); an email link acts for the OPD it was sent to, so an older link loses its power once the item
  is reassigned, and links of a paused OPD are refused.
- A decision for an older week than the pair's latest decision is refused (decide on the latest week).
- A dismissal ("tidak relevan") has a scope (SCOPES): this innovation (the pair), this OPD (the
  programme for every item the OPD owns) or the whole pemda (`region`: the programme for everyone).
  Bappeda may dismiss at any scope, an OPD at `inovasi` or `opd` scope only. Which dismissals are in
  force for a week, and for whom, is `nyengget.dismissals`.
- The partner (mitra) of an item is the innovation's OPD when another OPD proposes it (`weekly.routing`,
  `dialihkan`) and it does not own the item now: it sees the item, read-only; the owner decides.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from nyengget.cells import known
from nyengget.errors import UsageError
from nyengget.warehouse.schema import (
    innovations,
    nyengget_weekly,
    opds,
    programmes,
    review_feedback,
)
from nyengget.weeks import week_label

STATUSES: dict[str, str] = {
    "relevan": "Relevan",
    "tidak_relevan": "Tidak relevan",
    "sedang_diusulkan": "Sedang diusulkan",
    "sudah_diusulkan": "Sudah diusulkan",
    "didanai": "Didanai",
    "tidak_didanai": "Tidak didanai",
}
DISMISSED = "tidak_relevan"
PURSUED = frozenset({"sedang_diusulkan", "sudah_diusulkan"})
REASONS: dict[str, str] = {
    "bukan_kewenangan": "Bukan kewenangan kita",
    "tidak_ada_dana_pendamping": "Tidak ada dana pendamping",
    "tenggat_terlalu_dekat": "Tenggat terlalu dekat",
    "sudah_didanai_sumber_lain": "Sudah didanai sumber lain",
    "bukan_untuk_opd": "Program ini bukan untuk OPD kami",
    "bukan_untuk_pemda": "Program ini bukan untuk pemda kita",
    "lainnya": "Lainnya",
}
# Dismissal scopes: what one "tidak relevan" covers. `region` is the whole pemda the warehouse serves.
PAIR, OPD_SCOPE, REGION = "inovasi", "opd", "region"
SCOPES: dict[str, str] = {
    PAIR: "Inovasi ini saja",
    OPD_SCOPE: "OPD ini (program bukan untuk OPD kami)",
    REGION: "Seluruh pemda",
}
OPD_SCOPES = frozenset({PAIR, OPD_SCOPE})  # what an OPD may dismiss at; Bappeda: every scope
# Fields whose change brings a dismissed pair back (window, ceiling, eligibility).
REVIVING_FIELDS = frozenset({"opens_on", "closes_on", "ceiling_idr", "recipient_levels"})
Pair = tuple[str, str]


class NotAllowed(Exception):
    """This actor may not decide on this item (not its current owner, or a paused OPD's link)."""


class StaleDecision(UsageError):
    """A decision for an older week than the item's latest decision."""


@dataclass(frozen=True)
class Decision:
    week_start: date
    innovation_id: str
    programme_id: str
    status: str
    actor: str
    reason: str | None = None
    note: str | None = None
    assigned_opd: str | None = None
    dismissal_scope: str | None = None  # SCOPES, for a dismissal only (None: this innovation)
    dismissal_opd: str | None = None  # set by `record`: the OPD an `opd` scope dismissal is for
    region_code: str | None = None  # the item's region; None: the default region


def _region(code: str | None) -> str:
    from nyengget.regions import region_of

    return region_of(code).code


def history(engine: Engine | Connection, up_to: date | None = None, region_code: str | None = None) -> pd.DataFrame:
    """Every decision of one region (default: the default region's; optionally those made for weeks ≤ up_to),
    in decision order: (week, id)."""
    query = select(review_feedback).order_by(review_feedback.c.week_start, review_feedback.c.id)
    query = query.where(review_feedback.c.region_code == _region(region_code))
    if up_to is not None:
        query = query.where(review_feedback.c.week_start <= up_to)
    if isinstance(engine, Connection):
        return pd.read_sql(query, engine)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def current(engine: Engine | Connection, up_to: date | None = None, region_code: str | None = None) -> pd.DataFrame:
    """The latest decision per pair, its `assigned_opd` the latest reassignment (kept by later decisions)."""
    return latest(history(engine, up_to, region_code))


def latest(df: pd.DataFrame) -> pd.DataFrame:
    """`current` of a decision history already read (`history`)."""
    if df.empty:
        return df
    moved = df[df.assigned_opd.notna()].groupby(["innovation_id", "programme_id"]).assigned_opd.last()
    last = df.groupby(["innovation_id", "programme_id"], as_index=False).tail(1).reset_index(drop=True)
    pairs = list(zip(last.innovation_id, last.programme_id, strict=True))
    last["assigned_opd"] = [moved.get(p) for p in pairs]
    return last


def assignments(engine: Engine | Connection, up_to: date | None = None,
                region_code: str | None = None) -> dict[Pair, str]:
    """The latest reassignment per pair, in decision order."""
    df = current(engine, up_to, region_code)
    if df.empty:
        return {}
    df = df[df.assigned_opd.notna()]
    return dict(zip(zip(df.innovation_id, df.programme_id, strict=True), df.assigned_opd, strict=True))


def home_opds(engine: Engine | Connection, region_code: str | None = None) -> dict[str, str | None]:
    """The OPD of each innovation of one region."""
    query = select(innovations.c.innovation_id, innovations.c.opd_code).where(
        innovations.c.region_code == _region(region_code))
    if isinstance(engine, Connection):
        return {r.innovation_id: r.opd_code for r in engine.execute(query)}
    with engine.connect() as conn:
        return {r.innovation_id: r.opd_code for r in conn.execute(query)}


def owner(home_opd: str | None, assigned_opd: str | None, routed_opd: str | None = None) -> str | None:
    """The owner OPD: the reassignment if any, else the routing's proposing OPD, else the innovation's OPD."""
    return assigned_opd or routed_opd or home_opd


def partner(partner_opd: str | None, owner_opd: str | None) -> str | None:
    """The item's partner (mitra) OPD: the routing's partner (the innovation's OPD when another OPD
    proposes), unless that OPD owns the item now."""
    return partner_opd if partner_opd and partner_opd != owner_opd else None


def routed(engine: Engine | Connection, region_code: str | None = None) -> dict[Pair, str]:
    """The proposing OPD each pair of one region is routed to in its latest weekly list (pairs routed away
    from their OPD)."""
    w = nyengget_weekly.c
    region_code = _region(region_code)
    latest = (select(w.innovation_id, w.programme_id, func.max(w.week_start).label("week_start"))
              .where(w.region_code == region_code)
              .group_by(w.innovation_id, w.programme_id).subquery())
    query = (select(w.innovation_id, w.programme_id, w.proposer_opd_code)
             .join(latest, (latest.c.innovation_id == w.innovation_id) & (latest.c.programme_id == w.programme_id)
                   & (latest.c.week_start == w.week_start))
             .where(w.region_code == region_code, w.proposer_opd_code.is_not(None)))
    if isinstance(engine, Connection):
        rows = engine.execute(query).all()
    else:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    return {(r.innovation_id, r.programme_id): r.proposer_opd_code for r in rows}


def owners(engine: Engine | Connection, df: pd.DataFrame, region_code: str | None = None, *,
           routing: dict[Pair, str] | None = None) -> list[str | None]:
    """The owner OPD (`owner`) of each row of `df`: its `opd_code` is the innovation's OPD, `assigned_opd`
    the pair's latest reassignment (or missing), routed as in the region's latest weekly lists (`routing`:
    `routed` of the region, when the caller has read it already)."""
    routing = routed(engine, region_code) if routing is None else routing
    return [owner(home, known(moved), routing.get((i, p))) for i, p, home, moved
            in zip(df.innovation_id, df.programme_id, df.opd_code, df.assigned_opd, strict=True)]


def week_owners(engine: Engine | Connection, week: pd.DataFrame, week_start: date,
                region_code: str | None = None) -> list[str | None]:
    """The owner OPD (`owner`) of each row of a week's list (`weekly.build.load_week`), as the review page
    of that week has it: the latest reassignment made up to the week, else the row's proposing OPD, else
    the innovation's OPD (rows built before routing: their `opd_code`)."""
    moved = assignments(engine, week_start, region_code)
    homes = week.home_opd_code if "home_opd_code" in week else pd.Series(None, index=week.index)
    routes = week.proposer_opd_code if "proposer_opd_code" in week else pd.Series(None, index=week.index)
    return [owner(known(home) or known(code), moved.get((i, p)), known(routed_to)) for i, p, home, code, routed_to
            in zip(week.innovation_id, week.programme_id, homes, week.opd_code, routes, strict=True)]


def owner_now(conn: Connection, innovation_id: str, programme_id: str, region_code: str | None = None) -> str | None:
    """The item's owner OPD after every decision ever made (whatever week is being looked at)."""
    region_code = _region(region_code)
    assigned = conn.execute(
        select(review_feedback.c.assigned_opd)
        .where(review_feedback.c.innovation_id == innovation_id, review_feedback.c.programme_id == programme_id,
               review_feedback.c.region_code == region_code, review_feedback.c.assigned_opd.is_not(None))
        .order_by(review_feedback.c.week_start.desc(), review_feedback.c.id.desc()).limit(1)).scalar()
    home = conn.execute(select(innovations.c.opd_code).where(
        innovations.c.innovation_id == innovation_id, innovations.c.region_code == region_code)).scalar()
    routed_to = conn.execute(
        select(nyengget_weekly.c.proposer_opd_code)
        .where(nyengget_weekly.c.innovation_id == innovation_id, nyengget_weekly.c.programme_id == programme_id,
               nyengget_weekly.c.region_code == region_code)
        .order_by(nyengget_weekly.c.week_start.desc()).limit(1)).scalar()
    return owner(home, assigned, routed_to)


def latest_week(conn: Connection, innovation_id: str, programme_id: str, region_code: str | None = None) -> date | None:
    value = conn.execute(select(func.max(review_feedback.c.week_start)).where(
        review_feedback.c.innovation_id == innovation_id, review_feedback.c.programme_id == programme_id,
        review_feedback.c.region_code == _region(region_code))).scalar()
    return None if value is None else pd.Timestamp(value).date()


def is_paused(conn: Connection, opd_code: str, region_code: str | None = None) -> bool:
    return bool(conn.execute(select(opds.c.paused).where(
        opds.c.opd_code == opd_code, opds.c.region_code == _region(region_code))).scalar())


def check(conn: Connection, d: Decision, scope: str | None, *, via_link: bool = False) -> str | None:
    """Raise NotAllowed / StaleDecision unless `scope` (None = Bappeda, else an OPD code of the item's
    region) may record `d`. Returns the item's owner now."""
    own = owner_now(conn, d.innovation_id, d.programme_id, d.region_code)
    if scope is not None:
        if via_link and is_paused(conn, scope, d.region_code):
            raise NotAllowed(f"OPD {scope} sedang dijeda: tautan emailnya tidak berlaku")
        if own != scope:
            raise NotAllowed(f"butir ini sekarang milik OPD {own or '-'}, bukan {scope}")
        if d.status == DISMISSED and (d.dismissal_scope or PAIR) not in OPD_SCOPES:
            raise NotAllowed(f"hanya Bappeda yang dapat menandai tidak relevan untuk "
                             f"{SCOPES[d.dismissal_scope].lower()}")
    later = latest_week(conn, d.innovation_id, d.programme_id, d.region_code)
    if later is not None and later > d.week_start:
        raise StaleDecision(f"sudah ada keputusan untuk pekan {week_label(later)}; putuskan di pekan itu, "
                            f"bukan di pekan {week_label(d.week_start)}")
    return own


def validate(d: Decision) -> None:
    if d.status not in STATUSES:
        raise UsageError(f"unknown status {d.status!r}; use one of: {', '.join(STATUSES)}")
    if d.reason is not None and d.reason not in REASONS:
        raise UsageError(f"unknown reason {d.reason!r}; use one of: {', '.join(REASONS)}")
    if d.status == DISMISSED and not d.reason:
        raise UsageError("status tidak_relevan needs a reason")
    if d.dismissal_scope is not None:
        if d.dismissal_scope not in SCOPES:
            raise UsageError(f"unknown dismissal scope {d.dismissal_scope!r}; use one of: {', '.join(SCOPES)}")
        if d.status != DISMISSED:
            raise UsageError("a dismissal scope is only for status tidak_relevan")


def record(engine: Engine, d: Decision, scope: str | None = None, *, via_link: bool = False) -> int:
    """Check and append one decision in one transaction; returns its id. A decision without a
    reassignment keeps the current one (stored on the row, for the audit trail)."""
    validate(d)
    d = replace(d, region_code=_region(d.region_code))
    with engine.begin() as conn:
        _require(conn, innovations.c.innovation_id, d.innovation_id, "innovation", innovations.c.region_code,
                 d.region_code)
        _require(conn, programmes.c.programme_id, d.programme_id, "programme")
        if d.assigned_opd is not None:
            _require(conn, opds.c.opd_code, d.assigned_opd, "OPD", opds.c.region_code, d.region_code)
        own = check(conn, d, scope, via_link=via_link)
        assigned = d.assigned_opd or _current_assignment(conn, d)
        values = {**asdict(d), "assigned_opd": assigned, "created_at": datetime.now(UTC)}
        if d.status == DISMISSED:
            values["dismissal_scope"] = d.dismissal_scope or PAIR
            values["dismissal_opd"] = own if values["dismissal_scope"] == OPD_SCOPE else None
        return conn.execute(review_feedback.insert().values(**values)).inserted_primary_key[0]


def _current_assignment(conn: Connection, d: Decision) -> str | None:
    return conn.execute(
        select(review_feedback.c.assigned_opd)
        .where(review_feedback.c.innovation_id == d.innovation_id, review_feedback.c.programme_id == d.programme_id,
               review_feedback.c.region_code == d.region_code, review_feedback.c.assigned_opd.is_not(None))
        .order_by(review_feedback.c.week_start.desc(), review_feedback.c.id.desc()).limit(1)).scalar()


def _require(conn: Connection, column, value: str, what: str, region_column=None, region_code: str = "") -> None:
    where = column == value if region_column is None else (column == value) & (region_column == region_code)
    if conn.execute(select(func.count()).where(where)).scalar_one() == 0:
        in_region = f" of region {region_code}" if region_column is not None else ""
        raise UsageError(f"no {what} with id {value!r}{in_region} in the warehouse")
