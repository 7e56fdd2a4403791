"""Programme ingestion: shared fetcher, raw snapshots, one adapter per kind of source.

Public API (used by the DAG and `make run`): `list_sources`, `ingest_source`, `ingest_week`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SourceConfig", "ingest_source", "ingest_week", "list_sources", "reparse"]


def __getattr__(name: str) -> Any:
    """Lazy imports so that importing the package stays cheap (DAG parse time)."""
    if name in ("SourceConfig", "list_sources", "get_source"):
        from nyengget.sources import registry

        return getattr(registry, name)
    if name in ("ingest_source", "ingest_week", "reparse"):
        from nyengget.sources import ingest

        return getattr(ingest, name)
    raise AttributeError(name)
