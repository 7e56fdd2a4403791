"""The review page: a FastAPI app (HTML pages + a small JSON API), testable without Airflow.

`create_app(engine_factory, auth)` builds it; the Airflow plugin mounts it at `/nyengget` with
`auth=airflow_identity`, tests pass their own authentication dependency.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine

from nyengget.decisions import NotAllowed
from nyengget.errors import UsageError
from nyengget.orchestration.review_auth import airflow_identity
from nyengget.review import api, pages
from nyengget.review.actions import NotFound
from nyengget.review.auth import Authenticate, NotAuthenticated, load_user_map, plain_login_url
from nyengget.review.signing import SecretNotConfigured
from nyengget.review.views import page, root
from nyengget.warehouse.db import get_engine

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; frame-ancestors 'self'; form-action 'self'"),
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def create_app(
    engine_factory: Callable[[], Engine] = get_engine,
    auth: Authenticate = airflow_identity,
    *,
    login_url: Callable[[str], str] = plain_login_url,
    user_map: Callable[[], dict[str, str]] = load_user_map,
) -> FastAPI:
    """The review app; `auth` resolves the logged-in identity (override it in tests)."""
    app = FastAPI(title="Nyengget — telaah daftar mingguan", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine_factory = engine_factory
    app.state.authenticate = auth
    app.state.login_url = login_url
    app.state.user_map = user_map
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    _add_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


log = logging.getLogger(__name__)


def _wants_json(request: Request) -> bool:
    path = request.scope["path"]
    return path.removeprefix(root(request)).startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return page(request, "error.html", status_code=status, status=status, message=message)


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if _wants_json(request) or request.method != "GET":
            return JSONResponse({"detail": "Not authenticated"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        return RedirectResponse(request.app.state.login_url(str(request.url)), status_code=303)

    @app.exception_handler(NotAllowed)  # Forbidden, and the decisions module's ownership rules
    async def forbidden(request: Request, exc: NotAllowed) -> Response:
        return _error(request, 403, f"Tidak diizinkan: {exc}")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, f"Tidak ditemukan: {exc}")

    @app.exception_handler(SecretNotConfigured)
    async def no_secret(request: Request, exc: SecretNotConfigured) -> Response:
        log.error("review page refuses to sign or verify: %s", exc)
        return _error(request, 503, "Nyengget belum dikonfigurasi (rahasia tautan belum diatur); hubungi admin.")

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError) -> Response:
        return _error(request, 400, str(exc))
