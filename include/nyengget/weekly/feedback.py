"""Review decisions: append-only records and what they mean for next week's list."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from nyengget import decisions
from nyengget.decisions import DISMISSED, REVIVING_FIELDS, Decision
from nyengget.warehouse.schema import programme_versions

__all__ = ["Decision", "assignments", "for_matcher", "latest", "record"]


def record(engine: Engine, d: Decision, scope: str | None = None) -> int:
    """Append one decision (see `nyengget.decisions.record`: checks who may decide, never overwrites)."""
    return decisions.record(engine, d, scope)


def latest(engine: Engine, up_to: date | None = None) -> pd.DataFrame:
    """The current decision per pair, optionally as of week `up_to` (see `nyengget.decisions.current`)."""
    return decisions.current(engine, up_to)


def assignments(engine: Engine, up_to: date | None = None) -> dict[tuple[str, str], str]:
    return decisions.assignments(engine, up_to)


def for_matcher(engine: Engine, week_start: date, region_code: str | None = None) -> pd.DataFrame:
    """Decisions to hand to the matcher for `week_start`.

    A dismissal stops counting once its programme changed in a field that matters (window, ceiling,
    eligibility) in a week after the dismissal: the pair may come back with the change.
    """
    df = decisions.current(engine, week_start, region_code)
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
