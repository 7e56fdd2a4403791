"""Decoding bodies: charset from the header, then the document's meta, then detection.

Indonesian government sites still serve windows-1252 and pages whose header or meta lies;
a declared charset is only believed when the bytes decode cleanly with it.
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.I)
# WHATWG: labels browsers treat as windows-1252
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "windows-1252": "cp1252", "utf8": "utf-8"}


def _norm(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    return _ALIASES.get(label, label)


def _try(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        text = body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    if encoding == "cp1252" and not body.isascii():
        try:  # labelled latin-1/cp1252 but really UTF-8 (a common mislabel)
            body.decode("utf-8")
            return None
        except UnicodeDecodeError:
            pass
    return text


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER.search(content_type or "")
    return _norm(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    match = _META.search(body[:4096])
    return _norm(match.group(1).decode("ascii", "ignore")) if match else None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and the encoding used (`how` is appended: header / meta / bom / detected / fallback)."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace"), "utf-8 (bom)"
    for how, encoding in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        text = _try(body, encoding)
        if text is not None:
            return text, f"{encoding} ({how})"
    if (text := _try(body, "utf-8")) is not None:
        return text, "utf-8 (detected)"
    best = from_bytes(body).best()
    if best is not None and best.encoding:
        return str(best), f"{_norm(best.encoding) or best.encoding} (detected)"
    return body.decode("cp1252", "replace"), "cp1252 (fallback)"
