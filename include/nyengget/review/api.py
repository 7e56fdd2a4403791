"""The JSON API under `/nyengget/api/` (same rules as the page: login, OPD scope, CSRF for cookies)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from nyengget.errors import UsageError
from nyengget.review import csrf, queries
from nyengget.review.actions import DecisionIn, decide, item_for, listing
from nyengget.review.auth import Forbidden
from nyengget.review.deps import EngineDep, ViewerDep
from nyengget.weeks import parse_week, week_label

router = APIRouter()


class FeedbackIn(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W48")
    innovation_id: str
    programme_id: str
    status: str | None = None
    reason: str | None = None
    note: str | None = Field(default=None, max_length=2000)
    assigned_opd: str | None = None
    dismissal_scope: str | None = Field(default=None, description="for tidak_relevan: inovasi | opd | region")
    region_code: str | None = Field(default=None, description="the item's region (Kemendagri code, e.g. 36.72)")


@router.get("/me")
def me(viewer: ViewerDep) -> dict:
    return {"username": viewer.username, "opd": viewer.opd, "bappeda": viewer.is_bappeda,
            "region": viewer.region_code, "regions": [r.code for r in queries.viewer_regions(viewer)],
            "csrf_token": csrf.issue(viewer.username)}


@router.get("/weekly")
def weekly(request: Request, viewer: ViewerDep, engine: EngineDep) -> dict:
    """`?week=YYYY-Www&opd=&funding_type=&bidang=&flag=baru|berubah|segera_ditutup&status=&sort=`;
    `partner_items`: an OPD's items as mitra (proposed by another OPD; read-only)."""
    lst = listing(engine, viewer, request.query_params)
    week = lst.week
    return {"week": week_label(week) if week else None, "week_start": week, "count": len(lst.items),
            "items": lst.items, "partner_items": lst.partner}


@router.get("/item")
def item(week: str, innovation_id: str, programme_id: str, viewer: ViewerDep, engine: EngineDep,
         region_code: str | None = None) -> dict:
    it = item_for(engine, viewer, _week(week), innovation_id, programme_id, region_code)
    return {"item": it, "versions": queries.versions(engine, programme_id),
            "decisions": queries.decisions(engine, innovation_id, programme_id, it["region_code"])}


@router.post("/feedback", status_code=201)
def post_feedback(body: FeedbackIn, viewer: ViewerDep, engine: EngineDep,
                  x_csrf_token: Annotated[str | None, Header()] = None) -> dict:
    """Append a decision. With cookie login, the `X-CSRF-Token` header (from `/api/me`) is required."""
    if not viewer.via_header and not csrf.valid(x_csrf_token, viewer.username):
        raise Forbidden("token CSRF tidak sah")
    decision_id = decide(engine, viewer, DecisionIn(**body.model_dump()))
    return {"id": decision_id}


def _week(label: str) -> date:
    try:
        return parse_week(label)
    except ValueError as exc:
        raise UsageError("pekan tidak sah (contoh: 2026-W48)") from exc
