"""Review decisions: append-only records and what they mean for next week's list."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from nyengget import decisions, dismissals
from nyengget.decisions import DISMISSED, Decision

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
    routing = decisions.routed(engine, region_code)
    owned = decisions.owners(engine, df.assign(opd_code=[homes.get(i) for i in df.innovation_id]), region_code,
                             routing=routing)
    keep = [s != DISMISSED or force.dismissed(i, p, o)
            for s, i, p, o in zip(df.status, df.innovation_id, df.programme_id, owned, strict=True)]
    rows = df.loc[keep, COLUMNS]
    wider = _wider_dismissals(force, homes, routing)
    return pd.concat([rows, wider], ignore_index=True) if not wider.empty else rows.reset_index(drop=True)


def _wider_dismissals(force: dismissals.Dismissals, homes: dict[str, str | None],
                      routing: dict[tuple[str, str], str]) -> pd.DataFrame:
    """One dismissed row per innovation of the region (`homes`: innovation -> its OPD) an OPD-wide or
    region-wide dismissal covers, for its own OPD or the one its pair is routed to (`routing`)."""
    if not force.by_opd and not force.region:
        return pd.DataFrame(columns=COLUMNS)
    programmes = sorted(force.region | {p for _, p in force.by_opd})
    out = [(i, p) for i, opd in homes.items() for p in programmes
           if force.hides(i, p, opd) or force.hides(i, p, routing.get((i, p)))]
    return pd.DataFrame([(i, p, DISMISSED) for i, p in out], columns=COLUMNS)
