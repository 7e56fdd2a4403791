"""`nyengget innovations import` and `nyengget opds import` through the real command."""

from __future__ import annotations

from pathlib import Path

import pytest
from registry_files import CANONICAL, DATA, ROWS, SAMPLE, write_csv
from sqlalchemy import func, select

from nyengget.cli import main
from nyengget.warehouse.db import get_engine
from nyengget.warehouse.schema import innovations, opds


def count(table) -> int:
    with get_engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_import_sample_twice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opds", "import", str(SAMPLE / "opds.csv")]) == 0
    assert capsys.readouterr().out == "opds.csv: 25 loaded, 0 updated, 0 unchanged, 0 quarantined\n"
    assert main(["innovations", "import", str(SAMPLE / "innovations.csv")]) == 0
    assert capsys.readouterr().out == "innovations.csv: 78 loaded, 0 updated, 0 unchanged, 0 quarantined\n"
    assert main(["innovations", "import", str(SAMPLE / "innovations.csv")]) == 0
    assert capsys.readouterr().out == "innovations.csv: 0 loaded, 0 updated, 78 unchanged, 0 quarantined\n"
    assert (count(opds), count(innovations)) == (25, 78)


def test_quarantined_rows_listed_and_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["innovations", "import", str(DATA / "innovations_bad_rows.csv")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "innovations_bad_rows.csv: 4 loaded, 0 updated, 0 unchanged, 11 quarantined"
    assert "innovations_bad_rows.csv:3 name: name is required" in lines
    assert "innovations_bad_rows.csv:8 row: row has 6 fields, expected 8 (check delimiter or quotes)" in lines
    assert any(
        line.startswith("innovations_bad_rows.csv:4 tahapan: unknown tahapan 'Selesai'") for line in lines
    )
    assert len(lines) == 12


def test_partial_flag_keeps_missing_innovations_active(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second_bapenda = ["K-04", "E-BPHTB", *ROWS[1][2:]]
    main(["innovations", "import", str(write_csv(tmp_path / "all.csv", [CANONICAL, *ROWS, second_bapenda]))])
    bapenda = write_csv(tmp_path / "bapenda.csv", [CANONICAL, ROWS[1]])
    capsys.readouterr()
    assert main(["innovations", "import", "--partial", str(bapenda)]) == 0
    assert capsys.readouterr().out == "bapenda.csv: 0 loaded, 0 updated, 1 unchanged, 0 quarantined\n"
    assert main(["innovations", "import", str(bapenda)]) == 0
    out = capsys.readouterr().out
    assert out == "bapenda.csv: 0 loaded, 0 updated, 1 unchanged, 1 inactivated, 0 quarantined\n"
    with get_engine().connect() as conn:
        inactive = conn.execute(select(innovations.c.innovation_id).where(innovations.c.active.is_(False)))
        assert inactive.scalars().all() == ["K-04"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "file is empty"),
        ("scan.xlsx", b"\x00\x01\x02\x03" * 64, "binary content"),
        ("notes.csv", b"hello;world\n1;2\n", "no recognisable header"),
    ],
)
def test_unreadable_file_exit_2_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    main(["innovations", "import", str(SAMPLE / "innovations.csv")])
    capsys.readouterr()
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["innovations", "import", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"nyengget innovations: error: {name}: {message}" in captured.err
    assert main(["opds", "import", str(path)]) == 2
    assert count(innovations) == 78 and count(opds) == 0
