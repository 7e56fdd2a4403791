"""Normalised programme records: cleaning, validation (with Indonesian + English reasons), hashes."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from nyengget.funding import FUNDING_TYPES, LEVELS
from nyengget.sources.pages import clean
from nyengget.urls import web_url

FIELDS = ("source_url", "title", "description", "funding_type", "ministry", "bidang", "subbidang", "menu",
          "fiscal_year", "recipient_levels", "opens_on", "closes_on", "ceiling_idr", "legal_basis")
# fields whose change makes a new version (source_url may carry session ids and does not)
HASHED = tuple(f for f in FIELDS if f != "source_url")
TRACKED = ("opens_on", "closes_on", "ceiling_idr", "recipient_levels", "title", "description", "fiscal_year")
# Plausible bounds. Years: the same window as fiscal_year below (the oldest programmes in the recorded
# sources are from 2016; a date in 1900 or 9999 is a parsing or typing error, not a deadline).
YEAR_MIN, YEAR_MAX = 2015, 2040
# The warehouse stores rupiah in a signed 64-bit integer; a ceiling above 10^16 (10.000 triliun) is also
# more than the whole state budget (APBN 2025: about Rp 3.600 triliun), so it is a parsing error.
CEILING_MAX_IDR = 10**16


@dataclass
class Reject:
    """A row that cannot become a programme; goes to `quarantine`."""

    field: str
    reason_id: str
    reason_en: str
    raw: dict[str, Any]
    raw_sha256: str | None = None
    row_number: int | None = None


@dataclass
class Parsed:
    """What an adapter made of its documents."""

    programmes: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    regulations: list[dict[str, Any]] = field(default_factory=list)
    allocations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    news: list[dict[str, Any]] = field(default_factory=list)  # pages that are not calls (context only)

    def extend(self, other: Parsed) -> None:
        self.programmes += other.programmes
        self.rejects += other.rejects
        self.regulations += other.regulations
        self.allocations += other.allocations
        self.errors += other.errors
        self.news += other.news

    @property
    def rows(self) -> int:
        return len(self.programmes) + len(self.regulations) + len(self.allocations)


def slug(text: str, limit: int = 120) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:limit].rstrip("-")


def programme_id(source: str, natural_key: str) -> str:
    """Stable id: source + a slug of the natural key (long keys keep a hash suffix)."""
    key = slug(natural_key, 200)
    if len(key) > 150:
        key = key[:130].rstrip("-") + "-" + hashlib.sha1(key.encode()).hexdigest()[:10]
    return f"{source}:{key}"


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _levels(value: Any) -> str:
    items = value if isinstance(value, list | tuple | set) else re.split(r"[;,/]", str(value or ""))
    cleaned = {clean(str(i)).lower() for i in items if clean(str(i))}
    unknown = cleaned - set(LEVELS)
    if unknown:
        raise ValueError(f"unknown level(s): {', '.join(sorted(unknown))}")
    return ";".join(level for level in LEVELS if level in cleaned)


class Invalid(ValueError):
    def __init__(self, field_name: str, reason_id: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.field, self.reason_id, self.reason_en = field_name, reason_id, reason_en


def normalise(raw: dict[str, Any], base_url: str | None = None) -> dict[str, Any]:
    """Cleaned record with typed fields; raises `Invalid` naming the field and why.

    `source_url` becomes an absolute http(s) URL (a relative link is joined to the page it was found on:
    `raw["page_url"]`, else `base_url`) or None (`#`, `javascript:`, `tel:`, `data:`, `mailto:` ...).
    """
    rec: dict[str, Any] = {f: raw.get(f) for f in FIELDS}
    for name in ("title", "description", "ministry", "bidang", "subbidang", "menu", "legal_basis", "source_url"):
        rec[name] = clean(rec[name]) or None
    rec["source_url"] = web_url(rec["source_url"], raw.get("page_url") or base_url)
    if not rec["title"]:
        raise Invalid("title", "judul kosong", "title is empty")
    if rec["funding_type"] not in FUNDING_TYPES:
        raise Invalid("funding_type", f"jenis pendanaan tidak dikenal: {rec['funding_type']!r}",
                      f"unknown funding_type {rec['funding_type']!r}")
    try:
        rec["recipient_levels"] = _levels(rec["recipient_levels"]) or None
    except ValueError as exc:
        raise Invalid("recipient_levels", f"tingkat penerima tidak dikenal ({exc})", str(exc)) from exc
    for name in ("opens_on", "closes_on"):
        try:
            rec[name] = _date(rec[name])
        except (TypeError, ValueError) as exc:
            raise Invalid(name, f"tanggal tidak valid: {raw.get(name)!r}", f"invalid date {raw.get(name)!r}") from exc
        if rec[name] is not None and not YEAR_MIN <= rec[name].year <= YEAR_MAX:
            raise Invalid(name, f"tanggal di luar jangkauan {YEAR_MIN}–{YEAR_MAX}: {rec[name].isoformat()}",
                          f"{name} outside {YEAR_MIN}-{YEAR_MAX}: {rec[name].isoformat()}")
    if rec["opens_on"] and rec["closes_on"] and rec["opens_on"] > rec["closes_on"]:
        raise Invalid("closes_on", "tanggal tutup sebelum tanggal buka", "closes_on is before opens_on")
    _numbers(rec, raw)
    return rec


def _numbers(rec: dict[str, Any], raw: dict[str, Any]) -> None:
    try:
        rec["fiscal_year"] = int(rec["fiscal_year"]) if rec["fiscal_year"] not in (None, "") else None
    except (TypeError, ValueError) as exc:
        raise Invalid("fiscal_year", f"tahun anggaran tidak valid: {raw.get('fiscal_year')!r}",
                      f"invalid fiscal_year {raw.get('fiscal_year')!r}") from exc
    if rec["fiscal_year"] is not None and not YEAR_MIN <= rec["fiscal_year"] <= YEAR_MAX:
        raise Invalid("fiscal_year", f"tahun anggaran di luar jangkauan: {rec['fiscal_year']}",
                      f"fiscal_year out of range: {rec['fiscal_year']}")
    rec["ceiling_idr"] = _ceiling(rec["ceiling_idr"], raw.get("ceiling_idr"))


def _ceiling(value: Any, raw_value: Any) -> int | None:
    """A whole number of rupiah in (0, CEILING_MAX_IDR]; exact for big integers (no float rounding)."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError) as exc:
        raise Invalid("ceiling_idr", f"pagu bukan angka: {raw_value!r}",
                      f"ceiling_idr is not a number: {raw_value!r}") from exc
    if amount <= 0:
        raise Invalid("ceiling_idr", "pagu harus lebih dari nol", "ceiling_idr must be positive")
    if amount > CEILING_MAX_IDR:  # compared before int(): "1e999999999" must not become a huge integer
        raise Invalid("ceiling_idr", f"pagu tidak masuk akal (lebih dari Rp 10.000 triliun): {raw_value!r}",
                      f"ceiling_idr implausibly large (> 10^16): {raw_value!r}")
    return int(amount)


def content_hash(rec: dict[str, Any]) -> str:
    payload = {f: (rec[f].isoformat() if isinstance(rec[f], date) else rec[f]) for f in HASHED}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def to_json(rec: dict[str, Any]) -> str:
    return json.dumps({k: (v.isoformat() if isinstance(v, date) else v) for k, v in rec.items()},
                      ensure_ascii=False, sort_keys=True)
