"""Export of exactly the filtered view to CSV and XLSX (Indonesian headers, no formula injection)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from nyengget import fmt
from nyengget.cells import neutralise
from nyengget.decisions import REASONS, STATUSES

COLUMNS: tuple[tuple[str, str], ...] = (
    ("week_start", "Pekan (Senin)"),
    ("opd_code", "Kode OPD"),
    ("opd_name", "OPD"),
    ("innovation_id", "ID inovasi"),
    ("innovation_name", "Inovasi"),
    ("programme_id", "ID program"),
    ("programme_title", "Program"),
    ("funding_type", "Jenis pendanaan"),
    ("ministry", "Kementerian/lembaga"),
    ("bidang", "Bidang"),
    ("ceiling_idr", "Pagu (Rp)"),
    ("opens_on", "Dibuka"),
    ("closes_on", "Ditutup"),
    ("days_left", "Sisa hari"),
    ("rank", "Peringkat"),
    ("score", "Skor"),
    ("is_new", "Baru"),
    ("is_changed", "Berubah"),
    ("closing_soon", "Segera ditutup"),
    ("review_status", "Status"),
    ("review_reason", "Alasan tidak relevan"),
    ("review_note", "Catatan"),
    ("reasons", "Alasan kecocokan"),
    ("routing_note", "Pengusul dan mitra"),
    ("as_partner", "Anda sebagai mitra"),
    ("proposer_source", "Dasar pengusul"),
    ("source_url", "Sumber"),
)


def _cell(key: str, value):
    """A value for people: labels for codes, Ya/Tidak for flags, ISO dates, numbers as numbers."""
    if key == "as_partner":  # items the viewer's OPD sees as mitra (proposed by another OPD)
        return "Ya" if value else "Tidak"
    if value is None:
        return ""
    if key == "review_status":
        return STATUSES.get(value, value)
    if key == "review_reason":
        return REASONS.get(value, value)
    if key == "reasons":
        return fmt.alasan(value)
    if isinstance(value, bool) or key in ("is_new", "is_changed", "closing_soon"):
        return "Ya" if value else "Tidak"
    if isinstance(value, date):
        return value.isoformat()
    if key == "score":
        return round(float(value), 4)
    return value


def table(items: list[dict]) -> list[list]:
    return [[neutralise(_cell(k, it.get(k))) for k, _ in COLUMNS] for it in items]


def to_csv(items: list[dict]) -> bytes:
    """UTF-8 with BOM (Excel opens it with the right characters), comma-separated."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    writer.writerows(table(items))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(items: list[dict], title: str = "Nyengget") -> bytes:
    """One sheet with a header row, filters and frozen panes; text written as text (never formulas)."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True, "bg_color": "#e4e7eb"})
    money = book.add_format({"num_format": "#,##0"})
    day = book.add_format({"num_format": "d mmm yyyy"})
    for col, (_, label) in enumerate(COLUMNS):
        sheet.write_string(0, col, label, bold)
    for row, (it, values) in enumerate(zip(items, table(items), strict=True), start=1):
        for col, value in enumerate(values):
            raw = it.get(COLUMNS[col][0])
            if isinstance(raw, date):  # a real date cell, not text
                sheet.write_datetime(row, col, datetime(raw.year, raw.month, raw.day), day)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value, money if COLUMNS[col][0] == "ceiling_idr" else None)
            else:
                sheet.write_string(row, col, str(value))
    sheet.autofilter(0, 0, max(len(items), 1), len(COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(COLUMNS) - 1, 18)
    book.close()
    return buf.getvalue()
