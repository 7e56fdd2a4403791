"""Fixtures of the review page: a seeded warehouse, a user mapping, and clients per user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from review_helpers import USERS, fake_auth, seed
from sqlalchemy import Engine

from nyengget.review.app import create_app
from nyengget.review.auth import load_user_map


@pytest.fixture(autouse=True)
def link_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NYENGGET_LINK_SECRET", "test-secret-for-review-links-0123456789")
    monkeypatch.setenv("NYENGGET_PUBLIC_URL", "http://review.test/nyengget")
    return "test-secret-for-review-links"


@pytest.fixture
def users_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "users.yaml"
    path.write_text("users:\n" + "".join(f"  {u}: {s}\n" for u, s in USERS.items()), encoding="utf-8")
    monkeypatch.setenv("NYENGGET_USERS_FILE", str(path))
    return path


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    return seed(engine)


@pytest.fixture
def app(seeded: Engine, users_file: Path):
    return create_app(lambda: seeded, fake_auth, user_map=load_user_map)


@pytest.fixture
def client_for(app) -> Callable[..., TestClient]:
    """`client_for("dinkes")`: a client logged in by cookie; `client_for(None)`: not logged in."""
    def make(user: str | None, bearer: bool = False) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        if user and bearer:
            client.headers["Authorization"] = f"Bearer test:{user}"
        elif user:
            client.cookies.set("test_user", user)
        return client
    return make


@pytest.fixture(scope="session")
def airflow(tmp_path_factory: pytest.TempPathFactory):
    """A real Airflow api-server with the plugin, over a warehouse seeded for the real matcher."""
    from airflow_server import api_server
    from review_helpers import seed_for_matcher

    from nyengget.warehouse.db import make_engine, upgrade

    home = tmp_path_factory.mktemp("airflow-server")
    users_file = home / "users.yaml"
    users_file.write_text("users:\n" + "".join(f"  {u}: {s}\n" for u, s in USERS.items()), encoding="utf-8")
    warehouse_url = f"sqlite:///{home / 'warehouse.sqlite'}"
    engine = make_engine(warehouse_url)
    upgrade(engine)
    seed_for_matcher(engine)
    with api_server(home, warehouse_url, users_file) as server:
        yield server, engine
    engine.dispose()
