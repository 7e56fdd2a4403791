"""`nyengget match` CLI contract: columns, exit codes, errors naming file, row and field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nyengget.cli import main
from nyengget.matching import parallel

DATA = Path(__file__).resolve().parent / "data"
SHARED_MATCH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "match"


def _args(programmes: Path, innovations: Path, out: Path, *extra: str) -> list[str]:
    return ["match", "--programmes", str(programmes), "--innovations", str(innovations), "--as-of", "2026-11-01",
            "--level", "kota", "--top", "5", "--out", str(out), *extra]


def test_match_writes_the_contract_columns(tmp_path):
    out = tmp_path / "ranked.csv"
    assert main(_args(DATA / "programmes.csv", DATA / "innovations.csv", out)) == 0
    frame = pd.read_csv(out, dtype={"innovation_id": str, "programme_id": str})
    assert list(frame.columns) == ["innovation_id", "programme_id", "rank", "score", "reasons"]
    assert frame.groupby("innovation_id")["rank"].max().max() == 5
    assert frame["score"].between(0, 1).all()
    assert frame["reasons"].str.contains("terbuka untuk kota").all()


def test_same_input_twice_gives_identical_files(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(_args(DATA / "programmes.csv", DATA / "innovations.csv", a)) == 0
    assert main(_args(DATA / "programmes.csv", DATA / "innovations.csv", b)) == 0
    assert a.read_bytes() == b.read_bytes()


def test_workers_do_not_change_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PART", 1)  # 10 innovations: parts of 5 in 2 processes
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert main(_args(DATA / "programmes.csv", DATA / "innovations.csv", one, "--workers", "1")) == 0
    assert main(_args(DATA / "programmes.csv", DATA / "innovations.csv", two, "--workers", "2")) == 0
    assert one.read_bytes() == two.read_bytes()
    assert len(one.read_bytes().splitlines()) == 51


def test_feedback_file_is_used(tmp_path):
    fb = tmp_path / "fb.csv"
    fb.write_text("innovation_id,programme_id,status\nD001,P033,tidak_relevan\n")
    out = tmp_path / "ranked.csv"
    assert main(_args(DATA / "programmes.csv", DATA / "innovations.csv", out, "--feedback", str(fb))) == 0
    frame = pd.read_csv(out)
    assert frame[(frame.innovation_id == "D001") & (frame.programme_id == "P033")].empty


def _broken(tmp_path: Path, column: str, row: int, value: str) -> Path:
    frame = pd.read_csv(DATA / "programmes.csv", dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    path = tmp_path / "programmes_bad.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("closes_on", "22-08-2026", "not an ISO date"),
    ("fiscal_year", "TA2027", "whole number"),
    ("recipient_levels", "kota;kelurahan", "provinsi/kabupaten/kota"),
    ("programme_id", "", "empty id"),
])
def test_bad_programme_cells_exit_2_naming_file_row_field(tmp_path, capsys, column, value, problem):
    bad = _broken(tmp_path, column, 2, value)
    assert main(_args(bad, DATA / "innovations.csv", tmp_path / "out.csv")) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "row 4" in err and f"field {column}" in err and problem in err
    assert not (tmp_path / "out.csv").exists()


def test_missing_column_and_missing_file_exit_2(tmp_path, capsys):
    frame = pd.read_csv(DATA / "innovations.csv", dtype=str, keep_default_na=False).drop(columns=["urusan"])
    path = tmp_path / "inn.csv"
    frame.to_csv(path, index=False)
    assert main(_args(DATA / "programmes.csv", path, tmp_path / "out.csv")) == 2
    assert "missing column(s) urusan" in capsys.readouterr().err
    assert main(_args(tmp_path / "nope.csv", path, tmp_path / "out.csv")) == 2
    assert "nope.csv: file not found" in capsys.readouterr().err


def test_duplicate_innovation_id_exit_2(tmp_path, capsys):
    frame = pd.read_csv(DATA / "innovations.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "innovation_id"] = frame.loc[0, "innovation_id"]
    path = tmp_path / "inn.csv"
    frame.to_csv(path, index=False)
    assert main(_args(DATA / "programmes.csv", path, tmp_path / "out.csv")) == 2
    err = capsys.readouterr().err
    assert "inn.csv: row 3" in err and "field innovation_id: duplicate id" in err


def test_bad_as_of_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["match", "--programmes", "p.csv", "--innovations", "i.csv", "--as-of", "1 Nov 2026", "--out", "o.csv"])
    assert exc.value.code == 2


@pytest.mark.skipif(not (SHARED_MATCH / "programmes.csv").exists(),
                    reason="../shared/data/match is not present (only in the project workspace, not in a clone)")
def test_shared_dev_set_has_no_ineligible_programme(tmp_path):
    out = tmp_path / "dev.csv"
    args = ["match", "--programmes", str(SHARED_MATCH / "programmes.csv"), "--innovations",
            str(SHARED_MATCH / "innovations_dev.csv"), "--as-of", "2026-11-01", "--top", "10", "--out", str(out)]
    assert main(args) == 0
    ranked = pd.read_csv(out)
    progs = pd.read_csv(SHARED_MATCH / "programmes.csv", dtype=str, keep_default_na=False).set_index("programme_id")
    shown = progs.loc[ranked["programme_id"].unique()]
    assert shown["recipient_levels"].str.contains("kota").all()
    assert ((shown["closes_on"] == "") | (shown["closes_on"] >= "2026-11-01")).all()
    assert shown["fiscal_year"].isin(["2026", "2027"]).all()


def test_proposers_flag_appends_columns_after_the_contract_ones(tmp_path):
    out = tmp_path / "ranked.csv"
    assert main(_args(DATA / "programmes.csv", DATA / "innovations.csv", out, "--proposers")) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["innovation_id", "programme_id", "rank", "score", "reasons", "funding_line",
                                   "proposer_types", "own_opd_may_propose", "proposal_route", "proposer_source"]
    row = frame[(frame["innovation_id"] == "D001") & (frame["programme_id"] == "P033")].iloc[0]
    assert row["own_opd_may_propose"] == "False" and row["proposer_types"] == "Dinas PUPR"
