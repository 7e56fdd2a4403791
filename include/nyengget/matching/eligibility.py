"""Hard eligibility filters on programmes: recipient level, closed windows, fiscal years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Eligibility:
    """Per-programme boolean masks (aligned with the cleaned programmes frame)."""

    level_ok: np.ndarray
    window_ok: np.ndarray
    year_ok: np.ndarray

    @property
    def eligible(self) -> np.ndarray:
        return self.level_ok & self.window_ok & self.year_ok


def check(programmes: pd.DataFrame, *, as_of: date, level: str) -> Eligibility:
    """Vectorised checks: `level` in recipient_levels; window not closed before `as_of`;
    fiscal year is as_of.year or the next one."""
    levels = programmes["recipient_levels"].str.split(";")
    level_ok = levels.map(lambda xs: level in xs).to_numpy(dtype=bool)
    closes = programmes["closes_on"]
    window_ok = (closes.isna() | (closes >= pd.Timestamp(as_of))).to_numpy(dtype=bool)
    fy = programmes["fiscal_year"].astype("float64").to_numpy()
    year_ok = (fy == as_of.year) | (fy == as_of.year + 1)
    return Eligibility(level_ok, window_ok, year_ok)
