"""Fixtures for the matcher tests: small CSVs copied from the illustrative shared data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent / "data"
SHARED_MATCH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "match"
AS_OF = date(2026, 11, 1)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def programmes() -> pd.DataFrame:
    return read(DATA / "programmes.csv")


@pytest.fixture(scope="session")
def innovations() -> pd.DataFrame:
    return read(DATA / "innovations.csv")


@pytest.fixture(scope="session")
def analyzer():
    from nyengget.matching.text import Analyzer

    return Analyzer()
