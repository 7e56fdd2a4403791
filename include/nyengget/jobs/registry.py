"""Tasks of the innovation-ingestion DAG."""

from __future__ import annotations

from dataclasses import asdict

from nyengget.config import get_settings
from nyengget.registry import import_innovations, import_opds
from nyengget.warehouse.db import get_engine


def import_opd_directory() -> dict:
    return asdict(import_opds(get_engine(), get_settings().opds_file))


def import_innovation_registry() -> dict:
    return asdict(import_innovations(get_engine(), get_settings().innovations_file))
