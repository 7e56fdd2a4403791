"""Delivery backends: SMTP (NYENGGET_SMTP_URL, or the Airflow provider's SmtpHook on `smtp_default`)
or `.eml` files — files only when chosen explicitly (NYENGGET_MAIL_DELIVERY=file), never as a fallback.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlparse

from nyengget.config import get_settings
from nyengget.errors import NotConfigured

log = logging.getLogger(__name__)
SMTP_CONN_ID = "smtp_default"


class Delivery(Protocol):
    name: str

    def send(self, key: str, msg: EmailMessage) -> None: ...


class DeliveryNotConfigured(NotConfigured):
    """No way to send mail was configured (or the configured one cannot be read): nothing is sent."""


@dataclass
class FileDelivery:
    """One `.eml` file per message, named by its outbox key (rewrites are idempotent)."""

    directory: Path
    name: str = "file"

    def send(self, key: str, msg: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / (re.sub(r"[^A-Za-z0-9@._-]+", "_", key)[:200] + ".eml")
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(msg))
        tmp.replace(path)


@dataclass
class SmtpDelivery:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    use_ssl: bool = False
    starttls: bool = False
    timeout: float = 30.0
    name: str = "smtp"

    def send(self, key: str, msg: EmailMessage) -> None:
        context = ssl.create_default_context()
        cls = smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP
        kwargs = {"context": context} if self.use_ssl else {}
        with cls(self.host, self.port, timeout=self.timeout, **kwargs) as client:
            if self.starttls and not self.use_ssl:
                client.starttls(context=context)
            if self.user:
                client.login(self.user, self.password or "")
            client.send_message(msg)


@dataclass
class SmtpHookDelivery:
    """The Airflow SMTP provider's hook on connection `conn_id` (TLS, login, retries as configured there)."""

    conn_id: str = SMTP_CONN_ID
    name: str = "smtp_hook"

    def send(self, key: str, msg: EmailMessage) -> None:
        from airflow.providers.smtp.hooks.smtp import SmtpHook

        with SmtpHook(smtp_conn_id=self.conn_id) as hook:
            client = hook._smtp_client  # noqa: SLF001 - the hook exposes no public client; its own test_connection uses it
            client.send_message(msg)


def smtp_from_url(url: str) -> SmtpDelivery:
    """`smtp://user:pass@host:587?starttls=1` or `smtps://host:465`."""
    u = urlparse(url)
    if u.scheme not in ("smtp", "smtps"):
        raise DeliveryNotConfigured(f"NYENGGET_SMTP_URL must start with smtp:// or smtps://, got {u.scheme!r}")
    query = {k: v[-1] for k, v in parse_qs(u.query).items()}
    return SmtpDelivery(
        host=u.hostname or "localhost",
        port=u.port or (465 if u.scheme == "smtps" else 25),
        user=unquote(u.username) if u.username else None,
        password=unquote(u.password) if u.password else None,
        use_ssl=u.scheme == "smtps",
        starttls=query.get("starttls", "0") in ("1", "true", "yes"),
        timeout=float(query.get("timeout", 30)),
    )


def _airflow_smtp(conn_id: str = SMTP_CONN_ID) -> SmtpHookDelivery:
    """The hook on the Airflow connection; raises DeliveryNotConfigured when it cannot be read."""
    try:
        from airflow.sdk import BaseHook

        BaseHook.get_connection(conn_id)
    except Exception as exc:  # noqa: BLE001 - any lookup failure means: not configured here
        raise DeliveryNotConfigured(
            f"no mail delivery configured: set NYENGGET_SMTP_URL, or the Airflow connection {conn_id!r} "
            f"(lookup failed: {type(exc).__name__}: {exc}), or NYENGGET_MAIL_DELIVERY=file to write .eml "
            "files") from exc
    return SmtpHookDelivery(conn_id)


def get_delivery() -> Delivery:
    """NYENGGET_MAIL_DELIVERY=file → `.eml` files; else NYENGGET_SMTP_URL; else the Airflow connection
    `smtp_default` through SmtpHook; else DeliveryNotConfigured (nothing is marked sent)."""
    settings = get_settings()
    if settings.mail_delivery == "file":
        return FileDelivery(settings.outbox_dir)
    if settings.smtp_url:
        return smtp_from_url(settings.smtp_url)
    return _airflow_smtp()
