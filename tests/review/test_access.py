"""Who may see and do what: login required, Bappeda sees all, an OPD only its own items."""

from __future__ import annotations

from review_helpers import feedback_count

from factories import W48

FEEDBACK = {"week": "2026-W48", "innovation_id": "I2", "programme_id": "P3", "status": "relevan"}


def pairs(body: dict) -> set[tuple[str, str]]:
    return {(it["innovation_id"], it["programme_id"]) for it in body["items"]}


def test_unauthenticated_api_gets_401_and_pages_redirect_to_login(client_for, seeded):
    anon = client_for(None)
    assert anon.get("/api/weekly", params={"week": "2026-W48"}).status_code == 401
    assert anon.get("/api/item", params={"week": "2026-W48", "innovation_id": "I1",
                                         "programme_id": "P1"}).status_code == 401
    assert anon.post("/api/feedback", json=FEEDBACK).status_code == 401
    assert anon.post("/keputusan", data=FEEDBACK).status_code == 401
    for path in ("/", "/ekspor.csv", "/ekspor.xlsx", "/item?week=2026-W48&innovation_id=I1&programme_id=P1"):
        response = anon.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    assert feedback_count(seeded) == 0


def test_a_user_missing_from_the_mapping_is_refused(client_for):
    stranger = client_for("tamu")
    assert stranger.get("/api/weekly").status_code == 403
    assert stranger.get("/").status_code == 403


def test_bappeda_sees_every_opd_and_can_filter_by_opd(client_for):
    planner = client_for("perencana")
    body = planner.get("/api/weekly", params={"week": "2026-W48"}).json()
    assert body["week"] == "2026-W48" and body["count"] == 4
    assert pairs(body) == {("I1", "P1"), ("I1", "P2"), ("I2", "P3"), ("I3", "P4")}
    dlh = planner.get("/api/weekly", params={"week": "2026-W48", "opd": "DLH"}).json()
    assert pairs(dlh) == {("I2", "P3")}


def test_an_opd_user_sees_only_its_own_items(client_for):
    dinkes = client_for("dinkes")
    body = dinkes.get("/api/weekly", params={"week": "2026-W48"}).json()
    assert {it["opd_code"] for it in body["items"]} == {"DINKES"} and body["count"] == 3
    assert dinkes.get("/api/weekly", params={"week": "2026-W48", "opd": "DLH"}).status_code == 403
    page = dinkes.get("/", params={"week": "2026-W48"}).text
    assert "Bantuan TPS3R" not in page and "Hibah Penurunan Stunting" in page
    csv = dinkes.get("/ekspor.csv", params={"week": "2026-W48"}).content.decode("utf-8-sig")
    assert "Bantuan TPS3R" not in csv and "Hibah Penurunan Stunting" in csv


def test_an_opd_user_cannot_read_or_act_on_another_opds_item_by_id(client_for, seeded):
    dinkes = client_for("dinkes", bearer=True)
    item = {"week": "2026-W48", "innovation_id": "I2", "programme_id": "P3"}
    assert dinkes.get("/api/item", params=item).status_code == 403
    assert dinkes.get("/item", params=item).status_code == 403
    response = dinkes.post("/api/feedback", json={**item, "status": "tidak_relevan", "reason": "bukan_kewenangan"})
    assert response.status_code == 403
    assert feedback_count(seeded) == 0
    own = dinkes.post("/api/feedback", json={**item, "innovation_id": "I1", "programme_id": "P1",
                                             "status": "relevan"})
    assert own.status_code == 201 and feedback_count(seeded) == 1


def test_an_opd_user_cannot_post_the_page_form_for_another_opds_item(client_for, seeded):
    dlh = client_for("dlh")
    token = dlh.get("/api/me").json()["csrf_token"]
    form = {"csrf": token, "week": "2026-W48", "innovation_id": "I1", "programme_id": "P1",
            "status": "tidak_relevan", "reason": "bukan_kewenangan", "next": "/"}
    assert dlh.post("/keputusan", data=form).status_code == 403
    assert feedback_count(seeded) == 0


def test_reassignment_moves_the_item_to_the_new_opd_and_sticks(client_for, seeded):
    planner = client_for("perencana", bearer=True)
    item = {"week": "2026-W48", "innovation_id": "I2", "programme_id": "P3"}
    assert planner.post("/api/feedback", json={**item, "status": "relevan", "assigned_opd": "DINKES"}).status_code == 201
    assert ("I2", "P3") in pairs(client_for("dinkes").get("/api/weekly", params={"week": "2026-W48"}).json())
    assert ("I2", "P3") not in pairs(client_for("dlh").get("/api/weekly", params={"week": "2026-W48"}).json())
    assert client_for("dlh", bearer=True).post("/api/feedback", json={**item, "status": "didanai"}).status_code == 403
    # a later decision by the new owner keeps the reassignment (build.py follows the latest decision)
    dinkes = client_for("dinkes", bearer=True)
    assert dinkes.post("/api/feedback", json={**item, "status": "sedang_diusulkan"}).status_code == 201
    detail = dinkes.get("/api/item", params=item).json()
    assert [d["assigned_opd"] for d in detail["decisions"]] == ["DINKES", "DINKES"]
    assert planner.post("/api/feedback", json={**item, "status": "relevan", "assigned_opd": "NOPE"}).status_code == 400
    from nyengget.weekly.build import build_week, load_week

    build_week(seeded, W48)
    week = load_week(seeded, W48)
    assert week.set_index("programme_id").at["P3", "opd_code"] == "DINKES"
