"""Formatting for people: Indonesian dates, rupiah amounts and days-left phrases."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "id_ID"

_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))


@lru_cache(maxsize=4096)
def date_text(d: date, pattern: str) -> str:
    """Babel's date in Indonesian; cached: an email or report writes the same few dates thousands of times."""
    return format_date(d, pattern, locale=LOCALE)


def tanggal(d: date | None, long: bool = False) -> str:
    """`22 Agu 2026` (or `22 Agustus 2026` with long=True); `-` for None."""
    if d is None:
        return "-"
    return date_text(d, "d MMMM yyyy" if long else "d MMM yyyy")


def tanggal_pendek(d: date) -> str:
    """`22 Agu` — for change notes within one year."""
    return date_text(d, "d MMM")


@lru_cache(maxsize=4096)
def rupiah(amount: int | float | None) -> str:
    """Rupiah for people: `Rp2,5 miliar`, `Rp750 juta`, `Rp15.000`; `-` for None."""
    if amount is None:
        return "-"
    value = float(amount)
    for scale, word in _SCALES[:3]:
        if abs(value) >= scale:
            number = format_decimal(round(value / scale, 2), format="#,##0.##", locale=LOCALE)
            return f"Rp{number} {word}"
    return "Rp" + format_decimal(round(value), format="#,##0", locale=LOCALE)


NO_WINDOW = "jadwal belum diumumkan"
NO_AMOUNT = "belum diumumkan"


def pagu(amount: int | float | None) -> str:
    """A ceiling for people: `Rp2,5 miliar`, or `belum diumumkan` when unknown (None, NaN or 0)."""
    if amount is None or amount != amount or not amount:
        return NO_AMOUNT
    return rupiah(amount)


def sisa_hari(closes_on: date | None, as_of: date) -> str:
    """`ditutup 22 Agu 2026, 14 hari lagi`, `ditutup hari ini`, or `tanpa jendela usulan` (the matcher's
    reason text; people read it through `alasan`, which drops it)."""
    if closes_on is None:
        return "tanpa jendela usulan"
    days = (closes_on - as_of).days
    if days < 0:
        return f"ditutup {tanggal(closes_on)} (sudah lewat)"
    if days == 0:
        return f"ditutup hari ini, {tanggal(closes_on)}"
    return f"ditutup {tanggal(closes_on)}, {days} hari lagi"


_REASON_DROP = re.compile(r"^(?:terbuka untuk |tidak terbuka untuk |TA \S+$|ditutup |dibuka |tanpa jendela|jadwal belum)")
_ARROW = re.compile(r"(\S[^,→]*)→([^,]+)")


@lru_cache(maxsize=8192)  # a week's reasons are written to the workbook, the report and both parts of a digest
def alasan(reasons: str | None) -> str:
    """The matcher's reason line in plain words for people: no window or eligibility boilerplate
    (shown on their own, counted from the right day), no "kata cocok", no arrows."""
    parts = []
    for part in (reasons or "").split("; "):
        part = part.strip()
        if not part or _REASON_DROP.match(part):
            continue
        if part.startswith("kata cocok:"):
            part = "inovasi dan program sama-sama menyebut " + part.removeprefix("kata cocok:").strip()
        part = _ARROW.sub(r"\1 (\2)", part).replace(" ↔ ", " sejalan dengan ")
        parts.append(part)
    return "; ".join(parts) or "sesuai bidang dan jenis program"


# What people call the fields a programme change can touch (no field names on pages or in emails).
FIELD_LABELS = {
    "title": "judul", "description": "uraian", "funding_type": "jenis pendanaan", "ministry": "kementerian",
    "bidang": "bidang", "subbidang": "subbidang", "menu": "menu", "fiscal_year": "tahun anggaran",
    "recipient_levels": "penerima", "opens_on": "tanggal dibuka", "closes_on": "batas usulan",
    "ceiling_idr": "pagu", "legal_basis": "dasar hukum", "source_url": "tautan sumber",
}


def bidang_berubah(fields: str | None) -> str:
    """`closes_on,ceiling_idr` -> `batas usulan, pagu`."""
    names = [f.strip() for f in re.split(r"[,;]", fields or "") if f.strip()]
    return ", ".join(FIELD_LABELS.get(n, n.replace("_", " ")) for n in names)


def bulan(month: int, year: int) -> str:
    """`Januari 2027`."""
    return date_text(date(year, month, 1), "MMMM yyyy")
