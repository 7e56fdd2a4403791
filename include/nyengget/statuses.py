"""The review statuses planners choose, defined once (`decisions` builds on them); no warehouse imports,
so the matcher can read feedback without loading SQLAlchemy."""

from __future__ import annotations

STATUSES: dict[str, str] = {
    "relevan": "Relevan",
    "tidak_relevan": "Tidak relevan",
    "sedang_diusulkan": "Sedang diusulkan",
    "sudah_diusulkan": "Sudah diusulkan",
    "didanai": "Didanai",
    "tidak_didanai": "Tidak didanai",
}
DISMISSED = "tidak_relevan"
PURSUED = frozenset({"sedang_diusulkan", "sudah_diusulkan"})
