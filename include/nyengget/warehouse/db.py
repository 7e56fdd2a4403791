"""Engine creation and bringing a warehouse to the current schema with Alembic."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event

from nyengget.config import get_settings

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "nyengget_alembic_version"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: NYENGGET_WAREHOUSE_URL or the embedded SQLite file)."""
    url = url or get_settings().warehouse_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # here: importing the engine's module does not load Alembic

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("version_table", VERSION_TABLE)
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the warehouse to `revision` (idempotent; safe on an empty or older database)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


@lru_cache(maxsize=8)
def _ready_engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    log.info("warehouse ready: %s", engine.url.render_as_string(hide_password=True))
    return engine


def get_engine(url: str | None = None) -> Engine:
    """An engine whose database is at the current schema (migrated once per process)."""
    return _ready_engine(url or get_settings().warehouse_url)
