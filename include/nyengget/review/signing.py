"""The signing secret of links and CSRF tokens, and the serializers built on it. Fails closed.

Where the secret comes from, in order (the CLI, the DAG tasks and the api-server all read it the same way):

1. `NYENGGET_LINK_SECRET` (environment), or the file named by `NYENGGET_LINK_SECRET_FILE`;
2. the Airflow Variable `nyengget_link_secret` (task SDK in tasks and the api-server; the metadata
   database from the `nyengget` CLI; `AIRFLOW_VAR_NYENGGET_LINK_SECRET` everywhere);
3. only in the embedded default (`make run`, `make up`: SQLite warehouse, `.eml` outbox): a random secret
   generated on first use in `NYENGGET_HOME/secrets/link-secret` (mode 0600).

Anything else (real SMTP, a PostgreSQL warehouse, compose) raises SecretNotConfigured naming the setting:
nothing is signed or verified with a secret anyone could read in the source.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import time
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer

from nyengget.config import get_settings
from nyengget.errors import NotConfigured, PermanentError
from nyengget.settings import env_fingerprint

log = logging.getLogger(__name__)

SECRET_ENV = "NYENGGET_LINK_SECRET"
SECRET_FILE_ENV = "NYENGGET_LINK_SECRET_FILE"
SECRET_VARIABLE = "nyengget_link_secret"
MIN_LENGTH = 24
# sha256 of secrets once published in this repository (the old link default, compose's old JWT default)
PUBLIC_SECRETS_SHA256 = frozenset({
    "800d7d96fb06e178d2c2550451112ad7ab10f6bce7fbb0f82e0ddd6f375273dc",
    "67b82438279d06869228d03678554146d72bcd31adb1ee22f69de31248eb1deb",
})


class SecretNotConfigured(NotConfigured, PermanentError):
    """No usable link secret: configure NYENGGET_LINK_SECRET or the Airflow Variable nyengget_link_secret.
    A task retry cannot fix this, so the task fails at once."""


def _from_variable() -> str | None:
    """The Airflow Variable: through the task SDK (tasks, api-server), else the metadata database (CLI)."""
    try:
        from airflow.sdk import Variable

        value = Variable.get(SECRET_VARIABLE, default=None)
        if value:
            return value
    except Exception:  # noqa: BLE001 - not in a task / api-server: try the metadata database next
        pass
    try:
        from airflow.models.variable import Variable as ModelVariable

        return ModelVariable.get(SECRET_VARIABLE, default_var=None)
    except Exception:  # noqa: BLE001 - no Airflow metadata database reachable from here
        return None


def _from_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretNotConfigured(f"{SECRET_FILE_ENV}={path} cannot be read: {exc}") from exc


def _home_secret(home: Path) -> str:
    """The embedded default's own random secret, created once (atomically: concurrent first uses agree)."""
    path = home / "secrets" / "link-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".link-secret.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # fails if another process won the race: use theirs
            log.info("generated a new link secret in %s", path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text(encoding="utf-8").strip()


def _checked(secret: str, where: str) -> str:
    if len(secret) < MIN_LENGTH:
        raise SecretNotConfigured(f"{where} is too short ({len(secret)} characters; use at least {MIN_LENGTH}, "
                                  "e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    if hashlib.sha256(secret.encode()).hexdigest() in PUBLIC_SECRETS_SHA256:
        raise SecretNotConfigured(f"{where} is a secret published in the Nyengget source; set a random one")
    return secret


CACHE_S = 60.0  # a changed Variable is picked up within a minute; a digest signs hundreds of links
_cache: dict[tuple, tuple[float, str]] = {}


def link_secret() -> str:
    """The configured secret (see the module docstring); raises SecretNotConfigured otherwise."""
    key = env_fingerprint()  # whatever configures the secret (the settings, Airflow's Variable)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < CACHE_S:
        return hit[1]
    secret = _resolve()
    _cache.clear()
    _cache[key] = (time.monotonic(), secret)
    return secret


def _resolve() -> str:
    settings = get_settings()
    if settings.link_secret:
        return _checked(settings.link_secret.get_secret_value(), SECRET_ENV)
    if settings.link_secret_file:
        return _checked(_from_file(str(settings.link_secret_file)), SECRET_FILE_ENV)
    variable = _from_variable()
    if variable:
        return _checked(variable, f"Airflow Variable {SECRET_VARIABLE}")
    if settings.embedded:
        return _home_secret(settings.home)
    raise SecretNotConfigured(
        f"no link secret configured: set {SECRET_ENV} (or {SECRET_FILE_ENV}) or the Airflow Variable "
        f"{SECRET_VARIABLE} — the same value for the DAG workers, the api-server and the nyengget CLI. "
        "Only the embedded default (SQLite warehouse, NYENGGET_MAIL_DELIVERY=file) generates its own.")


def serializer(salt: str, secret: str | None = None) -> URLSafeTimedSerializer:
    """A timestamped HMAC serializer; `salt` keeps one purpose's tokens from passing as another's."""
    return URLSafeTimedSerializer(secret or link_secret(), salt=salt)
