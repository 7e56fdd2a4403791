"""Write a ranked frame as CSV, byte for byte what `DataFrame.to_csv(index=False, float_format=...)` writes
(csv.QUOTE_MINIMAL, "\\n" line ends), without pandas' per-value formatting: rows are formatted and joined
in blocks of plain Python lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FLOAT_FORMAT = "%.4f"
BLOCK = 50_000  # rows formatted, encoded and written at a time
_NUMERIC = {"f": "float", "i": "int", "u": "int", "b": "bool"}  # numpy dtype kind -> how its cells are written


def _quoted(cells: list[str]) -> list[str]:
    """Cells with a comma, a quote or a line break quoted (what csv.QUOTE_MINIMAL quotes with these settings)."""
    return ['"' + c.replace('"', '""') + '"' if "," in c or '"' in c or "\n" in c or "\r" in c else c for c in cells]


def _kind(column: pd.Series) -> str | None:
    """How the column's cells are written: "float", "int", "bool", "text", "text_bool"; None: by pandas."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in _NUMERIC:
        return _NUMERIC[dtype.kind]
    if isinstance(dtype, pd.StringDtype):
        return "text"
    if isinstance(dtype, pd.BooleanDtype):
        return "text_bool"
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        inferred = pd.api.types.infer_dtype(column, skipna=True)
        return {"string": "text", "empty": "text", "boolean": "text_bool"}.get(inferred)
    return None


def _cells(column: pd.Series, kind: str, float_format: str) -> list[str]:
    """The column's cells as written; each distinct number is formatted once (ranks and scores repeat)."""
    if kind in _NUMERIC.values():
        return _number_cells(column.to_numpy(), kind, float_format)
    missing = column.isna()
    cells = (column.astype(object).where(~missing, "") if missing.any() else column).tolist()
    return _quoted(cells if kind == "text" else [str(v) for v in cells])


def _number_cells(values: np.ndarray, kind: str, float_format: str) -> list[str]:
    """Numbers as written; each distinct one is formatted once (ranks and scores repeat)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    text = np.array([_number(v, kind, float_format) for v in distinct.tolist()], dtype=object)
    return text[codes].tolist()


def _number(value, kind: str, float_format: str) -> str:
    if kind == "float":
        return float_format % value if value == value else ""
    if kind == "int":
        return str(value)
    return "True" if value else "False"


def write_csv(frame: pd.DataFrame, path: Path, float_format: str = FLOAT_FORMAT) -> None:
    """`frame.to_csv(path, index=False, float_format=float_format)`, faster for str, int, bool, float columns."""
    with open(path, "wb") as fh:
        fh.write(csv_header(frame.columns))
        fh.write(csv_rows(frame, float_format))


def csv_header(columns) -> bytes:
    """The header line `to_csv` writes for these column names."""
    return (",".join(_quoted([str(c) for c in columns])) + "\n").encode("utf-8")


def csv_rows(frame: pd.DataFrame, float_format: str = FLOAT_FORMAT) -> bytes:
    """The rows `to_csv(index=False, header=False)` writes, as UTF-8; rows of frames with the same columns
    concatenate to the rows of the concatenated frame (each row is formatted on its own)."""
    kinds = [_kind(frame[c]) for c in frame.columns] if frame.columns.is_unique else [None]
    if None in kinds or len(kinds) < 2:
        return frame.to_csv(index=False, header=False, float_format=float_format, lineterminator="\n").encode("utf-8")
    return _joined(len(frame), lambda a, b: [_cells(frame[c].iloc[a:b], k, float_format)
                                             for c, k in zip(frame.columns, kinds, strict=True)])


def csv_rows_of(columns: dict[str, np.ndarray], float_format: str = FLOAT_FORMAT) -> bytes:
    """csv_rows of `pd.DataFrame(columns)` for numeric arrays and object arrays of str (the matcher's
    columns), without making the frame."""
    arrays = list(columns.values())
    if len(arrays) < 2 or any(a.dtype.kind not in (*_NUMERIC, "O") for a in arrays):
        return csv_rows(pd.DataFrame(columns), float_format)
    n = len(arrays[0])
    return _joined(n, lambda a, b: [_array_cells(x[a:b], float_format) for x in arrays])


def _array_cells(values: np.ndarray, float_format: str) -> list[str]:
    if values.dtype.kind == "O":
        return _quoted(values.tolist())
    return _number_cells(values, _NUMERIC[values.dtype.kind], float_format)


def _joined(n_rows: int, cells_of) -> bytes:
    """Rows [a, b) formatted (cells_of(a, b): one list of cells per column) in blocks, joined, UTF-8."""
    blocks = []
    for start in range(0, n_rows, BLOCK):
        cells = cells_of(start, min(start + BLOCK, n_rows))
        blocks.append(("\n".join(map(",".join, zip(*cells, strict=True))) + "\n").encode("utf-8"))
    return b"".join(blocks)
