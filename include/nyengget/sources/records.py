"""Normalised programme records: cleaning, validation (with Indonesian + English reasons), hashes."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nyengget.sources.pages import clean

FUNDING_TYPES = ("DAK Fisik", "DAK Non-Fisik", "Insentif Fiskal", "Hibah Daerah", "Bantuan Pemerintah",
                 "Kompetisi/Penghargaan")
LEVELS = ("provinsi", "kabupaten", "kota")
FIELDS = ("source_url", "title", "description", "funding_type", "ministry", "bidang", "subbidang", "menu",
          "fiscal_year", "recipient_levels", "opens_on", "closes_on", "ceiling_idr", "legal_basis")
# fields whose change makes a new version (source_url may carry session ids and does not)
HASHED = tuple(f for f in FIELDS if f != "source_url")
TRACKED = ("opens_on", "closes_on", "ceiling_idr", "recipient_levels", "title", "description", "fiscal_year")


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


def normalise(raw: dict[str, Any]) -> dict[str, Any]:
    """Cleaned record with typed fields; raises `Invalid` naming the field and why."""
    rec: dict[str, Any] = {f: raw.get(f) for f in FIELDS}
    for name in ("title", "description", "ministry", "bidang", "subbidang", "menu", "legal_basis", "source_url"):
        rec[name] = clean(rec[name]) or None
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
        except ValueError as exc:
            raise Invalid(name, f"tanggal tidak valid: {raw.get(name)!r}", f"invalid date {raw.get(name)!r}") from exc
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
    if rec["fiscal_year"] is not None and not 2015 <= rec["fiscal_year"] <= 2040:
        raise Invalid("fiscal_year", f"tahun anggaran di luar jangkauan: {rec['fiscal_year']}",
                      f"fiscal_year out of range: {rec['fiscal_year']}")
    try:
        value = rec["ceiling_idr"]
        rec["ceiling_idr"] = int(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError) as exc:
        raise Invalid("ceiling_idr", f"pagu bukan angka: {raw.get('ceiling_idr')!r}",
                      f"ceiling_idr is not a number: {raw.get('ceiling_idr')!r}") from exc
    if rec["ceiling_idr"] is not None and rec["ceiling_idr"] <= 0:
        raise Invalid("ceiling_idr", "pagu harus lebih dari nol", "ceiling_idr must be positive")


def content_hash(rec: dict[str, Any]) -> str:
    payload = {f: (rec[f].isoformat() if isinstance(rec[f], date) else rec[f]) for f in HASHED}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def to_json(rec: dict[str, Any]) -> str:
    return json.dumps({k: (v.isoformat() if isinstance(v, date) else v) for k, v in rec.items()},
                      ensure_ascii=False, sort_keys=True)
