"""`match` in forked processes (parallel.write_ranked): the bytes of write_csv(rank(...)), whole or nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from nyengget.errors import InputFileError
from nyengget.matching import parallel
from nyengget.matching.forked import Forked
from nyengget.matching.output import write_csv
from nyengget.matching.ranking import rank

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import cases  # noqa: E402


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_three_processes_write_the_bytes_of_one(name, tmp_path, monkeypatch):
    """Parts of 100 innovations (one of 10 for the catalogue), chunks of 37 that straddle them, feedback
    lifts whose sources lie in another part, proposers and other options: the same file."""
    monkeypatch.setattr(parallel, "MIN_PART", 1)
    progs, inns, kwargs = cases.arguments(name, chunk_size=37)
    expected, got = tmp_path / "expected.csv", tmp_path / "got.csv"
    ranked = rank(progs, inns, **kwargs)
    write_csv(ranked, expected)
    assert parallel.write_ranked(progs, inns, got, processes=3, **kwargs) == len(ranked) > 0
    assert got.read_bytes() == expected.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expected.csv", "got.csv"]  # no part file is left


def test_nothing_eligible_writes_the_header_only(tmp_path):
    progs, inns, kwargs = cases.arguments("synthetic")
    out = tmp_path / "ranked.csv"
    assert parallel.write_ranked(progs, inns, out, processes=2, **{**kwargs, "level": "desa"}) == 0
    assert out.read_text().splitlines() == [",".join(cases.COLUMNS + parallel.who_proposes.PROPOSER_COLUMNS)]


def test_a_failing_part_leaves_the_earlier_file_and_no_partial_one(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PART", 1)
    real = parallel._rows

    def second_part_fails(prep, a, b, *rest):
        if a > 0:
            raise ValueError(f"part {a}-{b} broke")
        return real(prep, a, b, *rest)

    monkeypatch.setattr(parallel, "_rows", second_part_fails)
    progs, inns, kwargs = cases.arguments("synthetic")
    out = tmp_path / "ranked.csv"
    out.write_text("last week's file\n")
    with pytest.raises(ValueError, match="part 150-300 broke"):
        parallel.write_ranked(progs, inns, out, processes=2, **kwargs)
    assert out.read_text() == "last week's file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranked.csv"]


def test_an_unwritable_output_names_the_file(tmp_path):
    progs, inns, kwargs = cases.arguments("catalogue")
    out = tmp_path / "missing" / "ranked.csv"
    with pytest.raises(InputFileError, match=f"{out}: cannot write output"):
        parallel.write_ranked(progs, inns, out, processes=1, **kwargs)


def test_forked_returns_the_result_and_reraises_the_error():
    values = list(range(5))  # the child sees this process's memory
    pid, total = Forked(lambda: (os.getpid(), sum(values))).result()
    assert (total, pid != os.getpid()) == (10, True)
    with pytest.raises(KeyError, match="nope"):
        Forked(lambda: {}["nope"]).result()


def test_forked_process_that_dies_is_an_error():
    with pytest.raises(RuntimeError, match="ended without a result"):
        Forked(lambda: os._exit(3)).result()


def test_the_output_gets_the_usual_permissions_not_the_temporary_files(tmp_path):
    """A new file: what the umask allows (0644 under umask 022); a replaced file keeps its mode."""
    import os

    progs, inns, kwargs = cases.arguments("catalogue")
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.csv"
        parallel.write_ranked(progs, inns, new, processes=1, **kwargs)
        assert new.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("last week\n")
        kept.chmod(0o640)
        parallel.write_ranked(progs, inns, kept, processes=1, **kwargs)
        assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() != "last week\n"
    finally:
        os.umask(old)
