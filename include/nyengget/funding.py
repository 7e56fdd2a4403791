"""The fixed vocabulary of programmes: recipient levels and funding types (defined here only)."""

from __future__ import annotations

# The tiers of Indonesian local government a programme may fund (UU 23/2014 Pasal 2: daerah provinsi,
# kabupaten and kota), in that order; `recipient_levels` stores them ';'-joined in this order.
LEVELS = ("provinsi", "kabupaten", "kota")
# The applicant level when nothing else says (a region's level comes from the regions file).
DEFAULT_LEVEL = "kota"
FUNDING_TYPES = ("DAK Fisik", "DAK Non-Fisik", "Insentif Fiskal", "Hibah Daerah", "Bantuan Pemerintah",
                 "Kompetisi/Penghargaan")
