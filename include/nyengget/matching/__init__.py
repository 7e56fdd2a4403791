"""Matching innovations to funding programmes: Indonesian-aware, eligibility-first, explained.

Heavy imports (pandas, scipy, Sastrawi) happen on the first call, not at import time, so DAG files
can import this package cheaply.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from nyengget.funding import DEFAULT_LEVEL

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = ["LIST_LENGTH", "rank"]
# the list an OPD sees each week: the default of NYENGGET_TOP_K, and the "top list" structural items are capped in
LIST_LENGTH = 5


def rank(programmes: pd.DataFrame, innovations: pd.DataFrame, *, as_of: datetime.date,
         level: str = DEFAULT_LEVEL, top_k: int = 10, feedback: pd.DataFrame | None = None,
         proposers: bool = False, cache_dir: Path | None = None) -> pd.DataFrame:
    """Columns: innovation_id, programme_id, rank (1..k), score (0..1, float), reasons (str); with
    `proposers`, also funding_line, proposer_types, own_opd_may_propose (True/False/<NA>),
    proposal_route (usulan/dinilai/terbuka) and proposer_source (see README "Who may propose").
    `cache_dir`: the programmes' analysis is kept there for the next call with the same programmes
    (catalogue.py; the ranking is the same with or without it)."""
    from nyengget.matching.ranking import rank as _rank

    return _rank(programmes, innovations, as_of=as_of, level=level, top_k=top_k, feedback_rows=feedback,
                 proposers=proposers, cache_dir=cache_dir)
