"""Alembic environment: runs on the engine handed over by nyengget.warehouse.db."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from nyengget.warehouse.db import VERSION_TABLE
from nyengget.warehouse.schema import metadata

ADVISORY_LOCK_ID = 7_146_532_011  # any constant; serialises concurrent migrations on PostgreSQL


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_ID})
            conn.commit()
        try:
            context.configure(
                connection=conn,
                target_metadata=metadata,
                version_table=VERSION_TABLE,
                render_as_batch=conn.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_ID})
                conn.commit()


run_migrations_online()
