"""Fixtures for source tests: tiny fetch policies, a sources file, the recorded snapshot tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from nyengget.sources.fetch import FetchPolicy
from nyengget.sources.storage import LocalStore, Snapshots

SNAPSHOTS = Path(__file__).resolve().parents[2] / "include" / "snapshots"


@pytest.fixture
def fast_policy() -> FetchPolicy:
    """Tiny timeouts and backoffs so failure paths stay fast."""
    return FetchPolicy(connect_timeout=1, read_timeout=0.5, retries=2, backoff_factor=0.01, backoff_max=0.05,
                       retry_after_max=2, max_redirects=3, max_bytes=64 * 1024, min_delay_s=0)


@pytest.fixture
def snapshots(tmp_path: Path) -> Snapshots:
    return Snapshots(LocalStore(tmp_path / "raw"))


@pytest.fixture
def sources_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a sources YAML and point NYENGGET_SOURCES_FILE at it."""

    def write(text: str) -> Path:
        path = tmp_path / "sources.yaml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("NYENGGET_SOURCES_FILE", str(path))
        return path

    return write
