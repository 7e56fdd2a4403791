"""The partner (mitra) OPD on the review page: the kecamatan whose innovation's match the Dinas Kesehatan
proposes sees it in its own section, read-only, and may not decide on it (the owner check stays)."""

from __future__ import annotations

import pytest
from review_helpers import add_routed, feedback_count

from factories import W48
from nyengget import decisions
from nyengget.review import csrf

W = {"week": "2026-W48"}
BOK = {"week": "2026-W48", "innovation_id": "K1", "programme_id": "BOK"}


def _partner_part(html: str) -> str:
    return html.split('id="mitra"', 1)[1] if 'id="mitra"' in html else ""


@pytest.fixture
def routed(seeded):
    return add_routed(seeded)


def test_the_partner_sees_the_routed_item_in_its_own_section_without_a_decision_form(client_for, routed):
    page = client_for("kec").get("/", params=W)
    assert page.status_code == 200
    mitra = _partner_part(page.text)
    assert "Diusulkan OPD lain, Anda sebagai mitra (1 program)" in mitra
    assert "DAK Non-Fisik BOK Puskesmas" in mitra and "Posyandu Keliling Kecamatan" in mitra
    assert "Diusulkan oleh Dinkes; Kec. Serang sebagai mitra. Keputusan ada di OPD pengusul." in mitra
    assert 'data-pair="K1|BOK"' in mitra and 'class="decide"' not in page.text  # nothing to decide on
    # the proposer has it in its own list, with the form; no partner section
    dinkes = client_for("dinkes").get("/", params=W).text
    assert '<form method="post" action="/keputusan" class="decide" data-pair="K1|BOK">' in dinkes
    assert 'id="mitra"' not in dinkes
    # another OPD sees nothing of it; Bappeda sees it once, in the list
    assert "BOK Puskesmas" not in client_for("dlh").get("/", params=W).text
    planner = client_for("perencana").get("/", params=W).text
    assert 'id="mitra"' not in planner and planner.count('class="decide" data-pair="K1|BOK"') == 1


def test_the_partner_may_read_the_detail_but_not_decide(client_for, routed):
    kec = client_for("kec")
    detail = kec.get("/item", params=BOK)
    assert detail.status_code == 200
    assert "Sebagai mitra" in detail.text and "Keputusan ada di OPD pengusul" in detail.text
    assert 'class="decide"' not in detail.text
    assert client_for("dlh").get("/item", params=BOK).status_code == 403
    forged = kec.post("/keputusan", data={**BOK, "status": "relevan", "csrf": csrf.issue("kec")})  # a valid token
    assert forged.status_code == 403
    api = client_for("kec", bearer=True)
    assert api.post("/api/feedback", json={**BOK, "status": "relevan"}).status_code == 403
    assert feedback_count(routed) == 0
    listed = api.get("/api/weekly", params=W).json()
    assert [(i["innovation_id"], i["programme_id"]) for i in listed["partner_items"]] == [("K1", "BOK")]
    assert listed["items"] == [] and listed["partner_items"][0]["as_partner"] is True


def test_after_a_reassignment_to_the_partner_it_is_its_own_item(client_for, routed):
    decisions.record(routed, decisions.Decision(W48, "K1", "BOK", "relevan", "bappeda", assigned_opd="KEC-SERANG"))
    page = client_for("kec").get("/", params=W).text
    assert 'id="mitra"' not in page and 'class="decide" data-pair="K1|BOK"' in page
    assert "BOK Puskesmas" not in client_for("dinkes").get("/", params=W).text
    # moved on to a third OPD: the kecamatan is partner again, read-only
    decisions.record(routed, decisions.Decision(W48, "K1", "BOK", "relevan", "bappeda", assigned_opd="DLH"))
    page = client_for("kec").get("/", params=W).text
    assert "Diusulkan oleh DLH; Kec. Serang sebagai mitra." in _partner_part(page)
    assert 'class="decide"' not in page


def test_the_partner_section_shows_the_proposers_decision(client_for, routed):
    dinkes = client_for("dinkes", bearer=True)
    r = dinkes.post("/api/feedback", json={**BOK, "status": "sedang_diusulkan"})
    assert r.status_code == 201, r.text
    mitra = _partner_part(client_for("kec").get("/", params=W).text)
    assert "st-sedang_diusulkan" in mitra  # the partner follows the proposer's decision


def test_the_partners_export_and_calendar_hold_its_items_as_mitra(client_for, routed):
    import csv
    import io

    import openpyxl

    kec = client_for("kec")
    rows = list(csv.DictReader(io.StringIO(kec.get("/ekspor.csv", params=W).content.decode("utf-8-sig"))))
    assert [(r["ID inovasi"], r["ID program"], r["Kode OPD"], r["Anda sebagai mitra"]) for r in rows] == [
        ("K1", "BOK", "DINKES", "Ya")]
    sheet = openpyxl.load_workbook(io.BytesIO(kec.get("/ekspor.xlsx", params=W).content)).active
    header, *cells = list(sheet.iter_rows(values_only=True))
    assert [(r[header.index("ID program")], r[header.index("Anda sebagai mitra")]) for r in cells] == [("BOK", "Ya")]
    # the proposer exports it as its own item
    own = list(csv.DictReader(io.StringIO(client_for("dinkes").get("/ekspor.csv", params=W).content.decode("utf-8-sig"))))
    assert {(r["ID program"], r["Anda sebagai mitra"]) for r in own if r["ID inovasi"] == "K1"} == {("BOK", "Tidak")}
    calendar = kec.get("/kalender", params={"tahun": "2027"}).text
    assert "DAK Non-Fisik BOK Puskesmas" in calendar
