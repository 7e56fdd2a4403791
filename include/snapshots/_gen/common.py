"""Shared helpers of the fixture generator: seed catalogue, weeks, Indonesian dates and money."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "_seed" / "programmes.csv"
WEEKS = {"2026-W47": date(2026, 11, 16), "2026-W48": date(2026, 11, 23)}
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]


def seed() -> dict[str, dict[str, str]]:
    with SEED.open(encoding="utf-8") as fh:
        return {row["programme_id"]: row for row in csv.DictReader(fh)}


def tgl(d: date | str, short_year: bool = False) -> str:
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return f"{d.day} {BULAN[d.month - 1]}" + ("" if short_year else f" {d.year}")


def rp_words(amount: int, style: int = 0) -> str:
    """Rupiah as ministries write it, in several styles."""
    if style == 2:
        return "Rp" + f"{amount:,}".replace(",", ".") + ",00"
    for scale, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")):
        if amount >= scale:
            number = f"{amount / scale:g}".replace(".", ",")
            return f"Rp{number} {word}" if style == 0 else f"Rp {number} {word}"
    return "Rp" + f"{amount:,}".replace(",", ".")


def levels_phrase(levels: str) -> str:
    parts = levels.split(";")
    if parts == ["kabupaten", "kota"]:
        return "pemerintah kabupaten/kota"
    if parts == ["provinsi", "kabupaten", "kota"]:
        return "pemerintah provinsi, kabupaten, dan kota"
    if len(parts) == 1:
        return f"pemerintah {parts[0]}"
    return "pemerintah " + " dan ".join(parts)


def write(week: str, rel: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = ROOT / week / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path
