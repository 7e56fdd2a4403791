"""The review page as people read it: grouped by programme, plain words, days from today, the
calendar's year view and its export, disappeared items."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import update

from factories import W48, add_match
from nyengget.warehouse.schema import programmes
from nyengget.weekly import feedback
from nyengget.weekly.build import build_week

W = {"week": "2026-W48"}
TODAY = date(2026, 12, 1)  # a Tuesday: the page counts days from today, not from Monday


@pytest.fixture(autouse=True)
def pinned_today(app):
    app.state.today = lambda: TODAY


def test_each_programme_once_with_its_innovations(client_for, seeded):
    add_match(seeded, W48, "I3", "P1", 2, 0.5)
    build_week(seeded, W48)
    html = client_for("perencana").get("/", params=W).text
    assert html.count('data-programme="P1"') == 1
    section = html.split('data-programme="P1"', 1)[1].split("</section>", 1)[0]
    assert "Cocok untuk 2 inovasi" in section and "Posyandu Digital" in section and "Gardu Jaga Balita" in section
    assert 'data-pair="I1|P1"' in section and 'data-pair="I3|P1"' in section


def test_plain_words_and_days_counted_from_today(client_for):
    planner = client_for("perencana")
    html = planner.get("/", params=W).text
    assert "4 Des 2026 (3 hari lagi)" in html  # 1 Dec → 4 Dec
    assert "belum diumumkan" in html  # P3 has no ceiling
    for jargon in ("kata cocok", "tanpa jendela", "belum ditetapkan", "closes_on", "Rp0"):
        assert jargon not in html, jargon
    detail = planner.get("/item", params={**W, "innovation_id": "I1", "programme_id": "P1"}).text
    assert "yang berubah: batas usulan" in detail and "closes_on" not in detail


def test_the_year_view_shows_real_windows_and_forecasts(client_for):
    planner = client_for("perencana")
    html = planner.get("/kalender", params={**W, "tahun": "2026"}).text
    october = html.split('data-month="10"', 1)[1].split("</section>", 1)[0]
    assert "Hibah Penurunan Stunting" in october and "Jadwal resmi" in october
    html27 = planner.get("/kalender", params={**W, "tahun": "2027"}).text
    assert "Bantuan TPS3R" in html27  # closes 1 Feb 2027
    assert "DAK Fisik Sanitasi" in html27 and "perkiraan dibuka" in html27  # from the KRISNA-DAK calendar
    assert "Perkiraan" in html27.split("DAK Fisik Sanitasi", 1)[0].rsplit("<li", 1)[1]
    assert planner.get("/kalender", params={"tahun": "dua ribu"}).status_code == 400


def test_an_opd_sees_only_its_own_programmes_on_the_calendar(client_for):
    html = client_for("dlh").get("/kalender", params={**W, "tahun": "2027"}).text
    assert "Bantuan TPS3R" in html and "DAK Fisik Sanitasi" not in html


def test_the_calendar_exports_real_dates(client_for):
    response = client_for("perencana").get("/kalender.xlsx", params={**W, "tahun": "2027"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Kalender 2027"
    rows = {r[3].value: r for r in sheet.iter_rows(min_row=2)}
    tps = rows["Bantuan TPS3R"]
    assert tps[1].is_date and tps[1].value.date() == date(2027, 2, 1) and tps[2].value == "Jadwal resmi"
    assert rows["DAK Fisik Sanitasi"][2].value == "Perkiraan" and rows["DAK Fisik Sanitasi"][0].is_date


def test_the_list_export_writes_real_dates(client_for):
    sheet = openpyxl.load_workbook(io.BytesIO(client_for("perencana").get("/ekspor.xlsx", params=W).content)).active
    header = [c.value for c in sheet[1]]
    closes = [r[header.index("Ditutup")] for r in sheet.iter_rows(min_row=2) if r[header.index("ID program")].value == "P1"]
    assert closes[0].is_date and closes[0].value.date() == date(2026, 12, 4)


def test_a_pursued_programme_that_disappeared_is_on_the_page(client_for, seeded):
    feedback.record(seeded, feedback.Decision(W48, "I1", "P1", "sedang_diusulkan", "dinkes"))
    with seeded.begin() as conn:
        conn.execute(update(programmes).where(programmes.c.programme_id == "P1")
                     .values(status="disappeared", last_seen=W48))
    html = client_for("dinkes").get("/", params=W).text
    block = html.split('class="gone"', 1)[1].split("</div>", 1)[0]
    assert "Hibah Penurunan Stunting" in block and "23 November 2026" in block
    assert 'href="https://example.go.id/P1"' in block
    assert 'class="gone"' not in client_for("dlh").get("/", params=W).text
