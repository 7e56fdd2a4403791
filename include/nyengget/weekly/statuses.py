"""Review statuses planners and OPDs can give an item (stored in `review_feedback`)."""

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
REASONS: dict[str, str] = {
    "bukan_kewenangan": "Bukan kewenangan kita",
    "tidak_ada_dana_pendamping": "Tidak ada dana pendamping",
    "tenggat_terlalu_dekat": "Tenggat terlalu dekat",
    "sudah_didanai_sumber_lain": "Sudah didanai sumber lain",
    "lainnya": "Lainnya",
}
# Fields whose change brings a dismissed pair back (window, ceiling, eligibility).
REVIVING_FIELDS = frozenset({"opens_on", "closes_on", "ceiling_idr", "recipient_levels"})
