"""output.write_csv writes the same bytes as DataFrame.to_csv(index=False, float_format="%.4f")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nyengget.matching.output import write_csv


def _both(frame: pd.DataFrame, tmp_path) -> tuple[bytes, bytes]:
    ours, ref = tmp_path / "ours.csv", tmp_path / "ref.csv"
    write_csv(frame, ours)
    frame.to_csv(ref, index=False, float_format="%.4f")
    return ours.read_bytes(), ref.read_bytes()


def test_tricky_cells_match_pandas(tmp_path):
    frame = pd.DataFrame({
        "innovation_id": ["A1", "B,2", 'C"3', "", "E\n5", None],
        "rank": np.arange(1, 7, dtype=np.int64),
        "score": [0.85905, 1.0, 0.0, np.nan, 1 / 3, 0.00005],
        "reasons": ["kata cocok: wajib pajak→pendapatan, liga", " lead space", "a;b", "x\r\ny", "'q'", "ok"],
        "own_opd_may_propose": pd.array([True, False, None, True, None, False], dtype="boolean"),
        "flag": np.array([True, False, True, True, False, False]),
        "objects": pd.Series(["a", None, "b,c", "", "d", "e"], dtype=object),
    })
    assert isinstance(frame["reasons"].dtype, pd.StringDtype)  # what rank() returns under pandas 3
    ours, ref = _both(frame, tmp_path)
    assert ours == ref
    assert b'"B,2"' in ours and b'"C""3"' in ours


def test_empty_and_unusual_columns_match_pandas(tmp_path):
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in (("a", object), ("b", "int64"), ("c", "float64"))})
    assert _both(empty, tmp_path)[0] == _both(empty, tmp_path)[1]
    mixed = pd.DataFrame({"a": ["x", 1.5, 2], "when": pd.to_datetime(["2026-11-01", None, "2026-11-03"])})
    ours, ref = _both(mixed, tmp_path)  # written by pandas itself
    assert ours == ref
