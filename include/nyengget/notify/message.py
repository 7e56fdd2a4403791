"""Build multipart (plain text + HTML) messages whose headers cannot be injected."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

_CONTROL = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")


def header_safe(value: str, limit: int = 200) -> str:
    """Collapse CR/LF and other control characters so scraped text can never start a new header."""
    return _CONTROL.sub(" ", value).strip()[:limit]


def build(
    *,
    sender: str,
    recipients: list[str],
    subject: str,
    text: str,
    html: str,
    key: str,
    attachments: list[Path] = (),
    date: datetime | None = None,
) -> EmailMessage:
    """A multipart/alternative message; `key` makes the Message-ID stable across retries."""
    msg = EmailMessage()
    msg["From"] = header_safe(sender)
    msg["To"] = ", ".join(header_safe(r) for r in recipients)
    msg["Subject"] = header_safe(subject)
    msg["Date"] = format_datetime(date or datetime.now(UTC))  # `date`: aware; the moment it is composed
    msg["Message-ID"] = make_msgid(idstring=re.sub(r"[^A-Za-z0-9.-]", ".", key), domain="nyengget.local")
    msg["X-Nyengget-Key"] = header_safe(key)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for path in attachments:
        msg.add_attachment(path.read_bytes(), maintype="application", subtype=_subtype(path), filename=path.name)
    return msg


def _subtype(path: Path) -> str:
    return {
        ".xlsx": "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".html": "octet-stream",
        ".csv": "octet-stream",
    }.get(path.suffix, "octet-stream")
