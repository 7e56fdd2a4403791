"""Reading the weekly list for the review page: current decisions, filters, sorting, detail."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine, select

from nyengget import decisions as rules
from nyengget import dismissals
from nyengget.decisions import STATUSES
from nyengget.review.auth import Viewer
from nyengget.warehouse.schema import nyengget_weekly, opds, programme_versions, programmes, review_feedback
from nyengget.weekly import build
from nyengget.weeks import parse_week

FLAGS = {"baru": "is_new", "berubah": "is_changed", "segera_ditutup": "closing_soon"}
FLAG_LABELS = {"baru": "Baru", "berubah": "Berubah", "segera_ditutup": "Segera ditutup"}
UNDECIDED = "belum"
SORTS = {"tenggat": "Tenggat terdekat", "skor": "Skor tertinggi", "pagu": "Pagu terbesar"}


@dataclass(frozen=True)
class Filters:
    week: date | None = None
    opd: str | None = None
    funding_type: str | None = None
    bidang: str | None = None
    flag: str | None = None
    status: str | None = None
    sort: str = "tenggat"

    @classmethod
    def from_query(cls, q: Mapping[str, str]) -> Filters:
        """From query parameters; raises ValueError (in Indonesian) for a bad value."""
        def get(name: str) -> str | None:
            return (q.get(name) or "").strip() or None

        week = parse_week(get("week")) if get("week") else None
        flag, status, sort = get("flag"), get("status"), get("sort") or "tenggat"
        if flag and flag not in FLAGS:
            raise ValueError(f"penanda tidak dikenal: {flag}")
        if status and status != UNDECIDED and status not in STATUSES:
            raise ValueError(f"status tidak dikenal: {status}")
        if sort not in SORTS:
            raise ValueError(f"urutan tidak dikenal: {sort}")
        return cls(week, get("opd"), get("funding_type"), get("bidang"), flag, status, sort)

    def with_week(self, week: date) -> Filters:
        return replace(self, week=week)


def weeks(engine: Engine) -> list[date]:
    """Weeks with a list, newest first."""
    query = select(nyengget_weekly.c.week_start).distinct().order_by(nyengget_weekly.c.week_start.desc())
    with engine.connect() as conn:
        return [r.week_start for r in conn.execute(query)]


def opd_names(engine: Engine, region_code: str | None = None) -> dict[str, str]:
    """The region's OPDs (default: the default region's), code -> short name."""
    from nyengget.regions import region_of

    query = select(opds).where(opds.c.region_code == region_of(region_code).code).order_by(opds.c.opd_code)
    with engine.connect() as conn:
        return {r.opd_code: r.short_name or r.name for r in conn.execute(query)}


def viewer_regions(viewer: Viewer) -> list:
    """The configured regions the viewer's scope covers, in file order."""
    from nyengget.regions import configured_regions

    return [r for r in configured_regions() if viewer.covers(r.code)]


def week_items(engine: Engine, week: date, regions: list | None = None) -> list[dict]:
    """The week's list of each of `regions` (default: the default region) with the latest decision of each
    pair (made for this week or earlier), each item with its `region_code` and `region_name`."""
    from nyengget.regions import region_of

    items: list[dict] = []
    for region in regions if regions is not None else [region_of(None)]:
        found = _region_items(engine, week, region.code)
        for it in found:
            it["region_name"] = region.name
        items += found
    return items


def _region_items(engine: Engine, week: date, region_code: str) -> list[dict]:
    items = [_plain(it) for it in build.records(build.load_week(engine, week, region_code))]
    latest = rules.current(engine, week, region_code)
    decided = {} if latest.empty else {
        (r["innovation_id"], r["programme_id"]): r for r in build.records(latest)}
    names = opd_names(engine, region_code)
    force = dismissals.in_force(engine, week, region_code) if decided else dismissals.Dismissals()
    for it in items:
        d = decided.get((it["innovation_id"], it["programme_id"]))
        it.update(review_status=None, review_reason=None, review_note=None, assigned_opd=None)
        if d:
            it.update(review_status=d["status"], review_reason=d["reason"], review_note=d["note"],
                      assigned_opd=d["assigned_opd"])
            it["opd_code"] = rules.owner(it["opd_code"], d["assigned_opd"])
            it["review_status"] = force.own_status(it["innovation_id"], it["programme_id"], d["status"],
                                                   it["opd_code"])
        it["opd_name"] = names.get(it["opd_code"], it["opd"])
        it["partner_opd"] = rules.partner(it.get("partner_opd_code"), it["opd_code"])
        it["partner_name"] = names.get(it["partner_opd"]) if it["partner_opd"] else None
    return items


def _plain(it: dict) -> dict:
    """Python scalars instead of numpy/pandas ones (JSON, templates and workbooks want those)."""
    out = {}
    for key, value in it.items():
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime().date()
        elif hasattr(value, "item") and not isinstance(value, str):
            value = value.item()
        out[key] = value
    return out


def visible(items: list[dict], viewer: Viewer) -> list[dict]:
    """Only what the viewer may see: the region's (a province's: its kabupaten/kota's) items for Bappeda,
    the own OPD's items in its own region otherwise."""
    return [it for it in items if viewer.may_act_on(it["opd_code"], it.get("region_code"))]


def as_partner(items: list[dict], viewer: Viewer) -> list[dict]:
    """An OPD's items as partner (mitra): proposed by another OPD, shown read-only (`as_partner`)."""
    if viewer.is_bappeda:
        return []
    return [{**it, "as_partner": True} for it in items
            if it.get("partner_opd") == viewer.opd and viewer.covers(it.get("region_code"))]


def _matches(it: dict, f: Filters) -> bool:
    status_ok = (f.status is None or (f.status == UNDECIDED and not it["review_status"])
                 or it["review_status"] == f.status)
    return (status_ok
            and (f.opd is None or it["opd_code"] == f.opd)
            and (f.funding_type is None or it["funding_type"] == f.funding_type)
            and (f.bidang is None or it["bidang"] == f.bidang)
            and (f.flag is None or bool(it[FLAGS[f.flag]])))


def _sort_key(sort: str):
    if sort == "skor":
        return lambda it: (-(it["score"] or 0), it["rank"])
    if sort == "pagu":
        return lambda it: (it["ceiling_idr"] is None, -(it["ceiling_idr"] or 0), it["rank"])
    return lambda it: (it["closes_on"] is None, it["closes_on"] or date.max, it["rank"])


def apply(items: list[dict], f: Filters) -> list[dict]:
    """Filter and sort (deadline: soonest first, no deadline last; score and ceiling: largest first)."""
    return sorted((it for it in items if _matches(it, f)), key=_sort_key(f.sort))


def options(items: list[dict]) -> dict[str, list]:
    """Values for the filter drop-downs, from what the viewer can see."""
    def distinct(key: str) -> list:
        return sorted({it[key] for it in items if it[key]})

    opd_pairs = sorted({(it["opd_code"], it["opd_name"]) for it in items if it["opd_code"]})
    return {"opds": opd_pairs, "funding_types": distinct("funding_type"), "bidang": distinct("bidang")}


def find(items: list[dict], innovation_id: str, programme_id: str, region_code: str | None = None) -> dict | None:
    return next((it for it in items if it["innovation_id"] == innovation_id
                 and it["programme_id"] == programme_id
                 and (region_code is None or it.get("region_code") == region_code)), None)


def versions(engine: Engine, programme_id: str) -> list[dict]:
    """The programme's history of versions, newest first."""
    query = (select(programme_versions.c.version, programme_versions.c.week_start,
                    programme_versions.c.changed_fields, programme_versions.c.change_note)
             .where(programme_versions.c.programme_id == programme_id)
             .order_by(programme_versions.c.version.desc()))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def evidence(engine: Engine, programme_id: str) -> dict:
    """The sentence of the source each field was read from (window, ceiling, ...), when recorded."""
    with engine.connect() as conn:
        raw = conn.execute(select(programmes.c.evidence).where(programmes.c.programme_id == programme_id)).scalar()
    try:
        found = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    if found.get("extended_from"):
        found["extended_from"] = date.fromisoformat(str(found["extended_from"])[:10])
    return found


def decisions(engine: Engine, innovation_id: str, programme_id: str, region_code: str | None = None) -> list[dict]:
    """Every decision on the region's pair (default: the default region's; the audit trail), newest first."""
    from nyengget.regions import region_of

    query = (select(review_feedback)
             .where(review_feedback.c.innovation_id == innovation_id,
                    review_feedback.c.programme_id == programme_id,
                    review_feedback.c.region_code == region_of(region_code).code)
             .order_by(review_feedback.c.id.desc()))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]
