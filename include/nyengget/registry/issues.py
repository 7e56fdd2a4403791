"""Row problems with their reasons in Indonesian (for people) and English (for logs)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """Why a row is quarantined: the field (None for the whole row) and the reason in two languages."""

    field: str | None
    reason_id: str
    reason_en: str


def required(field: str) -> Issue:
    return Issue(field, f"Kolom {field} wajib diisi", f"{field} is required")


def wrong_width(found: int, expected: int) -> Issue:
    return Issue(
        None,
        f"Jumlah kolom {found}, seharusnya {expected} (cek pemisah atau tanda kutip)",
        f"row has {found} fields, expected {expected} (check delimiter or quotes)",
    )


def not_in_list(field: str, value: str, allowed: tuple[str, ...]) -> Issue:
    choices = ", ".join(allowed) if len(allowed) <= 6 else "daftar di vocab.yaml"
    return Issue(
        field,
        f"Nilai {field} '{value}' tidak dikenal; pilihan: {choices}",
        f"unknown {field} '{value}'; allowed: {', '.join(allowed) if len(allowed) <= 6 else 'see vocab.yaml'}",
    )


def too_long(field: str, limit: int) -> Issue:
    return Issue(
        field, f"Isi {field} lebih dari {limit} karakter", f"{field} is longer than {limit} characters"
    )


def formula_error(field: str, value: str) -> Issue:
    return Issue(
        field,
        f"Sel {field} berisi galat rumus Excel {value}",
        f"{field} holds the Excel formula error {value}",
    )


def not_text(field: str) -> Issue:
    return Issue(field, f"Isi {field} harus teks atau daftar teks", f"{field} must be text or a list of text")


def duplicate_id(field: str, value: str, rows: list[int]) -> Issue:
    where = ", ".join(str(r) for r in rows)
    return Issue(
        field,
        f"{field} '{value}' muncul lebih dari sekali dengan isi berbeda (baris {where}); tidak ada yang dimuat",
        f"duplicate {field} '{value}' with different content (rows {where}); none loaded",
    )


def duplicate_copy(field: str, value: str, first_row: int) -> Issue:
    return Issue(
        field,
        f"{field} '{value}' sama persis dengan baris {first_row}; baris ini dilewati",
        f"{field} '{value}' repeats row {first_row} exactly; this copy is skipped",
    )
