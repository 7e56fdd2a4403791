"""Same URL -> file mapping as nyengget.sources.replay.relpath (kept importable without the package)."""

from nyengget.sources.replay import relpath  # noqa: F401
