"""Rendering of the review page through the shared template environment (`nyengget.templates`)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import Request
from fastapi.responses import HTMLResponse

from nyengget.regions import default_region
from nyengget.templates import environment
from nyengget.weeks import JAKARTA


def today(request: Request) -> date:
    """Today in WIB, from `app.state.today` when set (tests pin it), else the clock."""
    clock = getattr(request.app.state, "today", None)
    return clock() if clock else datetime.now(JAKARTA).date()


def root(request: Request) -> str:
    """The mount prefix (`/nyengget` inside Airflow, empty when the app runs alone)."""
    return request.scope.get("root_path", "").rstrip("/")


def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    if "bappeda" not in context:
        context["bappeda"] = getattr(request.state, "bappeda", None) or default_region().bappeda
    html = environment().get_template(name).render(root=root(request), **context)
    return HTMLResponse(html, status_code=status_code)
