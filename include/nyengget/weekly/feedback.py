"""Review decisions: append-only records and what they mean for next week's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from nyengget.errors import UsageError
from nyengget.warehouse.schema import innovations, programme_versions, programmes, review_feedback
from nyengget.weekly.statuses import DISMISSED, REASONS, REVIVING_FIELDS, STATUSES


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


def record(engine: Engine, d: Decision) -> int:
    """Append one decision (never overwrites: the table is the audit trail); returns its id."""
    if d.status not in STATUSES:
        raise UsageError(f"unknown status {d.status!r}; use one of: {', '.join(STATUSES)}")
    if d.reason is not None and d.reason not in REASONS:
        raise UsageError(f"unknown reason {d.reason!r}; use one of: {', '.join(REASONS)}")
    if d.status == DISMISSED and not d.reason:
        raise UsageError("status tidak_relevan needs a reason")
    with engine.begin() as conn:
        _require(conn, innovations.c.innovation_id, d.innovation_id, "innovation")
        _require(conn, programmes.c.programme_id, d.programme_id, "programme")
        values = {**d.__dict__, "created_at": datetime.now(UTC)}
        return conn.execute(review_feedback.insert().values(**values)).inserted_primary_key[0]


def _require(conn, column, value: str, what: str) -> None:
    if conn.execute(select(func.count()).where(column == value)).scalar_one() == 0:
        raise UsageError(f"no {what} with id {value!r} in the warehouse")


def latest(engine: Engine, up_to: date | None = None) -> pd.DataFrame:
    """The latest decision per (innovation, programme), optionally only those made for weeks ≤ up_to."""
    query = select(review_feedback).order_by(review_feedback.c.id)
    if up_to is not None:
        query = query.where(review_feedback.c.week_start <= up_to)
    with engine.connect() as conn:
        df = pd.read_sql(query, conn)
    if df.empty:
        return df
    return df.groupby(["innovation_id", "programme_id"], as_index=False).tail(1).reset_index(drop=True)


def assignments(engine: Engine, up_to: date | None = None) -> dict[tuple[str, str], str]:
    """The latest reassignment per (innovation, programme): later decisions without one keep it."""
    query = (select(review_feedback.c.innovation_id, review_feedback.c.programme_id, review_feedback.c.assigned_opd)
             .where(review_feedback.c.assigned_opd.is_not(None)).order_by(review_feedback.c.id))
    if up_to is not None:
        query = query.where(review_feedback.c.week_start <= up_to)
    with engine.connect() as conn:
        return {(r.innovation_id, r.programme_id): r.assigned_opd for r in conn.execute(query)}


def for_matcher(engine: Engine, week_start: date) -> pd.DataFrame:
    """Decisions to hand to the matcher for `week_start`.

    A dismissal stops counting once its programme changed in a field that matters (window, ceiling,
    eligibility) in a week after the dismissal: the pair may come back with the change.
    """
    df = latest(engine, up_to=week_start)
    if df.empty:
        return pd.DataFrame(columns=["innovation_id", "programme_id", "status"])
    revived = _revived_pairs(engine, df[df.status == DISMISSED])
    keep = ~df.apply(lambda r: (r.innovation_id, r.programme_id) in revived, axis=1)
    return df.loc[keep, ["innovation_id", "programme_id", "status"]].reset_index(drop=True)


def _revived_pairs(engine: Engine, dismissed: pd.DataFrame) -> set[tuple[str, str]]:
    if dismissed.empty:
        return set()
    with engine.connect() as conn:
        versions = pd.read_sql(
            select(programme_versions.c.programme_id, programme_versions.c.week_start,
                   programme_versions.c.changed_fields)
            .where(programme_versions.c.programme_id.in_(dismissed.programme_id.unique().tolist()))
            .where(programme_versions.c.version > 1),
            conn,
        )
    revived = set()
    for row in dismissed.itertuples():
        later = versions[(versions.programme_id == row.programme_id) & (versions.week_start > row.week_start)]
        fields = {f for cf in later.changed_fields.dropna() for f in cf.split(",")}
        if fields & REVIVING_FIELDS:
            revived.add((row.innovation_id, row.programme_id))
    return revived
