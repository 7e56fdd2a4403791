"""The one rule for every link the project writes (page, email, HTML report, workbook, CSV):
an absolute http(s) URL with a host, or nothing."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

WEB_SCHEMES = ("http", "https")
_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def web_url(value: object, base: str | None = None) -> str | None:
    """`value` as an absolute http(s) URL, a relative link joined to `base` (the page it was found on);
    None for anything else: `#`, `javascript:`, `tel:`, `mailto:`, `data:`, `file:`, `smb:`, garbage."""
    if not isinstance(value, str):
        return None
    return _web_url(value, base if isinstance(base, str) else None)  # a base that is no text joins nothing


@lru_cache(maxsize=4096)
def _web_url(value: str, base: str | None) -> str | None:
    """`web_url` of a string, once per (value, base): a report links each programme's source on every row
    of it (a twentieth of writing a region's reports)."""
    text = _SPACE.sub("", value)  # browsers drop tabs/newlines inside URLs: "java\tscript:" is javascript:
    if not text or text.startswith("#"):
        return None
    if base and not urlsplit(text).scheme:
        base_url = web_url(base)
        if base_url is None:
            return None
        text = urljoin(base_url, text)
    parts = urlsplit(text)
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return text
