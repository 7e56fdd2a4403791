"""Who is asking: the logged-in identity (from Airflow's auth manager) and what that user may see.

Authentication is a FastAPI dependency returning an `Identity` or raising `NotAuthenticated`; the
plugin uses `review.airflow_auth.airflow_identity` (the api-server's JWT, header or `_token` cookie),
tests override it.
Authorisation comes from a user→role mapping (YAML file at NYENGGET_USERS_FILE), each role with a region
(Kemendagri code, `nyengget.regions`; without one, the default region):

- `bappeda:36.72` — a city's or regency's planners: every item of that region;
- `bappeda:36` — a province's planners: every item of the province's kabupaten/kota (and its own);
- `36.72:DINKES` — an OPD: only its own items in its own region (`DINKES` alone: in the default region);
- `bappeda` — the default region's planners. An unlisted user sees nothing.
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
    """A logged-in user with the scope of what they may see: the region (a kabupaten/kota code, or a
    province's two digits) and, for OPD staff, the OPD (`opd` None: the region's planners, Bappeda)."""

    username: str
    opd: str | None
    via_header: bool = False
    region: str = ""  # "" = the default region (resolved when first needed)

    @property
    def is_bappeda(self) -> bool:
        return self.opd is None

    @property
    def region_code(self) -> str:
        if self.region:
            return self.region
        from nyengget.regions import default_region

        return default_region().code

    def covers(self, region_code: str | None) -> bool:
        """The viewer's region, or (a province's planners) one of the province's kabupaten/kota."""
        scope = self.region_code
        region_code = region_code or scope
        if self.is_bappeda and "." not in scope:
            return region_code == scope or region_code.split(".", 1)[0] == scope
        return region_code == scope

    def may_act_on(self, opd_code: str | None, region_code: str | None = None) -> bool:
        if not self.covers(region_code):
            return False
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


def parse_role(role: str) -> tuple[str, str | None]:
    """`bappeda[:REGION]` or `[REGION:]OPD` -> (region code, "" for the default region; OPD code or None)."""
    head, _, tail = role.strip().partition(":")
    if head.lower() == BAPPEDA:
        return tail.strip(), None
    if tail:
        return head.strip(), tail.strip()
    return "", head.strip()


def viewer_for(identity: Identity, user_map: dict[str, str]) -> Viewer:
    """Scope the identity; raises Forbidden for a user missing from the mapping."""
    role = user_map.get(identity.username)
    if role is None:
        raise Forbidden(f"pengguna {identity.username!r} belum dipetakan ke Bappeda atau OPD")
    region, opd = parse_role(role)
    return Viewer(identity.username, opd, identity.via_header, region)


def plain_login_url(next_url: str) -> str:
    """Login URL for the stand-alone app (tests, uvicorn)."""
    return "/login?" + urlencode({"next": next_url})
