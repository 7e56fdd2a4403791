"""Rules for cell values: a missing value is None (`known` for one cell, `values` for a column), and text
the project writes to XLSX or CSV is never a formula (`neutralise`).

A spreadsheet treats text starting with `=`, `+`, `-`, `@` (and, in some, a tab or carriage return) as a
formula or DDE command (OWASP "CSV injection"); such text gets a leading apostrophe, which Excel and
LibreOffice show as text and do not evaluate.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def known(value):
    """`value`, or None where pandas sees a missing value (None, NaN, NA, NaT): a frame's cell as templates,
    workbooks and decisions read it (`weekly.build.records` does this for a whole frame)."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def values(column: pd.Series) -> list:
    """A column's cells as Python values (as `to_dict("records")` gives them), None where pandas sees a
    missing value: `known` of each cell, in one pass."""
    out = column.tolist()
    missing = column.isna().to_numpy()
    if missing.any():
        return [None if m else v for v, m in zip(out, missing.tolist(), strict=True)]
    return out


def neutralise(value):
    """`value` unchanged unless it is text a spreadsheet would evaluate; then prefixed with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
