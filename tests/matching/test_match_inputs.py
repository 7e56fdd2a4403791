"""The matcher's input cleaning (inputs.py) in one pass per column gives what the plain pandas spelling gives,
for every kind of cell a CSV or the warehouse hands it, and fails on the same cell with the same message."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from nyengget.errors import InputFileError
from nyengget.matching import inputs

AWKWARD = pd.Series([" a ", None, np.nan, pd.NA, pd.NaT, 5, 5.0, np.str_(" x "), "", "  ", datetime(2026, 1, 2, 3, 4),
                     date(2026, 1, 2), True], dtype=object)


def _plain_text(series: pd.Series) -> pd.Series:
    """The pandas spelling `_text` replaced."""
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def _plain_dates(series: pd.Series) -> pd.Series:
    empty = series.isna().to_numpy() | (series.astype(str).str.strip() == "").to_numpy()
    text = series.where(~empty, None).astype(object)
    return pd.to_datetime(text.map(lambda v: None if v is None else str(v)[:10]), format="%Y-%m-%d", errors="coerce")


@pytest.mark.parametrize("series", [
    AWKWARD, pd.Series(["a ", None, " b"], dtype="string"), pd.Series([1, 2], dtype="int64"),
    pd.Series([1.5, np.nan]), pd.Series([], dtype=object), pd.Series([1, None], dtype="Int64"),
    pd.Series(pd.to_datetime(["2026-01-02", None])), pd.Series([True, False]),
], ids=["objects", "string", "int64", "float", "empty", "Int64", "datetime64", "bool"])
def test_text_is_the_stripped_text_of_each_cell_and_empty_for_a_missing_one(series):
    pd.testing.assert_series_equal(inputs._text(series.rename("col")), _plain_text(series.rename("col")))


def test_dates_are_read_as_before_from_dates_text_and_missing_cells():
    frame = pd.DataFrame({"id": ["a", "b", "c", "d", "e"],
                          "d": [date(2026, 1, 2), None, "2026-03-04T10:00", " ", pd.NaT],
                          "s": pd.Series(["2026-01-02", None, "", pd.NA, "2027-12-31"], dtype="string")})
    for field in ("d", "s"):
        pd.testing.assert_series_equal(inputs._dates(frame, field, "f.csv", "id"), _plain_dates(frame[field]))


def test_a_bad_date_or_number_names_its_row_and_field():
    with pytest.raises(InputFileError, match=r"f.csv: row 3 \(id b\), field d: not an ISO date .*'02/01/2026'"):
        inputs._dates(pd.DataFrame({"id": ["a", "b"], "d": ["2026-01-02", "02/01/2026"]}), "d", "f.csv", "id")
    with pytest.raises(InputFileError, match=r"row 3 \(id b\), field n: expected a whole number \(required\)"):
        inputs._integers(pd.DataFrame({"id": ["a", "b"], "n": [1.0, np.nan]}), "n", "f.csv", "id", required=True)
    with pytest.raises(InputFileError, match=r"row 2 \(id a\), field n: expected a whole number, got 'x'"):
        inputs._integers(pd.DataFrame({"id": ["a"], "n": ["x"]}), "n", "f.csv", "id", required=False)


@pytest.mark.parametrize("column", [["12", "12.0", "", " 7 "], [1, 2, 3, 4], [1.0, np.nan, 3.0, np.inf],
                                    pd.Series([1, None, 3, 4], dtype="Int64")], ids=["text", "int64", "float", "Int64"])
def test_numbers_from_text_and_from_numeric_columns_agree(column):
    """A numeric column is read as numbers directly; as text it would give the same values."""
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "n": column})
    as_text = frame.assign(n=_plain_text(frame["n"]))
    got = inputs._integers(frame, "n", "f.csv", "id", required=False)
    pd.testing.assert_series_equal(got, inputs._integers(as_text, "n", "f.csv", "id", required=False))
    assert str(got.dtype) == "Float64"
