"""Jinja2 rendering of the review page (autoescape on everything; scraped URLs only if http/https)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from nyengget import fmt
from nyengget.decisions import REASONS, STATUSES
from nyengget.forecast import calendar
from nyengget.urls import web_url
from nyengget.weeks import JAKARTA, week_label


def safe_url(url: str | None) -> str:
    """Only http(s) links (`nyengget.urls.web_url`); anything else (javascript:, data:) becomes `#`."""
    return web_url(url) or "#"


def waktu(moment: datetime | None) -> str:
    """A decision time in WIB (stored in UTC; SQLite gives it back without a zone)."""
    if moment is None:
        return "-"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M WIB")


def detail_href(it: dict) -> str:
    """App-relative link to an item's detail page."""
    return "/item?" + urlencode({"week": week_label(it["week_start"]), "innovation_id": it["innovation_id"],
                                 "programme_id": it["programme_id"], "region_code": it.get("region_code") or ""})


def query(params: dict) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("nyengget.review", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(tanggal=fmt.tanggal, rupiah=fmt.rupiah, pagu=fmt.pagu, alasan=fmt.alasan,
                       berubah=fmt.bidang_berubah, week_label=week_label, safe_url=safe_url, waktu=waktu,
                       status_label=lambda s: STATUSES.get(s, s or "Belum diputuskan"),
                       reason_label=lambda r: REASONS.get(r, r or ""))
    env.globals.update(STATUSES=STATUSES, REASONS=REASONS, query=query, detail_href=detail_href,
                       jadwal=calendar.describe, bulan=fmt.bulan)
    return env


def today(request: Request) -> date:
    """Today in WIB, from `app.state.today` when set (tests pin it), else the clock."""
    clock = getattr(request.app.state, "today", None)
    return clock() if clock else datetime.now(JAKARTA).date()


def root(request: Request) -> str:
    """The mount prefix (`/nyengget` inside Airflow, empty when the app runs alone)."""
    return request.scope.get("root_path", "").rstrip("/")


def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    if "bappeda" not in context:
        from nyengget.regions import default_region

        context["bappeda"] = getattr(request.state, "bappeda", None) or default_region().bappeda
    html = environment().get_template(name).render(root=root(request), **context)
    return HTMLResponse(html, status_code=status_code)
