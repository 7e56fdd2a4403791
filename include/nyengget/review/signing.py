"""The signing secret of links and CSRF tokens, and the serializers built on it."""

from __future__ import annotations

import logging
import os

from itsdangerous import URLSafeTimedSerializer

log = logging.getLogger(__name__)

SECRET_ENV = "NYENGGET_LINK_SECRET"
SECRET_VARIABLE = "nyengget_link_secret"
DEV_SECRET = "nyengget-dev-only-link-secret-do-not-use-in-production"
_warned: list[bool] = []  # warn once per process


def _from_variable() -> str | None:
    """The Airflow Variable, when Airflow is reachable from this process (task or api-server)."""
    try:
        from airflow.sdk import Variable

        return Variable.get(SECRET_VARIABLE, default=None)
    except Exception:  # noqa: BLE001 - no Airflow here: fall back to the dev default below
        return None


def link_secret() -> str:
    """NYENGGET_LINK_SECRET, else the Airflow Variable `nyengget_link_secret`, else the dev default."""
    secret = os.environ.get(SECRET_ENV) or _from_variable()
    if secret:
        return secret
    if not _warned:
        _warned.append(True)
        log.warning("!!! %s / Airflow Variable %s not set: signing with the DEVELOPMENT secret. "
                "Anyone can forge review links. Set a secret before sending real emails. !!!",
                    SECRET_ENV, SECRET_VARIABLE)
    return DEV_SECRET


def serializer(salt: str, secret: str | None = None) -> URLSafeTimedSerializer:
    """A timestamped HMAC serializer; `salt` keeps one purpose's tokens from passing as another's."""
    return URLSafeTimedSerializer(secret or link_secret(), salt=salt)
