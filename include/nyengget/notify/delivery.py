"""Delivery backends: SMTP (Airflow connection `smtp_default` or NYENGGET_SMTP_URL) or .eml files."""

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

log = logging.getLogger(__name__)


class Delivery(Protocol):
    name: str

    def send(self, key: str, msg: EmailMessage) -> None: ...


@dataclass
class FileDelivery:
    """The embedded default: one `.eml` file per message, named by its outbox key (rewrites are idempotent)."""

    directory: Path
    name: str = "file"

    def send(self, key: str, msg: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / (re.sub(r"[^A-Za-z0-9@._-]+", "_", key) + ".eml")
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


def smtp_from_url(url: str) -> SmtpDelivery:
    """`smtp://user:pass@host:587?starttls=1` or `smtps://host:465`."""
    u = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(u.query).items()}
    return SmtpDelivery(
        host=u.hostname or "localhost",
        port=u.port or (465 if u.scheme == "smtps" else 25),
        user=unquote(u.username) if u.username else None,
        password=unquote(u.password) if u.password else None,
        use_ssl=u.scheme == "smtps",
        starttls=query.get("starttls", "0") in ("1", "true", "yes"),
    )


def _smtp_from_airflow(conn_id: str = "smtp_default") -> SmtpDelivery | None:
    """The Airflow SMTP connection, with the SMTP provider's semantics for disable_ssl/disable_tls."""
    try:
        from airflow.sdk import BaseHook

        conn = BaseHook.get_connection(conn_id)
    except Exception:  # noqa: BLE001 - no Airflow, no context or no such connection: not configured
        return None
    extra = conn.extra_dejson
    use_ssl = not extra.get("disable_ssl", False)
    return SmtpDelivery(
        host=conn.host or "localhost",
        port=conn.port or (465 if use_ssl else 25),
        user=conn.login or None,
        password=conn.password or None,
        use_ssl=use_ssl,
        starttls=not use_ssl and not extra.get("disable_tls", False),
        timeout=float(extra.get("timeout", 30)),
    )


def get_delivery() -> Delivery:
    """NYENGGET_SMTP_URL, else the Airflow connection `smtp_default`, else `.eml` files in the outbox."""
    settings = get_settings()
    if settings.smtp_url:
        return smtp_from_url(settings.smtp_url)
    airflow_smtp = _smtp_from_airflow()
    if airflow_smtp is not None:
        return airflow_smtp
    return FileDelivery(settings.outbox_dir)
