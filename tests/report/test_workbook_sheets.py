"""The workbook's OPD sheets: one per OPD (rows without one together), each by innovation then rank."""

from __future__ import annotations

from datetime import date

import pandas as pd
from openpyxl import load_workbook

from nyengget.report.xlsx import write_workbook

W48 = date(2026, 11, 23)


def row(opd_code: str | None, innovation: str, rank: int, programme: str) -> dict:
    return {"opd_code": opd_code, "opd": opd_code, "innovation_name": innovation, "rank": rank,
            "programme_id": programme, "programme_title": f"Program {programme}", "ceiling_idr": None,
            "is_new": False, "is_changed": False, "closing_soon": False}


def test_each_opd_sheet_lists_its_rows_by_innovation_then_rank(tmp_path):
    week = pd.DataFrame([row("DLH", "Zona Hijau", 2, "P2"), row("DINKES", "Posyandu", 1, "P1"),
                         row("DLH", "Bank Sampah", 1, "P3"), row(None, "Tanpa Dinas", 1, "P4"),
                         row("DLH", "Zona Hijau", 1, "P5")])
    path = write_workbook(week, W48, tmp_path / "w.xlsx", {"DLH": "Dinas Lingkungan Hidup", "DINKES": "Dinas Kesehatan"})
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Kalender", "(tanpa OPD)", "Dinas Kesehatan", "Dinas Lingkungan Hidup"]
    dlh = [(r[1], r[0], r[2]) for r in wb["Dinas Lingkungan Hidup"].iter_rows(min_row=2, values_only=True)]
    assert dlh == [("Bank Sampah", 1, "Program P3"), ("Zona Hijau", 1, "Program P5"), ("Zona Hijau", 2, "Program P2")]
    assert [r[2] for r in wb["(tanpa OPD)"].iter_rows(min_row=2, values_only=True)] == ["Program P4"]


def test_the_summary_counts_each_opds_items_and_the_ceiling_of_its_distinct_programmes(tmp_path):
    rows = [row("DLH", "Bank Sampah", 1, "P1") | {"ceiling_idr": 2_000_000_000, "is_new": True},
            row("DLH", "Zona Hijau", 1, "P1") | {"ceiling_idr": 2_000_000_000, "closing_soon": True},  # same programme
            row("DLH", "Zona Hijau", 2, "P2") | {"ceiling_idr": 500_000_000, "is_changed": True},
            row("DINKES", "Posyandu", 1, "P3"),  # no ceiling: 0
            row(None, "Tanpa Dinas", 1, "P1") | {"ceiling_idr": 2_000_000_000}]
    as_read = pd.DataFrame(rows).astype({"ceiling_idr": "Int64"})  # as load_week reads them
    with_none = pd.DataFrame(rows).assign(ceiling_idr=pd.Series([r["ceiling_idr"] for r in rows], dtype=object))
    for week in (as_read, with_none):
        wb = load_workbook(write_workbook(week, W48, tmp_path / "w.xlsx", {}))
        got = [r for r in wb["Ringkasan"].iter_rows(min_row=4, values_only=True)]
        assert got == [("'-", 1, 0, 0, 0, 2_000_000_000), ("DINKES", 1, 0, 0, 0, 0), ("DLH", 3, 1, 1, 1, 2_500_000_000)]
