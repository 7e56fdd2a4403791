"""A dismissal made on the page shapes next week's list (through the real matcher)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from review_helpers import W49, fake_auth, seed_for_matcher

from factories import add_version
from nyengget.review.app import create_app
from nyengget.weekly.build import build_week
from nyengget.weekly.matches import run_matching

pytest.importorskip("nyengget.matching", reason="the matcher package is not in this tree yet")


def pairs(client: TestClient, week: str) -> set[tuple[str, str]]:
    items = client.get("/api/weekly", params={"week": week}).json()["items"]
    return {(it["innovation_id"], it["programme_id"]) for it in items}


@pytest.fixture
def planner(engine, users_file) -> TestClient:
    seed_for_matcher(engine)
    client = TestClient(create_app(lambda: engine, fake_auth))
    client.headers["Authorization"] = "Bearer test:perencana"
    return client


def test_a_dismissed_pair_is_gone_next_week_and_comes_back_when_the_window_changes(planner, engine):
    assert ("I1", "P1") in pairs(planner, "2026-W48")
    response = planner.post("/api/feedback", json={"week": "2026-W48", "innovation_id": "I1", "programme_id": "P1",
                                                  "status": "tidak_relevan", "reason": "bukan_kewenangan"})
    assert response.status_code == 201
    run_matching(engine, W49)
    build_week(engine, W49)
    next_week = pairs(planner, "2026-W49")
    assert ("I1", "P1") not in next_week and ("I2", "P2") in next_week
    add_version(engine, "P1", 2, W49, "closes_on", "batas usulan diundur")
    run_matching(engine, W49)
    build_week(engine, W49)
    assert ("I1", "P1") in pairs(planner, "2026-W49")


def test_a_pursued_pair_stays_with_its_status(planner, engine):
    planner.post("/api/feedback", json={"week": "2026-W48", "innovation_id": "I2", "programme_id": "P2",
                                        "status": "sedang_diusulkan"})
    run_matching(engine, W49)
    build_week(engine, W49)
    items = planner.get("/api/weekly", params={"week": "2026-W49", "status": "sedang_diusulkan"}).json()["items"]
    assert [(it["innovation_id"], it["programme_id"]) for it in items] == [("I2", "P2")]
