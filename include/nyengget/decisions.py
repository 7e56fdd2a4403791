"""Review decisions, defined once: statuses, the current owner OPD and status of an item, who may decide.

Used by the weekly build, the review page and API, the email links, the reminders and the CLI.

Rules:
- `review_feedback` is append-only (the audit trail). Decisions are ordered by (week, id): a decision
  recorded for an older week never overrides one made for a later week.
- The owner OPD of an (innovation, programme) is the latest reassignment, else the innovation's OPD.
- Bappeda (scope None) may decide on any item; an OPD only on items it owns *now* (not as of an older
  week); an email link acts for the OPD it was sent to, so an older link loses its power once the item
  is reassigned, and links of a paused OPD are refused.
- A decision for an older week than the pair's latest decision is refused (decide on the latest week).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from nyengget.errors import UsageError
from nyengget.warehouse.schema import innovations, opds, programmes, review_feedback
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
    "lainnya": "Lainnya",
}
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
    df = history(engine, up_to, region_code)
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


def owner(home_opd: str | None, assigned_opd: str | None) -> str | None:
    """The owner OPD: the reassignment if any, else the innovation's own OPD."""
    return assigned_opd or home_opd


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
    return owner(home, assigned)


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
        check(conn, d, scope, via_link=via_link)
        assigned = d.assigned_opd or _current_assignment(conn, d)
        values = {**asdict(d), "assigned_opd": assigned, "created_at": datetime.now(UTC)}
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
