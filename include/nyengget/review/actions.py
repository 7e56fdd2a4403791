"""Recording a reviewer's decision, with the server-side checks of who may act on what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Engine

from nyengget import decisions
from nyengget.decisions import DISMISSED, SCOPES
from nyengget.errors import UsageError
from nyengget.review import queries
from nyengget.review.auth import Forbidden, Viewer
from nyengget.weeks import parse_week


class NotFound(Exception):
    """No such item in that week's list."""


@dataclass(frozen=True)
class DecisionIn:
    week: str
    innovation_id: str
    programme_id: str
    status: str | None = None
    reason: str | None = None
    note: str | None = None
    assigned_opd: str | None = None
    dismissal_scope: str | None = None  # decisions.SCOPES; for "tidak relevan" only (default: this innovation)
    region_code: str | None = None  # the item's region; None: the viewer's only region


@dataclass(frozen=True)
class Listing:
    """What the viewer asked to see: the week, the filters, the items, and the filter choices."""

    week: date | None
    filters: queries.Filters
    items: list[dict]
    options: dict = field(default_factory=dict)
    weeks: list[date] = field(default_factory=list)
    partner: list[dict] = field(default_factory=list)  # an OPD's items as mitra (read-only), same filters

    @property
    def shown(self) -> list[dict]:
        """Everything the page shows: the viewer's items, then those as mitra (exports and the calendar)."""
        return self.items + self.partner


def listing(engine: Engine, viewer: Viewer, params: Mapping[str, str]) -> Listing:
    """The viewer's filtered, sorted list of the requested week (default: the latest one)."""
    try:
        f = queries.Filters.from_query(params)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if not viewer.is_bappeda and f.opd not in (None, viewer.opd):
        raise Forbidden(f"akun ini hanya untuk OPD {viewer.opd}")
    weeks = queries.weeks(engine)
    week = f.week or next(iter(weeks), None)
    if week is None:
        return Listing(None, f, [], {"opds": [], "funding_types": [], "bidang": []}, weeks)
    items = queries.week_items(engine, week, queries.viewer_regions(viewer))
    mine = queries.visible(items, viewer)
    f = f.with_week(week)
    partner = queries.apply(queries.as_partner(items, viewer), replace(f, opd=None))
    return Listing(week, f, queries.apply(mine, f), queries.options(mine), weeks, partner)


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def item_for(engine: Engine, viewer: Viewer, week: date, innovation_id: str, programme_id: str,
             region_code: str | None = None, *, partner_ok: bool = False) -> dict:
    """The item as the viewer may see it (in `region_code`, default: the first of the viewer's regions that
    lists it); NotFound or Forbidden otherwise. `partner_ok`: also the viewer's items as mitra, read-only
    (`as_partner`), for showing; deciding stays with the owner."""
    if region_code is not None and not viewer.covers(region_code):
        raise Forbidden("butir ini milik daerah lain")
    regions = [r for r in queries.viewer_regions(viewer) if region_code in (None, r.code)]
    it = queries.find(queries.week_items(engine, week, regions), innovation_id, programme_id, region_code)
    if it is None:
        raise NotFound(f"{innovation_id} × {programme_id} tidak ada dalam daftar pekan ini")
    if not viewer.may_act_on(it["opd_code"], it.get("region_code")):
        if partner_ok and (shown := queries.as_partner([it], viewer)):
            return shown[0]
        raise Forbidden("butir ini milik OPD lain")
    return it


def decide(engine: Engine, viewer: Viewer, d: DecisionIn) -> int:
    """Append the decision to `review_feedback`; returns its id. A reassignment is carried forward."""
    try:
        week = parse_week(d.week)
    except ValueError as exc:
        raise UsageError("pekan tidak sah (contoh: 2026-W48)") from exc
    it = item_for(engine, viewer, week, d.innovation_id, d.programme_id, _clean(d.region_code))
    status = _clean(d.status) or it["review_status"]
    if not status:
        raise UsageError("pilih status terlebih dahulu")
    reason, note, assigned = _clean(d.reason), _clean(d.note), _clean(d.assigned_opd)
    scope = _clean(d.dismissal_scope)
    if status != DISMISSED:
        reason = scope = None
    elif scope is not None and scope not in SCOPES:
        raise UsageError(f"cakupan tidak dikenal: {scope}")
    elif not reason:
        raise UsageError("pilih alasan mengapa tidak relevan")
    elif reason == "lainnya" and not note:
        raise UsageError("alasan 'Lainnya' perlu catatan")
    if assigned and assigned not in queries.opd_names(engine, it["region_code"]):
        raise UsageError(f"OPD tidak dikenal: {assigned}")
    decision = decisions.Decision(week, d.innovation_id, d.programme_id, status, viewer.username,
                                  reason=reason, note=note, assigned_opd=assigned, dismissal_scope=scope,
                                  region_code=it["region_code"])
    return decisions.record(engine, decision, scope=viewer.opd)  # current owner and staleness checked there
