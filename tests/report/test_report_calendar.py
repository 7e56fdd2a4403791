"""The workbook's calendar sheet and sheet names; the HTML report lists each programme once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import openpyxl

from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline.weekly import run_week
from nyengget.report.xlsx import _sheet_name, shorten
from nyengget.weeks import JAKARTA

SENT = datetime.combine(date(2026, 11, 24), time(6), tzinfo=JAKARTA)


def test_sheet_names_are_cut_between_words_never_on_a_conjunction():
    assert shorten("Dinas Pekerjaan Umum dan Penataan Ruang", 31) == "Dinas Pekerjaan Umum"
    assert shorten("Dinas Kesehatan", 31) == "Dinas Kesehatan"
    used: set[str] = set()
    names = [_sheet_name("Dinas Kependudukan dan Pencatatan Sipil Kota", used) for _ in range(2)]
    assert names == ["Dinas Kependudukan", "Dinas Kependudukan 2"]
    assert all(len(n) <= 31 for n in names)


def _week(engine):
    add_opd(engine, "DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang Kota Serang", "DPUPR", "pu@serang.example.go.id")
    add_innovation(engine, "I1", "Drainase Pintar", "DPUPR")
    add_innovation(engine, "I2", "Jalan Mulus", "DPUPR")
    add_programme(engine, "P1", "Hibah Jalan Daerah", opens_on=date(2026, 12, 1), closes_on=date(2027, 1, 15))
    for year, opens in ((2024, date(2024, 3, 4)), (2025, date(2025, 3, 3)), (2026, date(2026, 3, 2))):
        add_programme(engine, f"S{year}", f"Penghargaan Adipura {year}", fiscal_year=year, opens_on=opens,
                      closes_on=opens + timedelta(days=45), funding_type="Kompetisi/Penghargaan")
    add_programme(engine, "S2027", "Penghargaan Adipura 2027", fiscal_year=2027, funding_type="Kompetisi/Penghargaan")
    for iid in ("I1", "I2"):
        add_match(engine, W48, iid, "P1", 1)
        add_match(engine, W48, iid, "S2027", 2, 0.5)


def test_the_workbook_has_a_calendar_with_real_dates(engine, tmp_path):
    _week(engine)
    result = run_week(engine, W48, delivery=FileDelivery(tmp_path / "out"), sent_at=SENT)
    wb = openpyxl.load_workbook(result.xlsx)
    assert wb.sheetnames[:2] == ["Ringkasan", "Kalender"] and "DPUPR" in wb.sheetnames  # too long: the short name
    cal = wb["Kalender"]
    rows = {r[3].value: r for r in cal.iter_rows(min_row=2)}
    assert set(rows) == {"Hibah Jalan Daerah", "Penghargaan Adipura 2027"}  # each programme once
    real, forecast = rows["Hibah Jalan Daerah"], rows["Penghargaan Adipura 2027"]
    assert real[0].is_date and real[0].value.date() == date(2026, 12, 1) and real[2].value == "Jadwal resmi"
    assert forecast[2].value == "Perkiraan" and forecast[0].is_date and forecast[0].value.month == 3
    assert "berdasarkan 2024–2026" in forecast[6].value and forecast[5].value == "DPUPR"


def test_the_html_report_lists_each_programme_once_with_its_innovations(engine, tmp_path):
    _week(engine)
    html = run_week(engine, W48, delivery=FileDelivery(tmp_path / "out"), sent_at=SENT).html.read_text()
    assert html.count(">Hibah Jalan Daerah</a>") == 1
    block = html.split(">Hibah Jalan Daerah</a>", 1)[1].split('<div class="prog', 1)[0]
    assert "Cocok untuk 2 inovasi" in block and "Drainase Pintar" in block and "Jalan Mulus" in block
    assert "perkiraan dibuka Maret 2027" in html and "kata cocok" not in html
    assert "1 Des 2026 – 15 Jan 2027 (52 hari lagi)" in html  # counted from the send date, 24 Nov
