"""Shared fixtures: isolated NYENGGET_HOME, SQLite and PostgreSQL warehouses."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

# Airflow reads its configuration when first imported: point it at a throw-away home first.
REPO_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="nyengget-test-airflow-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(REPO_ROOT / "dags"))
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "True")

import pytest  # noqa: E402
from sqlalchemy import Engine, create_engine, text  # noqa: E402

from nyengget.warehouse.db import make_engine, upgrade  # noqa: E402
from nyengget.warehouse.schema import metadata  # noqa: E402

PG_ADMIN_URL = os.environ.get("NYENGGET_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED_MATCH = REPO_ROOT.parent / "shared" / "data" / "match"


@pytest.fixture(autouse=True)
def nyengget_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own NYENGGET_HOME and embedded warehouse; nothing touches .local/."""
    home = tmp_path / "home"
    monkeypatch.setenv("NYENGGET_HOME", str(home))
    monkeypatch.delenv("NYENGGET_WAREHOUSE_URL", raising=False)
    monkeypatch.delenv("NYENGGET_SMTP_URL", raising=False)
    monkeypatch.delenv("NYENGGET_LINK_SECRET", raising=False)
    monkeypatch.setenv("NYENGGET_MAIL_DELIVERY", "file")  # the embedded default's .eml outbox, chosen explicitly
    return home


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (dropped afterwards)."""
    name = f"nyengget_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - turned into a clear failure below
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required (start it; .ci/run does): {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    upgrade(engine)
    return engine


def _pg_engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty embedded (SQLite) warehouse at the current schema."""
    eng = _sqlite_engine(tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same test on SQLite and on the real PostgreSQL service."""
    if request.param == "sqlite":
        eng = _sqlite_engine(tmp_path)
    else:
        eng = _pg_engine(request.getfixturevalue("pg_database"))
    yield eng
    eng.dispose()
