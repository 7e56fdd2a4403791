"""The programmes' analysis kept on disk (catalogue.py): the same ranking from the file as from the texts, for
another region's innovations too; a new key for changed programmes or settings; bad files analysed again."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from factories import W47, add_innovation, add_opd, add_programme
from nyengget.matching import catalogue, model
from nyengget.matching.ranking import Options, rank
from nyengget.matching.text import Analyzer
from nyengget.pipeline.weekly import match_week
from nyengget.settings import get_settings
from nyengget.warehouse.schema import source_runs

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import cases  # noqa: E402


@pytest.fixture
def analyses(monkeypatch) -> list[int]:
    """Counts the programme analyses (build_programmes calls) made."""
    calls: list[int] = []
    real = model.build_programmes

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(model, "build_programmes", counted)
    return calls


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("programmes-*.npz"))


@pytest.mark.parametrize("name", ["catalogue_sample", "catalogue_feedback", "synthetic_provinsi_nostem"])
def test_the_file_gives_the_ranking_of_the_texts(name, tmp_path, analyses):
    progs, inns, kwargs = cases.arguments(name)
    expected = rank(progs, inns, **kwargs)
    first = rank(progs, inns, **kwargs, cache_dir=tmp_path)
    second = rank(progs, inns, **kwargs, cache_dir=tmp_path)
    assert len(analyses) == 2  # without the cache, then the miss; the hit read the file
    assert len(_files(tmp_path)) == 1
    pd.testing.assert_frame_equal(first, expected)
    pd.testing.assert_frame_equal(second, expected)
    if kwargs["proposers"]:  # who may propose: each programme's funding line kept in the file
        assert (second["funding_line"] != "").all()


def test_another_regions_innovations_read_the_same_file(tmp_path, analyses):
    """The key is the programmes', not the innovations': a region reads what another one's task left."""
    progs, inns, kwargs = cases.arguments("catalogue_sample")
    mine, theirs = inns.iloc[::2], inns.iloc[1::2]
    rank(progs, mine, **kwargs, cache_dir=tmp_path)
    got = rank(progs, theirs, **kwargs, cache_dir=tmp_path)
    assert len(analyses) == 1
    pd.testing.assert_frame_equal(got, rank(progs, theirs, **kwargs))


def test_changed_programmes_or_settings_are_analysed_again(tmp_path, analyses):
    progs, inns, kwargs = cases.arguments("catalogue")
    rank(progs, inns, **kwargs, cache_dir=tmp_path)
    changed = progs.copy()
    changed.loc[0, "description"] = changed.loc[0, "description"] + " sanitasi air limbah domestik"
    got = rank(changed, inns, **kwargs, cache_dir=tmp_path)
    assert len(analyses) == 2 and len(_files(tmp_path)) == 2
    pd.testing.assert_frame_equal(got, rank(changed, inns, **kwargs))
    other = {**kwargs, "options": replace(Options(), k1=1.5)}
    got = rank(progs, inns, **other, cache_dir=tmp_path)
    assert len(_files(tmp_path)) == 3
    pd.testing.assert_frame_equal(got, rank(progs, inns, **other))


def test_a_torn_file_is_analysed_again_and_replaced(tmp_path, analyses, caplog):
    progs, inns, kwargs = cases.arguments("catalogue")
    expected = rank(progs, inns, **kwargs, cache_dir=tmp_path)
    [path] = _files(tmp_path)
    path.write_bytes(path.read_bytes()[:1000])
    with caplog.at_level(logging.WARNING, logger=catalogue.__name__):
        got = rank(progs, inns, **kwargs, cache_dir=tmp_path)
    assert "unreadable, analysing again" in caplog.text and path.name in caplog.text
    pd.testing.assert_frame_equal(got, expected)
    assert len(analyses) == 2
    rank(progs, inns, **kwargs, cache_dir=tmp_path)
    assert len(analyses) == 2  # the file was written again whole


def test_an_unwritable_directory_only_costs_the_analysis(tmp_path, caplog):
    progs, inns, kwargs = cases.arguments("catalogue")
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING, logger=catalogue.__name__):
        got = rank(progs, inns, **kwargs, cache_dir=blocked / "matcher")
    assert "programme analysis not kept" in caplog.text
    pd.testing.assert_frame_equal(got, rank(progs, inns, **kwargs))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-directory"]  # no temporary file is left


def test_the_newest_files_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue, "KEEP", 2)
    progs, inns, kwargs = cases.arguments("catalogue")
    inns = inns.head(5)
    seen = []
    for year in (2026, 2027, 2028):
        rank(progs.assign(fiscal_year=str(year)), inns, **kwargs, cache_dir=tmp_path)
        seen.append({p.name for p in _files(tmp_path)})
    assert len(seen[1]) == 2 and len(seen[2]) == 2
    assert seen[2] != seen[1] and (seen[2] & seen[1])  # the oldest went, the second stayed


def test_a_foreign_state_is_refused():
    """An analyzer continues only a state that starts with its own vocabulary and stem ids."""
    fresh, other = Analyzer(), Analyzer(stemming=False)
    other.analyze("pengelolaan sampah berbasis masyarakat")
    with pytest.raises(ValueError, match="stem ids"):
        fresh.continue_reading(other.reading_state())
    reader = Analyzer()
    reader.analyze("pengelolaan sampah berbasis masyarakat")
    renamed = reader.reading_state()
    renamed["terms"] = ["#another-concept", *renamed["terms"][1:]]
    with pytest.raises(ValueError, match="terms"):
        fresh.continue_reading(renamed)
    assert fresh.vocab.terms == Analyzer().vocab.terms and fresh.reading_state() == Analyzer().reading_state()
    fresh.continue_reading(reader.reading_state())
    assert fresh.vocab.terms == reader.vocab.terms and fresh.forms == reader.forms
    assert fresh.analyze("bank sampah").tf == reader.analyze("bank sampah").tf


def test_the_file_loads_without_pickle(tmp_path):
    progs, inns, kwargs = cases.arguments("catalogue")
    rank(progs, inns.head(3), **kwargs, cache_dir=tmp_path)
    [path] = _files(tmp_path)
    with np.load(path, allow_pickle=False) as f:
        assert all(f[name].dtype != object for name in f.files)


def test_the_weekly_matching_keeps_it_in_the_home(engine, monkeypatch):
    monkeypatch.setenv("NYENGGET_WAREHOUSE_URL", engine.url.render_as_string(hide_password=False))
    add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id")
    add_innovation(engine, "I1", "Bank Sampah Digital", "DLH", opd="Dinas Lingkungan Hidup",
                   description="pengelolaan bank sampah berbasis aplikasi")
    add_programme(engine, "P1", "Hibah Pengelolaan Sampah", funding_type="Hibah Daerah", closes_on=date(2026, 12, 30),
                  description="pengelolaan sampah dan bank sampah")
    with engine.begin() as conn:
        conn.execute(source_runs.insert().values(source="test", week_start=W47, parsed=1, health="ok", fetched=1))
    assert match_week(W47) == 1  # the mapped task of the matching DAG
    assert len(_files(get_settings().matcher_cache_dir)) == 1
