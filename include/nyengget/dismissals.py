"""Dismissals in force: which "tidak relevan" decisions hide which items in a week, and for whom.

- A dismissal lasts while it is its pair's latest decision and its programme has not changed in a
  REVIVING_FIELDS field in a later week.
- An `opd` dismissal belongs to the OPD that owned the item when recorded (`dismissal_opd`): it hides
  the programme from that OPD only, its own pair included, never from an OPD that owns the item later
  (reassignment or routing); a later decision on its pair lifts it only when made while the pair
  belongs to that OPD again (that OPD, or Bappeda for it, changed its mind), not a reassignment away.
- A `region` dismissal hides the programme for everyone in the region.

Statuses, scopes and the owner of an item are defined in `nyengget.decisions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from nyengget.cells import known
from nyengget.decisions import (
    DISMISSED,
    OPD_SCOPE,
    PAIR,
    REGION,
    REVIVING_FIELDS,
    Pair,
    history,
    home_opds,
    latest,
    owner,
    routed,
)
from nyengget.warehouse.schema import programme_versions


@dataclass(frozen=True)
class Dismissals:
    """Dismissals in force: pairs, (OPD, programme) of `opd` scope, programmes of `region` scope."""

    pairs: frozenset[Pair] = frozenset()
    by_opd: frozenset[tuple[str, str]] = frozenset()
    region: frozenset[str] = frozenset()
    decided: frozenset[Pair] = frozenset()  # pairs whose own latest decision is not a dismissal: kept
    pair_opd: Mapping[Pair, str] = field(default_factory=dict)  # pairs of `opd` scope -> the OPD it is for

    def dismissed(self, innovation_id: str, programme_id: str, opd_code: str | None) -> bool:
        """Whether the pair's own latest decision dismisses it for `opd_code`, its owner: an `opd` scope
        dismissal recorded for another OPD does not."""
        pair = (innovation_id, programme_id)
        return pair in self.pairs and self.pair_opd.get(pair, opd_code) == opd_code

    def own_status(self, innovation_id: str, programme_id: str, status: str | None,
                   opd_code: str | None) -> str | None:
        """The pair's latest status as its owner `opd_code` sees it: another OPD's `opd` scope
        dismissal is no decision of this owner (None)."""
        if status == DISMISSED and (innovation_id, programme_id) in self.pairs:
            return status if self.dismissed(innovation_id, programme_id, opd_code) else None
        return status

    def scope_for(self, innovation_id: str, programme_id: str, opd_code: str | None) -> str | None:
        """The widest scope that dismisses this item for the OPD that owns it, or None."""
        if programme_id in self.region:
            return REGION
        if opd_code is not None and (opd_code, programme_id) in self.by_opd:
            return OPD_SCOPE
        return PAIR if (innovation_id, programme_id) in self.pairs else None

    def hides(self, innovation_id: str, programme_id: str, opd_code: str | None) -> bool:
        """Whether a wider dismissal (OPD or region) removes an item that was not dismissed itself."""
        pair = (innovation_id, programme_id)
        return (pair not in self.pairs and pair not in self.decided
                and self.scope_for(innovation_id, programme_id, opd_code) in (OPD_SCOPE, REGION))


def in_force(engine: Engine, up_to: date | None = None, region_code: str | None = None) -> Dismissals:
    """Dismissals of one region that count for week `up_to`: each pair's latest decision is a dismissal
    and its programme has not changed in a REVIVING_FIELDS field in a later week (up to `up_to`);
    `opd` scope ones also while later decisions on their pair were made for other OPDs (`_opd_wide`)."""
    past = history(engine, up_to, region_code)
    if past.empty:
        return Dismissals()
    revival = _last_revival(engine, past.programme_id[past.status == DISMISSED].unique().tolist(), up_to)
    df = latest(past)
    decided = frozenset(zip(df.innovation_id[df.status != DISMISSED], df.programme_id[df.status != DISMISSED],
                            strict=True))
    df = df[(df.status == DISMISSED) & ~_revived(df, revival)]
    scope = _scopes(df)
    pairs = zip(df.innovation_id, df.programme_id, strict=True)
    opd = df[(scope == OPD_SCOPE) & df.dismissal_opd.notna()]
    return Dismissals(frozenset(pairs), _opd_wide(engine, past, revival, region_code),
                      frozenset(df.programme_id[scope == REGION]), decided,
                      dict(zip(zip(opd.innovation_id, opd.programme_id, strict=True), opd.dismissal_opd, strict=True)))


def _scopes(df: pd.DataFrame) -> pd.Series:
    return df.dismissal_scope.fillna(PAIR) if "dismissal_scope" in df else pd.Series(PAIR, index=df.index)


def _opd_wide(engine: Engine, df: pd.DataFrame, revival: Mapping[str, date],
              region_code: str | None = None) -> frozenset[tuple[str, str]]:
    """(OPD, programme) of the `opd` scope dismissals in force in the decision history `df` (`history`):
    not revived, and no later decision on their pair made while the pair belonged to that OPD (a
    reassignment away keeps it)."""
    if "dismissal_scope" not in df:
        return frozenset()
    mask = (df.status == DISMISSED) & (_scopes(df) == OPD_SCOPE) & df.dismissal_opd.notna()
    found = df[mask & ~_revived(df, revival)]
    if found.empty:
        return frozenset()
    homes, routing = home_opds(engine, region_code), routed(engine, region_code)
    owners = [owner(homes.get(i), known(a), routing.get((i, p)))
              for i, p, a in zip(df.innovation_id, df.programme_id, df.assigned_opd, strict=True)]
    # (innovation, programme, owner) -> its last decision (the history is in decision order)
    last_for = dict(zip(zip(df.innovation_id, df.programme_id, owners, strict=True), df.index, strict=True))
    return frozenset((row.dismissal_opd, row.programme_id) for row in found.itertuples()
                     if last_for.get((row.innovation_id, row.programme_id, row.dismissal_opd), -1) <= row.Index)


def _last_revival(engine: Engine, programme_ids: list[str], up_to: date | None) -> dict[str, date]:
    """Per programme, the last week (up to `up_to`) in which it changed in a REVIVING_FIELDS field
    (window, ceiling, eligibility): a dismissal made before it no longer counts."""
    if not programme_ids:
        return {}
    v = programme_versions.c
    query = select(v.programme_id, v.week_start, v.changed_fields).where(
        v.programme_id.in_(programme_ids), v.version > 1, v.changed_fields.is_not(None))
    if up_to is not None:
        query = query.where(v.week_start <= up_to)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    out: dict[str, date] = {}
    for programme_id, week_start, changed in rows:
        if REVIVING_FIELDS & set(changed.split(",")) and week_start > out.get(programme_id, date.min):
            out[programme_id] = week_start
    return out


def _revived(df: pd.DataFrame, revival: Mapping[str, date]) -> pd.Series:
    """Per decision row: its programme changed in a field that matters in a week after the decision."""
    last = df.programme_id.map(revival)
    return last.notna() & (pd.to_datetime(last) > pd.to_datetime(df.week_start))
