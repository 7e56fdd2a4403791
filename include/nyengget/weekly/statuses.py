"""Review statuses and reasons: defined in `nyengget.decisions`, re-exported for existing imports."""

from __future__ import annotations

from nyengget.decisions import DISMISSED, PURSUED, REASONS, REVIVING_FIELDS, STATUSES

__all__ = ["DISMISSED", "PURSUED", "REASONS", "REVIVING_FIELDS", "STATUSES"]
