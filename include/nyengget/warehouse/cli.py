"""`nyengget db upgrade|current`: manage the warehouse schema."""

from __future__ import annotations

import argparse

from alembic import command

from nyengget.warehouse.db import alembic_config, make_engine, upgrade


def add_commands(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="warehouse schema (Alembic migrations)")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="bring the warehouse to the current schema")
    up.add_argument("--url", help="SQLAlchemy URL (default: NYENGGET_WAREHOUSE_URL or the embedded SQLite)")
    up.set_defaults(func=_upgrade)
    cur = db_sub.add_parser("current", help="print the warehouse's schema revision")
    cur.add_argument("--url")
    cur.set_defaults(func=_current)


def _upgrade(args: argparse.Namespace) -> int:
    engine = make_engine(args.url)
    upgrade(engine)
    print(f"warehouse at current schema: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _current(args: argparse.Namespace) -> int:
    command.current(alembic_config(make_engine(args.url)))
    return 0
