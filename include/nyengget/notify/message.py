"""Build multipart (plain text + HTML) messages whose headers cannot be injected."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

_CONTROL = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")
MESSAGE_ID_DOMAIN = "nyengget.local"


def header_safe(value: str, limit: int = 200) -> str:
    """Collapse CR/LF and other control characters so scraped text can never start a new header."""
    return _CONTROL.sub(" ", value).strip()[:limit]


def message_id(key: str) -> str:
    """The Message-ID of the message with outbox key `key`: the same on every (re)send, so receivers
    can drop a duplicate; readable prefix plus a hash of the whole key (unique, header-safe)."""
    readable = re.sub(r"[^A-Za-z0-9.-]+", ".", key).strip(".")[:60]
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"<{readable}.{digest}@{MESSAGE_ID_DOMAIN}>"


def set_key(msg: EmailMessage, key: str) -> EmailMessage:
    """Give `msg` the stable Message-ID and X-Nyengget-Key of outbox key `key` (replacing any)."""
    for name in ("Message-ID", "X-Nyengget-Key"):
        del msg[name]
    msg["Message-ID"] = message_id(key)
    msg["X-Nyengget-Key"] = header_safe(key, 900)
    return msg


def build(
    *,
    sender: str,
    recipients: list[str],
    subject: str,
    text: str,
    html: str,
    key: str,
    attachments: list[Path] = (),  # or ObjectStoragePath: anything with name, suffix, read_bytes()
    when: datetime | None = None,
) -> EmailMessage:
    """A multipart/alternative message; `key` makes the Message-ID stable (the outbox replaces it
    with the one of its own key when queueing). `when` is the Date header (default: now)."""
    msg = EmailMessage()
    msg["From"] = header_safe(sender)
    msg["To"] = ", ".join(header_safe(r) for r in recipients)
    msg["Subject"] = header_safe(subject)
    msg["Date"] = format_datetime(when or datetime.now(UTC))
    set_key(msg, key)
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
