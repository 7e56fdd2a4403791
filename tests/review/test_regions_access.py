"""The review page knows the region: a province's planners see their kabupaten/kota, a city's planners their
city, an OPD only its own items in its own region (through the API and the page, like the other tests)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from review_helpers import fake_auth, seed
from sqlalchemy import select

from factories import W48, add_innovation, add_match, add_opd
from nyengget.review.app import create_app
from nyengget.review.auth import load_user_map
from nyengget.warehouse.schema import review_feedback
from nyengget.weekly.build import build_week

CILEGON = "36.72"  # the sample regions.yaml: 36.73 Kota Serang (default), 36.72 Kota Cilegon
USERS = {"banten": "bappeda:36", "cilegon": f"bappeda:{CILEGON}", "perencana": "bappeda",
         "dinkes_clg": f"{CILEGON}:DINKES", "dinkes": "DINKES"}


@pytest.fixture
def client_for(engine, tmp_path, monkeypatch):
    seed(engine)  # Kota Serang: DINKES and DLH, I1..I3
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@cilegon.example.go.id", region_code=CILEGON)
    add_innovation(engine, "I1", "Posyandu Baja", "DINKES", region_code=CILEGON)  # same ids, another region
    add_innovation(engine, "C2", "Bank Sampah Pesisir", None, opd="Dinas Lingkungan", region_code=CILEGON)
    add_match(engine, W48, "I1", "P3", 1, 0.8, region_code=CILEGON)
    build_week(engine, W48, region_code=CILEGON)
    users = tmp_path / "users.yaml"
    users.write_text("users:\n" + "".join(f"  {u}: '{s}'\n" for u, s in USERS.items()), encoding="utf-8")
    monkeypatch.setenv("NYENGGET_USERS_FILE", str(users))
    app = create_app(lambda: engine, fake_auth, user_map=load_user_map)

    def make(user: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.headers["Authorization"] = f"Bearer test:{user}"
        return client
    return make


def seen(client: TestClient) -> set[tuple[str, str, str]]:
    body = client.get("/api/weekly", params={"week": "2026-W48"}).json()
    return {(it["region_code"], it["innovation_id"], it["programme_id"]) for it in body["items"]}


def test_each_role_sees_its_region(client_for):
    serang = {("36.73", "I1", "P1"), ("36.73", "I1", "P2"), ("36.73", "I2", "P3"), ("36.73", "I3", "P4")}
    assert seen(client_for("banten")) == serang | {(CILEGON, "I1", "P3")}  # the province: both cities
    assert seen(client_for("cilegon")) == {(CILEGON, "I1", "P3")}
    assert seen(client_for("perencana")) == serang  # plain `bappeda`: the default region
    assert seen(client_for("dinkes_clg")) == {(CILEGON, "I1", "P3")}  # Cilegon's Dinkes, not Serang's
    assert seen(client_for("dinkes")) == {("36.73", "I1", "P1"), ("36.73", "I1", "P2"), ("36.73", "I3", "P4")}
    me = client_for("banten").get("/api/me").json()
    assert me["region"] == "36" and me["regions"] == ["36.73", CILEGON]


def test_an_opd_acts_only_in_its_own_region(client_for, engine):
    item = {"week": "2026-W48", "innovation_id": "I1", "programme_id": "P1", "status": "relevan"}
    assert client_for("dinkes_clg").post("/api/feedback", json={**item, "region_code": "36.73"}).status_code == 403
    assert client_for("dinkes_clg").post("/api/feedback", json=item).status_code == 404  # not in Cilegon's list
    ok = client_for("dinkes_clg").post("/api/feedback", json={**item, "programme_id": "P3", "region_code": CILEGON})
    assert ok.status_code == 201
    detail = client_for("dinkes").get("/api/item", params={"week": "2026-W48", "innovation_id": "I1",
                                                           "programme_id": "P3", "region_code": CILEGON})
    assert detail.status_code == 403  # Serang's Dinkes never sees Cilegon's item
    with engine.connect() as conn:
        rows = conn.execute(select(review_feedback.c.region_code, review_feedback.c.innovation_id,
                                   review_feedback.c.actor)).all()
    assert rows == [(CILEGON, "I1", "dinkes_clg")]


def test_a_province_planner_decides_for_a_city_and_the_city_sees_it(client_for):
    body = {"week": "2026-W48", "innovation_id": "I1", "programme_id": "P3", "status": "sedang_diusulkan",
            "region_code": CILEGON}
    assert client_for("banten").post("/api/feedback", json=body).status_code == 201
    item = client_for("cilegon").get("/api/item", params={"week": "2026-W48", "innovation_id": "I1",
                                                          "programme_id": "P3"}).json()
    assert item["item"]["review_status"] == "sedang_diusulkan" and item["item"]["region_code"] == CILEGON
    serang = client_for("perencana").get("/api/item", params={"week": "2026-W48", "innovation_id": "I1",
                                                              "programme_id": "P1"}).json()
    assert serang["item"]["review_status"] is None and serang["decisions"] == []  # Serang's I1 is another item
    page = client_for("cilegon").get("/")
    assert page.status_code == 200 and "Bappeda Kota Cilegon" in page.text and "Posyandu Baja" in page.text
