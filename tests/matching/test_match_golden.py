"""rank() gives the recorded rankings (tests/matching/golden, written by the pre-#17 implementation)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

import cases  # noqa: E402


def _as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as make_golden.py stores it (CSV text), so both sides compare cell by cell."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    return pd.read_csv(io.StringIO(buf.getvalue()), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_rankings_equal_the_recorded_ones(name):
    expected = pd.read_csv(GOLDEN / f"{name}.csv.gz", dtype=str, keep_default_na=False)
    got = _as_written(cases.run(name))
    assert len(expected) > 0
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("workers", [1, 3])
def test_small_chunks_and_threads_give_the_same_rankings(workers):
    """Chunk boundaries and concurrent chunks do not change a row (synthetic case, chunks of 37)."""
    expected = pd.read_csv(GOLDEN / "synthetic_feedback.csv.gz", dtype=str, keep_default_na=False)
    got = _as_written(cases.run("synthetic_feedback", chunk_size=37, workers=workers))
    pd.testing.assert_frame_equal(got, expected)
