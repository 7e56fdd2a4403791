"""Array helpers the scorer uses on every chunk."""

from __future__ import annotations

import numpy as np


def nonzero_2d(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.nonzero` of a 2-D array (rows, columns in row-major order), from one flat scan: numpy's 2-D
    nonzero takes about five times as long on a chunk of scores."""
    n_cols = mask.shape[1]
    if n_cols == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty.copy()
    return np.divmod(np.flatnonzero(mask), n_cols)
