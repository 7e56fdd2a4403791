"""The list page and API: filters, sorting, detail, decisions with CSRF, audit trail, escaping."""

from __future__ import annotations

import pytest
from review_helpers import EVIL, feedback_count

from nyengget.weekly import feedback

W = {"week": "2026-W48"}


def ids(body: dict) -> list[str]:
    return [f'{it["innovation_id"]}/{it["programme_id"]}' for it in body["items"]]


@pytest.mark.parametrize(("params", "expected"), [
    ({"sort": "tenggat"}, ["I1/P1", "I3/P4", "I2/P3", "I1/P2"]),
    ({"sort": "skor"}, ["I1/P1", "I2/P3", "I3/P4", "I1/P2"]),
    ({"sort": "pagu"}, ["I1/P2", "I3/P4", "I1/P1", "I2/P3"]),
    ({"flag": "segera_ditutup"}, ["I1/P1"]),
    ({"flag": "berubah"}, ["I1/P1"]),
    ({"funding_type": "DAK Fisik"}, ["I1/P2"]),
    ({"bidang": "Lingkungan Hidup"}, ["I2/P3"]),
    ({"opd": "DINKES", "sort": "skor"}, ["I1/P1", "I3/P4", "I1/P2"]),
])
def test_filters_and_sorting(client_for, params, expected):
    assert ids(client_for("perencana").get("/api/weekly", params={**W, **params}).json()) == expected


def test_new_flag_and_week_choice(client_for):
    planner = client_for("perencana")
    assert len(ids(planner.get("/api/weekly", params={"week": "2026-W47", "flag": "baru"}).json())) == 4
    assert ids(planner.get("/api/weekly", params={**W, "flag": "baru"}).json()) == []
    assert planner.get("/api/weekly").json()["week"] == "2026-W48"  # default: the latest week
    assert planner.get("/api/weekly", params={"week": "48"}).status_code == 400
    assert planner.get("/api/weekly", params={**W, "sort": "drop table"}).status_code == 400


def test_status_filter_follows_decisions(client_for, seeded):
    planner = client_for("perencana", bearer=True)
    planner.post("/api/feedback", json={**W, "innovation_id": "I1", "programme_id": "P2", "status": "didanai"})
    assert ids(planner.get("/api/weekly", params={**W, "status": "didanai"}).json()) == ["I1/P2"]
    assert "I1/P2" not in ids(planner.get("/api/weekly", params={**W, "status": "belum"}).json())


def test_cookie_logins_need_a_csrf_token_bearer_logins_do_not(client_for, seeded):
    body = {**W, "innovation_id": "I1", "programme_id": "P1", "status": "relevan"}
    dinkes = client_for("dinkes")
    assert dinkes.post("/api/feedback", json=body).status_code == 403
    other = client_for("dlh").get("/api/me").json()["csrf_token"]
    assert dinkes.post("/api/feedback", json=body, headers={"X-CSRF-Token": other}).status_code == 403
    token = dinkes.get("/api/me").json()["csrf_token"]
    assert dinkes.post("/api/feedback", json=body, headers={"X-CSRF-Token": token}).status_code == 201
    assert client_for("dinkes", bearer=True).post("/api/feedback", json=body).status_code == 201
    assert feedback_count(seeded) == 2


def test_the_page_form_records_a_decision_and_redirects_inside_the_app(client_for, seeded):
    dinkes = client_for("dinkes")
    form = {"week": "2026-W48", "innovation_id": "I1", "programme_id": "P1", "status": "tidak_relevan",
            "reason": "tenggat_terlalu_dekat", "note": "tidak sempat", "next": "/?week=2026-W48&ok=1"}
    assert dinkes.post("/keputusan", data={**form, "csrf": "forged"}).status_code == 403
    page = dinkes.get("/", params=W).text
    token = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    response = dinkes.post("/keputusan", data={**form, "csrf": token})
    assert response.status_code == 303 and response.headers["location"] == "/?week=2026-W48&ok=1"
    evil = dinkes.post("/keputusan", data={**form, "csrf": token, "next": "//evil.example/x"})
    assert evil.headers["location"] == "/?ok=1"
    latest = feedback.latest(seeded)
    assert latest.iloc[0].actor == "dinkes" and latest.iloc[0].reason == "tenggat_terlalu_dekat"
    assert "Keputusan tersimpan" in dinkes.get(response.headers["location"]).text


@pytest.mark.parametrize(("extra", "message"), [
    ({"status": "tidak_relevan"}, "alasan"),
    ({"status": "tidak_relevan", "reason": "lainnya"}, "catatan"),
    ({"status": "mungkin"}, "unknown status"),
    ({"status": "tidak_relevan", "reason": "malas"}, "unknown reason"),
    ({}, "pilih status"),
])
def test_invalid_decisions_are_refused(client_for, seeded, extra, message):
    body = {**W, "innovation_id": "I1", "programme_id": "P1", **extra}
    response = client_for("perencana", bearer=True).post("/api/feedback", json=body)
    assert response.status_code == 400 and message in response.json()["detail"]
    assert feedback_count(seeded) == 0


def test_every_decision_is_kept_as_an_audit_trail(client_for, seeded):
    planner = client_for("perencana", bearer=True)
    item = {**W, "innovation_id": "I1", "programme_id": "P2"}
    for status in ("relevan", "sedang_diusulkan", "sudah_diusulkan"):
        assert planner.post("/api/feedback", json={**item, "status": status, "note": f"n-{status}"}).status_code == 201
    assert client_for("dinkes", bearer=True).post("/api/feedback", json={**item, "note": "catatan saja"}).status_code == 201
    decisions = planner.get("/api/item", params=item).json()["decisions"]
    assert [(d["status"], d["actor"], d["note"]) for d in decisions] == [
        ("sudah_diusulkan", "dinkes", "catatan saja"), ("sudah_diusulkan", "perencana", "n-sudah_diusulkan"),
        ("sedang_diusulkan", "perencana", "n-sedang_diusulkan"), ("relevan", "perencana", "n-relevan")]
    assert all(d["created_at"] for d in decisions)
    assert planner.get("/api/weekly", params={**W, "opd": "DINKES"}).json()["items"][-1]["review_status"]


def test_detail_shows_reasons_history_source_and_decisions(client_for, seeded):
    planner = client_for("perencana", bearer=True)
    planner.post("/api/feedback", json={**W, "innovation_id": "I1", "programme_id": "P1", "status": "relevan",
                                        "note": "cocok untuk Posyandu"})
    html = planner.get("/item", params={**W, "innovation_id": "I1", "programme_id": "P1"}).text
    for text in ("sama-sama menyebut P1", "batas usulan dimajukan", "versi pertama", "https://example.go.id/P1",
                 "cocok untuk Posyandu", "Riwayat versi program", "Riwayat keputusan", "Rp1 miliar"):
        assert text in html, text


def test_scraped_text_is_escaped_and_unsafe_links_are_neutralised(client_for):
    planner = client_for("perencana")
    for html in (planner.get("/", params=W).text,
                 planner.get("/item", params={**W, "innovation_id": "I3", "programme_id": "P4"}).text):
        assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
        assert 'href="javascript:' not in html
    response = planner.get("/", params=W)
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert EVIL in [it["programme_title"] for it in planner.get("/api/weekly", params=W).json()["items"]]


def test_the_page_works_on_an_empty_warehouse(engine, users_file):
    from fastapi.testclient import TestClient
    from review_helpers import fake_auth

    from nyengget.review.app import create_app

    client = TestClient(create_app(lambda: engine, fake_auth))
    client.cookies.set("test_user", "admin")
    assert "Tidak ada peluang" in client.get("/").text
    assert client.get("/api/weekly").json() == {"week": None, "week_start": None, "count": 0, "items": [],
                                              "partner_items": []}


def test_detail_shows_the_sentences_window_and_ceiling_came_from(client_for, seeded):
    import json

    from sqlalchemy import update

    from nyengget.warehouse.schema import programmes

    said = {"closes_on": "Usulan disampaikan paling lambat 15 Desember 2026.",
            "ceiling_idr": "Nilai bantuan paling banyak Rp1 miliar per daerah.", "extended_from": "2026-12-01"}
    with seeded.begin() as conn:
        conn.execute(update(programmes).where(programmes.c.programme_id == "P1").values(evidence=json.dumps(said)))
    html = client_for("perencana").get("/item", params={**W, "innovation_id": "I1", "programme_id": "P1"}).text
    for text in (said["closes_on"], said["ceiling_idr"], "semula 1 Des 2026"):
        assert text in html, text
