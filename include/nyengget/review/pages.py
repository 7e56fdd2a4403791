"""Server-rendered pages: the list with filters, the detail, decisions, exports, the email-link page."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine, select

from nyengget.decisions import PAIR, REASONS, SCOPES, NotAllowed
from nyengget.errors import UsageError
from nyengget.forecast.windows import programme_windows
from nyengget.notify import disappeared
from nyengget.regions import region_of
from nyengget.report import calendar_sheet
from nyengget.review import csrf, export, links, present, queries
from nyengget.review.actions import DecisionIn, decide, item_for, listing
from nyengget.review.auth import Forbidden, Viewer
from nyengget.review.deps import EngineDep, ViewerDep
from nyengget.review.views import page, root, today
from nyengget.templates import query
from nyengget.warehouse.schema import innovations, programmes
from nyengget.weeks import parse_week, week_label

router = APIRouter()


def _here(request: Request) -> str:
    """This page's path and query, relative to the app (for `next` after a form)."""
    path = request.scope["path"].removeprefix(root(request)) or "/"
    return path + (f"?{request.url.query}" if request.url.query else "")


def _common(request: Request, viewer: Viewer) -> dict:
    return {"viewer": viewer, "csrf_token": csrf.issue(viewer.username), "here": _here(request),
            "saved": request.query_params.get("ok") == "1", "bappeda": _bappeda(viewer)}


def _bappeda(viewer: Viewer) -> str:
    """The viewer's planning agency for the page header: their region's, or the first region they cover."""
    regions = queries.viewer_regions(viewer)
    exact = [r for r in regions if r.code == viewer.region_code]
    return (exact or regions or [region_of(None)])[0].bappeda


def _opd_names(engine, viewer: Viewer) -> dict[str, str]:
    names: dict[str, str] = {}
    for region in queries.viewer_regions(viewer):
        names.update(queries.opd_names(engine, region.code))
    return names


@router.get("/", response_class=HTMLResponse)
def index(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    lst = listing(engine, viewer, request.query_params)
    params = {k: v for k, v in request.query_params.items() if k != "ok"}
    now = today(request)
    gone = [g for r in queries.viewer_regions(viewer) for g in disappeared.pursued(engine, region_code=r.code)
            if viewer.may_act_on(g["opd_code"], r.code)]
    return page(request, "list.html", lst=lst, f=lst.filters, params=params, export_query=query(params),
                groups=present.by_programme(lst.items), partner_groups=present.by_programme(lst.partner), windows=programme_windows(engine, now), today=now,
                gone=gone, opd_names=_opd_names(engine, viewer), flags=queries.FLAG_LABELS, sorts=queries.SORTS,
                **_common(request, viewer))


@router.get("/item", response_class=HTMLResponse)
def detail(request: Request, week: str, innovation_id: str, programme_id: str, viewer: ViewerDep,
           engine: EngineDep, region_code: str | None = None) -> Response:
    monday = _week(week)
    it = item_for(engine, viewer, monday, innovation_id, programme_id, region_code or None, partner_ok=True)
    now = today(request)
    return page(request, "detail.html", it=it, week=monday, opd_names=queries.opd_names(engine, it["region_code"]),
                window=programme_windows(engine, now).get(programme_id), today=now,
                versions=queries.versions(engine, programme_id), evidence=queries.evidence(engine, programme_id),
                decisions=queries.decisions(engine, innovation_id, programme_id, it["region_code"]),
                **_common(request, viewer))


@router.get("/kalender", response_class=HTMLResponse)
def calendar_page(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    """The year view: windows and forecasts of the programmes in the viewer's latest list."""
    cal = present.calendar_view(engine, viewer, request.query_params, today(request))
    return page(request, "calendar.html", cal=cal, **_common(request, viewer))


@router.get("/kalender.xlsx")
def calendar_download(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    cal = present.calendar_view(engine, viewer, request.query_params, today(request))
    body = calendar_sheet.to_xlsx(cal.entries, cal.year)
    name = f"nyengget-kalender-{cal.year}" + (f"-{viewer.opd}" if viewer.opd else "")
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


@router.post("/keputusan")
async def post_decision(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    form = await request.form()
    if not csrf.valid(form.get("csrf"), viewer.username):
        raise Forbidden("token CSRF tidak sah; muat ulang halaman lalu coba lagi")
    fields = {k: form.get(k) for k in ("week", "innovation_id", "programme_id", "status", "reason", "note",
                                        "assigned_opd", "dismissal_scope", "region_code")}
    decide(engine, viewer, DecisionIn(**{k: (str(v) if v is not None else None) for k, v in fields.items()}))
    return RedirectResponse(root(request) + _with_ok(str(form.get("next") or "/")), status_code=303)


def _with_ok(next_path: str) -> str:
    """Only a path inside this app (no open redirect), with `ok=1` for the "tersimpan" banner."""
    if not next_path.startswith("/") or next_path.startswith("//") or "\\" in next_path:
        next_path = "/"
    path, _, qs = next_path.partition("?")
    kept = "&".join(p for p in qs.split("&") if p and not p.startswith("ok="))
    return f"{path}?{kept + '&' if kept else ''}ok=1"


@router.get("/ekspor.{fmt}")
def download(fmt: str, request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    """Exactly the filtered view (same query parameters as the page) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise UsageError("format ekspor: csv atau xlsx")
    lst = listing(engine, viewer, request.query_params)
    name = "nyengget-" + (week_label(lst.week) if lst.week else "kosong") + (f"-{viewer.opd}" if viewer.opd else "")
    if fmt == "csv":
        body, mime = export.to_csv(lst.shown), "text/csv; charset=utf-8"
    else:
        body = export.to_xlsx(lst.shown, title=name)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/tautan/{token}", response_class=HTMLResponse)
def link_page(token: str, request: Request, engine: EngineDep) -> Response:
    """Landing page of an email link: shows the item and asks for the reason (recording needs a POST)."""
    link, error = _read_link(token)
    if error:
        return error_page(request, *error)
    if links.already_used(engine, link):
        return page(request, "link_done.html", link=link, already=True, **_pair_context(engine, link))
    if problem := links.refusal(engine, link):
        return error_page(request, 403, f"Tautan ini tidak berlaku lagi: {problem}.")
    return page(request, "link_confirm.html", link=link, token=token, csrf_token=csrf.issue(f"link:{token}"),
                **_pair_context(engine, link))


@router.post("/tautan/{token}", response_class=HTMLResponse)
async def link_submit(token: str, request: Request, engine: EngineDep) -> Response:
    link, error = _read_link(token)
    if error:
        return error_page(request, *error)
    form = await request.form()
    if not csrf.valid(form.get("csrf"), f"link:{token}"):
        return error_page(request, 403, "Token formulir tidak sah; buka lagi tautan dari email.")
    context = _pair_context(engine, link)
    if links.already_used(engine, link):
        return page(request, "link_done.html", link=link, already=True, **context)
    reason, note = str(form.get("reason") or ""), str(form.get("note") or "").strip() or None
    scope = str(form.get("dismissal_scope") or PAIR)
    if reason not in REASONS or (reason == "lainnya" and not note) or scope not in SCOPES:
        return page(request, "link_confirm.html", status_code=400, link=link, token=token,
                    csrf_token=csrf.issue(f"link:{token}"), problem="Pilih alasan (dan isi catatan untuk "
                    "'Lainnya').", **context)
    if problem := links.refusal(engine, link):
        return error_page(request, 403, f"Tautan ini tidak berlaku lagi: {problem}.")
    try:
        links.record(engine, link, reason, note, scope)
    except NotAllowed as exc:
        return error_page(request, 403, f"Tidak diizinkan: {exc}.")
    return page(request, "link_done.html", link=link, already=False, scope=scope, **context)


def _read_link(token: str) -> tuple[links.DismissLink | None, tuple[int, str] | None]:
    try:
        return links.read_token(token), None
    except links.LinkExpired:
        return None, (410, "Tautan ini sudah kedaluwarsa. Buka halaman telaah Nyengget untuk memberi keputusan.")
    except links.LinkInvalid:
        return None, (400, "Tautan ini tidak sah (mungkin terpotong atau diubah).")


def _pair_context(engine: Engine, link: links.DismissLink) -> dict:
    with engine.connect() as conn:
        inn = conn.execute(select(innovations.c.name).where(
            innovations.c.innovation_id == link.innovation_id,
            innovations.c.region_code == region_of(link.region_code).code)).scalar_one_or_none()
        prog = conn.execute(select(programmes.c.title, programmes.c.source_url).where(
            programmes.c.programme_id == link.programme_id)).first()
    return {"innovation_name": inn or link.innovation_id, "programme_title": prog.title if prog else link.programme_id,
            "source_url": prog.source_url if prog else None, "week_label": week_label(link.week_start)}


def error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", status_code=status, status=status, message=message)


def _week(label: str) -> date:
    try:
        return parse_week(label)
    except ValueError as exc:
        raise UsageError("pekan tidak sah (contoh: 2026-W48)") from exc

