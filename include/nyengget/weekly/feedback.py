"""Review decisions: append-only records and what they mean for next week's list."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from nyengget import decisions, dismissals
from nyengget.decisions import DISMISSED, Decision
from nyengget.regions import region_of
from nyengget.warehouse.schema import innovations

__all__ = ["Decision", "assignments", "for_matcher", "latest", "record"]
COLUMNS = ["innovation_id", "programme_id", "status"]


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
    eligibility) in a week after the dismissal: the pair may come back with the change. A dismissal for
    an OPD removes the programme for every innovation of that OPD (or routed to it), one for the whole
    pemda for every innovation (`nyengget.dismissals.in_force`); an OPD's dismissal no longer counts for
    its pair once another OPD owns it.
    """
    df = decisions.current(engine, week_start, region_code)
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    force = dismissals.in_force(engine, up_to=week_start, region_code=region_code)
    homes = decisions.home_opds(engine, region_code)
    owned = decisions.owners(engine, df.assign(opd_code=[homes.get(i) for i in df.innovation_id]), region_code)
    keep = [s != DISMISSED or force.dismissed(i, p, o)
            for s, i, p, o in zip(df.status, df.innovation_id, df.programme_id, owned, strict=True)]
    rows = df.loc[keep, COLUMNS]
    wider = _wider_dismissals(engine, force, region_code)
    return pd.concat([rows, wider], ignore_index=True) if not wider.empty else rows.reset_index(drop=True)


def _wider_dismissals(engine: Engine, force: dismissals.Dismissals, region_code: str | None) -> pd.DataFrame:
    """One dismissed row per innovation of the region an OPD-wide or region-wide dismissal covers."""
    if not force.by_opd and not force.region:
        return pd.DataFrame(columns=COLUMNS)
    with engine.connect() as conn:
        inns = conn.execute(select(innovations.c.innovation_id, innovations.c.opd_code)
                            .where(innovations.c.region_code == region_of(region_code).code)).all()
    routed = decisions.routed(engine, region_code)
    programmes = sorted(force.region | {p for _, p in force.by_opd})
    out = [(i.innovation_id, p) for i in inns for p in programmes
           if force.hides(i.innovation_id, p, i.opd_code)
           or force.hides(i.innovation_id, p, routed.get((i.innovation_id, p)))]
    return pd.DataFrame([(i, p, DISMISSED) for i, p in out], columns=COLUMNS)
