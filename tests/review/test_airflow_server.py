"""The plugin inside the real Airflow api-server: mounted at /nyengget, behind Airflow's login."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_the_json_api_needs_an_airflow_login(airflow):
    server, _ = airflow
    url = f"{server.url}/nyengget/api/weekly"
    assert httpx.get(url, params={"week": "2026-W48"}).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer not-a-jwt"}).status_code == 401
    token = server.token("perencana")
    body = httpx.get(url, params={"week": "2026-W48"}, headers={"Authorization": f"Bearer {token}"}).json()
    assert body["week"] == "2026-W48" and body["count"] >= 2
    assert {it["opd_code"] for it in body["items"]} == {"DINKES", "DLH"}
    # the browser way: the `_token` cookie Airflow's login page sets
    mine = httpx.get(url, params={"week": "2026-W48"}, cookies={"_token": server.token("dinkes")}).json()
    assert mine["count"] >= 1 and {it["opd_code"] for it in mine["items"]} == {"DINKES"}


def test_pages_redirect_to_airflows_login_and_the_view_is_in_the_navigation(airflow):
    server, _ = airflow
    response = httpx.get(f"{server.url}/nyengget/", params={"week": "2026-W48"})
    assert response.status_code == 303 and response.headers["location"].startswith("/auth/login?next=")
    token = server.token("admin")
    plugins = httpx.get(f"{server.url}/api/v2/plugins", headers={"Authorization": f"Bearer {token}"}).json()
    plugin = next(p for p in plugins["plugins"] if p["name"] == "nyengget_review")
    assert plugin["external_views"][0]["href"] == "/nyengget/"
    assert plugin["fastapi_apps"][0]["url_prefix"] == "/nyengget"


def test_a_bearer_post_records_the_airflow_username_as_actor(airflow):
    server, engine = airflow
    token = server.token("perencana")
    response = httpx.post(f"{server.url}/nyengget/api/feedback", headers={"Authorization": f"Bearer {token}"},
                          json={"week": "2026-W48", "innovation_id": "I2", "programme_id": "P2",
                                "status": "relevan", "note": "dari uji integrasi"})
    assert response.status_code == 201, response.text
    from nyengget.weekly import feedback

    latest = feedback.latest(engine).set_index("programme_id")
    assert latest.at["P2", "actor"] == "perencana"
    no_login = httpx.post(f"{server.url}/nyengget/api/feedback", json={"week": "2026-W48", "innovation_id": "I2",
                                                                        "programme_id": "P2", "status": "didanai"})
    assert no_login.status_code == 401
