"""The end of `make run`: counts, one line per OPD with its best item, where the reports are."""

from __future__ import annotations

from datetime import date

from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget.weekly.build import build_week
from nyengget.weekly.summary import planner_lines


def test_planner_lines_name_each_opd_once_with_its_best_item(engine, tmp_path):
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "d@x.go.id")
    add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "l@x.go.id")
    add_innovation(engine, "I1", "Posyandu Digital", "DINKES")
    add_innovation(engine, "I2", "Bank Sampah", "DLH")
    add_programme(engine, "P1", "Hibah Stunting", week=W48, opens_on=date(2026, 11, 1), closes_on=date(2026, 12, 4))
    add_programme(engine, "P2", "Bantuan TPS3R", week=W48, ceiling_idr=None)
    add_match(engine, W48, "I1", "P1", 1, 0.9)
    add_match(engine, W48, "I1", "P2", 2, 0.4)
    add_match(engine, W48, "I2", "P2", 1, 0.8)
    build_week(engine, W48)
    lines, week = planner_lines(engine, W48, tmp_path)
    text = "\n".join(lines)
    assert lines[0].startswith("Nyengget Kota Serang pekan 2026-W48 (23 November 2026): 2 program cocok untuk 2 OPD — 2 baru")
    assert "  Dinkes: Hibah Stunting (untuk Posyandu Digital; 1 Nov 2026 – 4 Des 2026 (11 hari lagi))" in lines
    assert "  DLH: Bantuan TPS3R (untuk Bank Sampah; jadwal belum diumumkan)" in lines
    assert "nyengget-2026-W48.xlsx" in text and "flags" not in text and len(lines) == 7
