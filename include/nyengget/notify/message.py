"""Build multipart (plain text + HTML) messages whose headers cannot be injected."""

from __future__ import annotations

import binascii
import email.policy
import hashlib
import random
import re
import sys
from datetime import UTC, datetime
from email import contentmanager
from email.headerregistry import HeaderRegistry
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


def _set_text(msg: EmailMessage, string: str, subtype: str = "plain", charset: str = "utf-8", cte: str | None = None,
              **options) -> None:
    """The standard text setter (`email.contentmanager.set_text_content`), except that a UTF-8 body it would
    encode as quoted-printable is encoded by `binascii.b2a_qp` (C; lines of at most 76 characters, as
    RFC 2045 asks) instead of `email.quoprimime` (pure Python: a tenth of queueing a region's emails).
    As the standard one decides: lines that fit stay 7/8 bit, and text that base64 carries in fewer bytes
    (mostly non-Latin script) is base64; an explicit `cte` or another charset is left to it."""
    lines = string.encode(charset).splitlines()
    fits = max(map(len, lines), default=0) <= msg.policy.max_line_length
    sniff = b"\n".join(lines[:10]) + b"\n"
    if cte is not None or charset != "utf-8" or fits or \
            len(binascii.b2a_qp(sniff, istext=True)) > len(binascii.b2a_base64(sniff)):
        contentmanager.set_text_content(msg, string, subtype, charset, cte, **options)
        return
    contentmanager.set_text_content(msg, "", subtype, charset, "7bit", **options)  # the headers, as standard
    msg.set_payload(binascii.b2a_qp(b"\n".join(lines) + b"\n", istext=True).decode("ascii"))
    msg.replace_header("Content-Transfer-Encoding", "quoted-printable")


class _HeaderClasses(HeaderRegistry):
    """The standard header registry, but each header's class is made once: the standard one makes a new
    class (`type(...)`) for every header it parses, a twentieth of queueing a region's emails."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(name)
        return self._classes[key]


_CONTENT = contentmanager.ContentManager()
_CONTENT.get_handlers.update(contentmanager.raw_data_manager.get_handlers)
_CONTENT.set_handlers.update(contentmanager.raw_data_manager.set_handlers)
_CONTENT.add_set_handler(str, _set_text)
# email.policy.default with the text setter and the header classes above
POLICY = email.policy.default.clone(content_manager=_CONTENT, header_factory=_HeaderClasses())


def _set_boundaries(msg: EmailMessage) -> None:
    """Each multipart part's boundary as the generator would choose it (`=`*15, 19 random digits, `==`), but
    checked with a substring test against every leaf's headers and body and the other boundaries: the
    generator compiles a regex per message and searches the flattened text with it."""
    leaves = [" ".join(map(str, p.values())) + "\n" + p.get_payload() for p in msg.walk()
              if p.get_content_maintype() != "multipart"]
    chosen: list[str] = []
    for part in msg.walk():
        if part.get_content_maintype() != "multipart":
            continue
        while True:
            boundary = "=" * 15 + f"{random.randrange(sys.maxsize):019d}" + "=="
            if not any(boundary in text for text in leaves + chosen):
                break
        chosen.append(boundary)
        part.set_boundary(boundary)


def set_key(msg: EmailMessage, key: str) -> EmailMessage:
    """Give `msg` the stable Message-ID and X-Nyengget-Key of outbox key `key` (replacing any)."""
    if msg["Message-ID"] == message_id(key) and msg["X-Nyengget-Key"] == header_safe(key, 900):
        return msg  # already this key's (as `build` made it): parsing the headers again costs
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
    msg = EmailMessage(policy=POLICY)
    msg["From"] = header_safe(sender)
    msg["To"] = ", ".join(header_safe(r) for r in recipients)
    msg["Subject"] = header_safe(subject)
    msg["Date"] = format_datetime(when or datetime.now(UTC))
    set_key(msg, key)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for path in attachments:
        msg.add_attachment(path.read_bytes(), maintype="application", subtype=_subtype(path), filename=path.name)
    _set_boundaries(msg)
    return msg


def _subtype(path: Path) -> str:
    return {
        ".xlsx": "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".html": "octet-stream",
        ".csv": "octet-stream",
    }.get(path.suffix, "octet-stream")
