"""Which tracked fields changed between two versions, and a short Indonesian note for people."""

from __future__ import annotations

from datetime import date
from typing import Any

from nyengget import fmt
from nyengget.sources.records import TRACKED


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [f for f in TRACKED if _norm(old.get(f)) != _norm(new.get(f))]


def _norm(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else (value or None)


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _dates(label: str, old: date | None, new: date | None) -> str:
    if old is None:
        return f"{label} ditetapkan {fmt.tanggal(new)}"
    if new is None:
        return f"{label} {fmt.tanggal(old)} dihapus"
    same_year = old.year == new.year
    show = fmt.tanggal_pendek if same_year else fmt.tanggal
    verb = "dimajukan" if new < old else "diundur"
    return f"{label} {verb} dari {show(old)} ke {show(new)}"


def _money(old: int | None, new: int | None) -> str:
    if old is None:
        return f"pagu ditetapkan {fmt.rupiah(new)}"
    if new is None:
        return f"pagu {fmt.rupiah(old)} dihapus"
    verb = "naik" if new > old else "turun"
    return f"pagu {verb} dari {fmt.rupiah(old)} ke {fmt.rupiah(new)}"


def _levels(value: str | None) -> str:
    return ", ".join((value or "").split(";")) or "tidak disebut"


def change_note(old: dict[str, Any], new: dict[str, Any], fields: list[str]) -> str:
    """e.g. "batas usulan dimajukan dari 22 Agu ke 15 Agu; pagu naik dari Rp2 miliar ke Rp2,5 miliar"."""
    parts = []
    for name in fields:
        if name == "closes_on":
            parts.append(_dates("batas usulan", _day(old.get(name)), _day(new.get(name))))
        elif name == "opens_on":
            parts.append(_dates("pembukaan usulan", _day(old.get(name)), _day(new.get(name))))
        elif name == "ceiling_idr":
            parts.append(_money(old.get(name), new.get(name)))
        elif name == "recipient_levels":
            parts.append(f"penerima berubah dari {_levels(old.get(name))} menjadi {_levels(new.get(name))}")
        elif name == "fiscal_year":
            parts.append(f"tahun anggaran berubah dari {old.get(name) or '-'} ke {new.get(name) or '-'}")
        elif name == "title":
            parts.append("judul diperbarui")
        elif name == "description":
            parts.append("uraian diperbarui")
    return "; ".join(parts) or "rincian lain diperbarui (kementerian, bidang, atau dasar hukum)"
