"""Write a ranked frame as CSV, byte for byte what `DataFrame.to_csv(index=False, float_format=...)` writes,
without pandas' per-value formatting (each column becomes one list, rows go to csv.writer in bulk)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

FLOAT_FORMAT = "%.4f"


def _cells(column: pd.Series, float_format: str) -> list | None:
    """The column's cells as csv.writer should see them, or None when only pandas knows how."""
    kind = column.dtype.kind
    if kind == "f":
        return [float_format % v if v == v else "" for v in column.to_numpy().tolist()]
    if kind in "iub" and isinstance(column.dtype, np.dtype):
        return column.to_numpy().tolist()
    if column.dtype == object or isinstance(column.dtype, pd.BooleanDtype):
        values = column.to_numpy(dtype=object)
        missing = pd.isna(values)
        if missing.any():
            values = values.copy()
            values[missing] = ""
        cells = values.tolist()
        return cells if all(isinstance(v, str | bool) for v in cells) else None
    return None


def write_csv(frame: pd.DataFrame, path: Path, float_format: str = FLOAT_FORMAT) -> None:
    """`frame.to_csv(path, index=False, float_format=float_format)`, faster for str, int, bool, float columns."""
    cells = [_cells(frame[c], float_format) for c in frame.columns]
    if any(c is None for c in cells) or not frame.columns.is_unique:
        frame.to_csv(path, index=False, float_format=float_format)
        return
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([str(c) for c in frame.columns])
        writer.writerows(zip(*cells, strict=True))
