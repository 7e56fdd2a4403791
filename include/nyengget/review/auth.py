"""Who is asking: the logged-in identity (from Airflow's auth manager) and what that user may see.

Authentication is a FastAPI dependency returning an `Identity` or raising `NotAuthenticated`; the
plugin uses `review.airflow_auth.airflow_identity` (the api-server's JWT), tests override it.
Authorisation comes from a user→OPD mapping (YAML file at NYENGGET_USERS_FILE): `bappeda` sees and
acts on everything, an OPD code only on that OPD's items, and an unlisted user on nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml
from fastapi import Request

from nyengget.config import get_settings
from nyengget.decisions import NotAllowed

log = logging.getLogger(__name__)

BAPPEDA = "bappeda"
EXAMPLE_USERS_FILE = Path(__file__).resolve().parent / "users.example.yaml"


class NotAuthenticated(Exception):
    """No valid login on the request (the page redirects to login, the API answers 401)."""


class Forbidden(NotAllowed):
    """Logged in, but not allowed to see or do this (403)."""


@dataclass(frozen=True)
class Identity:
    username: str
    via_header: bool = False  # credentials sent explicitly (Authorization), not as an ambient cookie


@dataclass(frozen=True)
class Viewer:
    """A logged-in user with the scope of what they may see: `opd` None means all (Bappeda)."""

    username: str
    opd: str | None
    via_header: bool = False

    @property
    def is_bappeda(self) -> bool:
        return self.opd is None

    def may_act_on(self, opd_code: str | None) -> bool:
        return self.is_bappeda or (opd_code is not None and opd_code == self.opd)


Authenticate = Callable[[Request], Awaitable[Identity]]


def load_user_map(path: str | Path | None = None) -> dict[str, str]:
    """`{username: "bappeda" | OPD code}` from the YAML file (empty, with a warning, when none is set)."""
    path = path or get_settings().users_file
    if not path:
        log.warning("NYENGGET_USERS_FILE is not set: no user may use the review page (see %s)",
                    EXAMPLE_USERS_FILE)
        return {}
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    users = data.get("users") or {}
    return {str(name): str(scope) for name, scope in users.items()}


def viewer_for(identity: Identity, user_map: dict[str, str]) -> Viewer:
    """Scope the identity; raises Forbidden for a user missing from the mapping."""
    scope = user_map.get(identity.username)
    if scope is None:
        raise Forbidden(f"pengguna {identity.username!r} belum dipetakan ke Bappeda atau OPD")
    opd = None if scope.lower() == BAPPEDA else scope
    return Viewer(identity.username, opd, identity.via_header)


def plain_login_url(next_url: str) -> str:
    """Login URL for the stand-alone app (tests, uvicorn)."""
    return "/login?" + urlencode({"next": next_url})
