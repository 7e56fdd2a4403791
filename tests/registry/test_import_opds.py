"""Importing the OPD directory (CSV, YAML, XLSX) into the warehouse (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from registry_files import DATA, SAMPLE, plain_xlsx, write_csv
from sqlalchemy import Engine, select

from nyengget.errors import InputFileError
from nyengget.registry import import_opds
from nyengget.warehouse.schema import opds, quarantine

HEADER = ["Kode OPD", "Nama Perangkat Daerah", "Singkatan", "E-mail", "Kecamatan", "Jeda"]


def directory(engine: Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {r.opd_code: dict(r._mapping) for r in conn.execute(select(opds))}


def problems(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        query = select(quarantine.c.kind, quarantine.c.row_number, quarantine.c.field, quarantine.c.reason_en)
        return sorted(
            conn.execute(query.order_by(quarantine.c.id)).tuples().all(), key=lambda r: (r[1], r[2])
        )


def test_sample_directory(any_engine: Engine) -> None:
    result = import_opds(any_engine, SAMPLE / "opds.csv")
    assert (result.loaded, result.updated, result.unchanged, result.quarantined) == (25, 0, 0, 0)
    rows = directory(any_engine)
    assert (
        rows["DINKES"]["emails"] == "dinkes@serangkota.example.go.id;kesmas.dinkes@serangkota.example.go.id"
    )
    assert rows["KEC-CPJ"]["kecamatan"] == "Cipocok Jaya"
    assert [code for code, r in rows.items() if r["paused"]] == ["DISPARPORA"]
    assert {r["kecamatan"] for r in rows.values()} - {None} == {
        "Serang", "Cipocok Jaya", "Curug", "Kasemen", "Taktakan", "Walantaka",
    }  # fmt: skip
    again = import_opds(any_engine, SAMPLE / "opds.csv")
    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 25)
    assert directory(any_engine) == rows


def test_yaml_directory_with_bad_entries(any_engine: Engine) -> None:
    result = import_opds(any_engine, DATA / "opds.yaml")
    assert (result.loaded, result.quarantined) == (2, 3)
    rows = directory(any_engine)
    assert set(rows) == {"DINKES", "KEC-CPJ"}
    assert rows["DINKES"]["emails"] == "dinkes@serangkota.example.go.id;kesmas@serangkota.example.go.id"
    assert rows["KEC-CPJ"]["kecamatan"] == "Cipocok Jaya" and rows["KEC-CPJ"]["paused"] is False
    assert [(row, field) for _kind, row, field, _ in problems(any_engine)] == [
        (13, "emails"),
        (16, "kecamatan"),
        (16, "paused"),
        (21, "name"),
    ]
    assert {kind for kind, *_ in problems(any_engine)} == {"opd"}


def test_xlsx_directory_with_indonesian_headers_and_updates(any_engine: Engine, tmp_path: Path) -> None:
    rows = [
        ["DIREKTORI PERANGKAT DAERAH"],
        HEADER,
        ["DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id", "", "tidak"],
        ["KEC-KSM", "Kecamatan Kasemen", "Kec. Kasemen", "kec.kasemen@serangkota.example.go.id", "Kec. Kasemen", "ya"],
    ]  # fmt: skip
    result = import_opds(any_engine, plain_xlsx(tmp_path / "opd.xlsx", rows))
    assert (result.loaded, result.quarantined) == (2, 0)
    assert directory(any_engine)["KEC-KSM"]["paused"] is True
    rows[2][3] = "dlh@serangkota.example.go.id; bidang.sampah@serangkota.example.go.id"
    result = import_opds(any_engine, plain_xlsx(tmp_path / "opd.xlsx", rows))
    assert (result.loaded, result.updated, result.unchanged) == (0, 1, 1)
    assert directory(any_engine)["DLH"]["emails"].endswith(";bidang.sampah@serangkota.example.go.id")


def test_duplicate_codes_and_missing_fields(any_engine: Engine, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id", "", ""],
        ["dlh", "Dinas Lingkungan", "", "lain@serangkota.example.go.id", "", ""],
        ["", "Dinas Tanpa Kode", "", "x@serangkota.example.go.id", "", ""],
        ["BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD", "", "", ""],
    ]
    result = import_opds(any_engine, write_csv(tmp_path / "opd.csv", rows, delimiter=";", encoding="cp1252"))
    assert (result.loaded, result.quarantined) == (0, 4)
    assert [(r, f) for _k, r, f, _ in problems(any_engine)] == [
        (2, "opd_code"),
        (3, "opd_code"),
        (4, "opd_code"),
        (5, "emails"),
    ]


def test_innovation_file_is_not_a_directory(any_engine: Engine) -> None:
    with pytest.raises(InputFileError, match="innovations.csv: no recognisable header"):
        import_opds(any_engine, SAMPLE / "innovations.csv")
    assert directory(any_engine) == {}


def test_broken_yaml(any_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "opds.yaml"
    path.write_text("opds:\n  - code: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="opds.yaml: YAML syntax error"):
        import_opds(any_engine, path)
    path.write_text("just a string\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="opds.yaml: YAML must be a list"):
        import_opds(any_engine, path)


def test_yaml_alias_bomb_is_harmless(any_engine: Engine, tmp_path: Path) -> None:
    """Nine levels of ten aliases would be 10**9 strings if expanded; nested values are refused as text."""
    lines = ["- anchors:", "    a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"    {n}: &{n} [{', '.join(['*' + p] * 10)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    lines += [
        "- {code: BPBD, name: BPBD, emails: *i}",
        "- {code: DLH, name: Dinas Lingkungan Hidup, emails: dlh@serangkota.example.go.id}",
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_opds(any_engine, path)
    assert (result.loaded, result.quarantined) == (1, 1)
    assert [(r, f) for _k, r, f, _ in problems(any_engine)] == [(11, "emails")]
