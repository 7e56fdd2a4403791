"""Importing innovations into the warehouse (SQLite and PostgreSQL)."""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pytest
from registry_files import CANONICAL, DATA, ROWS, SAMPLE, canonical_rows, iid_xlsx, write_csv
from sqlalchemy import Engine, func, select

from nyengget.errors import InputFileError
from nyengget.registry import ImportResult, import_innovations, import_opds
from nyengget.registry.innovations import derived_id
from nyengget.warehouse.schema import innovations, quarantine


def stored(engine: Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {r.innovation_id: dict(r._mapping) for r in conn.execute(select(innovations))}


def quarantined(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(quarantine).order_by(quarantine.c.row_number, quarantine.c.field))
        return [dict(r._mapping) for r in rows]


def counts(result: ImportResult) -> tuple[int, int, int, int, int]:
    return result.loaded, result.updated, result.unchanged, result.inactivated, result.quarantined


def test_sample_loads_resolves_and_reimport_changes_nothing(any_engine: Engine) -> None:
    import_opds(any_engine, SAMPLE / "opds.csv")
    first = import_innovations(any_engine, SAMPLE / "innovations.csv")
    assert (first.file, counts(first)) == ("innovations.csv", (78, 0, 0, 0, 0))
    rows = stored(any_engine)
    assert len({r["opd_code"] for r in rows.values()}) >= 12 and all(r["opd_code"] for r in rows.values())
    gardu = next(r for r in rows.values() if r["name"].startswith("Gardu Jaga"))
    assert gardu["opd_code"] == "KEC-CPJ" and gardu["active"] is True
    assert gardu["first_seen"] is not None and gardu["source_file"] == "innovations.csv"
    again = import_innovations(any_engine, SAMPLE / "innovations.csv")
    assert counts(again) == (0, 0, 78, 0, 0)
    assert stored(any_engine) == rows


def test_bad_rows_quarantined_good_rows_load(any_engine: Engine) -> None:
    result = import_innovations(any_engine, DATA / "innovations_bad_rows.csv")
    assert counts(result) == (4, 0, 0, 0, 11)
    rows = stored(any_engine)
    assert set(rows) == {"T-001", "T-009", "T-010", "T-012"}
    assert rows["T-009"]["urusan"] == "Pendidikan;Kesehatan"
    assert (rows["T-009"]["bentuk"], rows["T-009"]["jenis"], rows["T-009"]["tahapan"]) == (
        "Inovasi Pelayanan Publik",
        "Non Digital",
        "Uji Coba",
    )
    assert rows["T-012"]["opd_code"] is None  # unknown OPD: loaded and flagged, not rejected
    problems = {(q["row_number"], q["field"]) for q in quarantined(any_engine)}
    assert problems == {
        (3, "name"),
        (4, "tahapan"),
        (5, "jenis"),
        (6, "bentuk"),
        (7, "urusan"),
        (8, None),  # too few fields
        (9, "innovation_id"),  # same id, different content: neither loads
        (10, "innovation_id"),
        (13, "innovation_id"),  # exact copy of row 12: skipped
        (14, "innovation_id"),  # empty id
        (15, None),  # an extra non-empty field
    }


def test_quarantine_row_content(any_engine: Engine) -> None:
    import_innovations(any_engine, DATA / "innovations_bad_rows.csv")
    row = next(q for q in quarantined(any_engine) if q["row_number"] == 4)
    assert row["kind"] == "innovation" and row["source"] == "36.73/innovations_bad_rows.csv"  # region/file
    assert row["reason_id"].startswith("Nilai tahapan 'Selesai' tidak dikenal")
    assert row["reason_en"].startswith("unknown tahapan 'Selesai'")
    assert json.loads(row["raw"])["name"] == "Bank Sampah Sekolah"
    assert len(row["raw_sha256"]) == 64 and row["week_start"] is not None and row["created_at"] is not None
    width = next(q for q in quarantined(any_engine) if q["row_number"] == 8)
    assert width["reason_en"] == "row has 6 fields, expected 8 (check delimiter or quotes)"


def test_reimport_replaces_quarantine_without_duplicates(any_engine: Engine, tmp_path: Path) -> None:
    path = shutil.copy(DATA / "innovations_bad_rows.csv", tmp_path / "batch.csv")
    import_innovations(any_engine, path)
    before = quarantined(any_engine)
    import_innovations(any_engine, path)
    assert quarantined(any_engine) == before  # untouched, same ids and timestamps
    fixed = Path(path).read_text(encoding="utf-8").replace(",Selesai,", ",Penerapan,")
    Path(path).write_text(fixed, encoding="utf-8")
    result = import_innovations(any_engine, path)
    assert (result.loaded, result.quarantined) == (1, 10)
    assert len(quarantined(any_engine)) == len(before) - 1


def test_iid_portal_xlsx(any_engine: Engine, tmp_path: Path) -> None:
    result = import_innovations(any_engine, iid_xlsx(tmp_path / "iid.xlsx"))
    assert counts(result) == (3, 0, 0, 0, 1)
    rows = stored(any_engine)
    gardu = rows[derived_id("Kecamatan Cipocok Jaya", "Gardu Jaga")]
    assert gardu["jenis"] == "Non Digital" and gardu["tahapan"] == "Penerapan"
    assert gardu["description"] == (
        "Menghentikan buang air besar sembarangan. Keluarga punya jamban sehat. Kelurahan ODF 100 persen."
    )
    odf = rows[derived_id("Kecamatan Cipocok Jaya", "Kampung ODF")]
    assert odf["opd"] == "Kecamatan Cipocok Jaya"  # merged cell
    assert odf["urusan"] == "Kesehatan;Perumahan Rakyat dan Kawasan Permukiman"
    [bad] = quarantined(any_engine)
    assert (bad["row_number"], bad["field"], bad["reason_en"]) == (8, "tahapan", "tahapan is required")


def test_derived_ids_are_stable_across_shapes(any_engine: Engine, tmp_path: Path) -> None:
    rows = [[c for c in r if c] for r in canonical_rows()]
    no_id = [r[1:] for r in rows]
    import_innovations(any_engine, write_csv(tmp_path / "a.csv", no_id))
    spaced = [[f"  {c.upper() if i == 1 else c} " for i, c in enumerate(r)] for r in no_id]
    result = import_innovations(any_engine, write_csv(tmp_path / "b.csv", spaced, delimiter=";"))
    assert result.loaded == 0
    assert derived_id("Bapenda", "Pajak Peduli") in stored(any_engine)
    assert derived_id(" BAPENDA ", "pajak  peduli") == derived_id("Bapenda", "Pajak Peduli")


@pytest.mark.parametrize("shape", ["semicolon-cp1252", "utf8-bom", "xlsx"])
def test_shapes_load_the_same_rows(any_engine: Engine, tmp_path: Path, shape: str) -> None:
    from registry_files import plain_xlsx

    rows = canonical_rows()
    rows[1][7] = "Iuran “dua ribu” – jamban keluarga"
    if shape == "semicolon-cp1252":
        path = write_csv(tmp_path / "i.csv", rows, delimiter=";", encoding="cp1252")
    elif shape == "utf8-bom":
        path = write_csv(tmp_path / "i.csv", rows)
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    else:
        path = plain_xlsx(tmp_path / "i.xlsx", [["Rekap inovasi"], [], *rows, [], ["Total", "", "3"]])
    result = import_innovations(any_engine, path)
    assert counts(result) == (3, 0, 0, 0, 0)
    assert stored(any_engine)["K-01"]["description"] == rows[1][7]


def test_change_is_an_update(any_engine: Engine, tmp_path: Path) -> None:
    import_innovations(any_engine, write_csv(tmp_path / "i.csv", canonical_rows()))
    before = stored(any_engine)
    rows = canonical_rows()
    rows[2][6] = "Uji Coba"
    result = import_innovations(any_engine, write_csv(tmp_path / "i.csv", rows))
    assert counts(result) == (0, 1, 2, 0, 0)
    after = stored(any_engine)
    assert after["K-02"]["tahapan"] == "Uji Coba"
    assert after["K-02"]["content_hash"] != before["K-02"]["content_hash"]
    assert after["K-02"]["first_seen"] == before["K-02"]["first_seen"]
    assert after["K-01"] == before["K-01"]


def test_full_export_inactivates_missing_of_same_opd_and_partial_does_not(
    any_engine: Engine, tmp_path: Path
) -> None:
    rows = canonical_rows() + [["K-04", "Bank Sampah", "Bapenda", "Keuangan", *ROWS[1][4:]]]
    import_innovations(any_engine, write_csv(tmp_path / "all.csv", rows))
    bapenda_only = [CANONICAL, ROWS[1]]
    partial = import_innovations(
        any_engine, write_csv(tmp_path / "bapenda.csv", bapenda_only), full_export=False
    )
    assert counts(partial) == (0, 0, 1, 0, 0)
    full = import_innovations(any_engine, write_csv(tmp_path / "bapenda.csv", bapenda_only))
    assert counts(full) == (0, 0, 1, 1, 0)
    active = {k: v["active"] for k, v in stored(any_engine).items()}
    assert active == {"K-01": True, "K-02": True, "K-03": True, "K-04": False}  # other OPDs untouched
    back = import_innovations(any_engine, write_csv(tmp_path / "all.csv", rows))
    assert counts(back) == (0, 1, 3, 0, 0)  # reactivated
    assert stored(any_engine)["K-04"]["active"] is True


def test_quarantined_row_does_not_inactivate_its_innovation(any_engine: Engine, tmp_path: Path) -> None:
    import_innovations(any_engine, write_csv(tmp_path / "i.csv", canonical_rows()))
    rows = canonical_rows()
    rows[1][6] = "Tahap Akhir"
    result = import_innovations(any_engine, write_csv(tmp_path / "i.csv", rows))
    assert counts(result) == (0, 0, 2, 0, 1)
    assert stored(any_engine)["K-01"]["active"] is True


def test_opd_directory_after_innovations_links_them(any_engine: Engine) -> None:
    import_innovations(any_engine, SAMPLE / "innovations.csv")
    assert {r["opd_code"] for r in stored(any_engine).values()} == {None}
    import_opds(any_engine, SAMPLE / "opds.csv")
    assert all(r["opd_code"] for r in stored(any_engine).values())


def test_unreadable_file_changes_nothing(any_engine: Engine, tmp_path: Path) -> None:
    import_innovations(any_engine, DATA / "innovations_bad_rows.csv")
    before = (stored(any_engine), quarantined(any_engine))
    bad = tmp_path / "innovations_bad_rows.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputFileError, match="innovations_bad_rows.csv"):
        import_innovations(any_engine, bad)
    assert (stored(any_engine), quarantined(any_engine)) == before


def test_row_numbers_count_title_rows_and_multiline_cells(any_engine: Engine, tmp_path: Path) -> None:
    rows = [["Rekap"], [], *canonical_rows()]
    rows[3][7] = "baris satu\nbaris dua"
    rows[4][4] = "Urusan Lain"
    import_innovations(any_engine, write_csv(tmp_path / "i.csv", rows))
    assert stored(any_engine)["K-01"]["description"] == "baris satu baris dua"
    [row] = quarantined(any_engine)
    assert (row["row_number"], row["field"]) == (5, "bentuk")


def test_no_description_column_and_no_parts(any_engine: Engine, tmp_path: Path) -> None:
    rows = [r[:7] for r in canonical_rows()]
    import_innovations(any_engine, write_csv(tmp_path / "i.csv", rows))
    assert stored(any_engine)["K-01"]["description"] is None


def test_counts_by_engine_are_consistent(any_engine: Engine) -> None:
    import_innovations(any_engine, SAMPLE / "innovations.csv")
    with any_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(innovations)).scalar() == 78


def test_formula_errors_and_overlong_cells_quarantined(any_engine: Engine, tmp_path: Path) -> None:
    from registry_files import plain_xlsx

    rows = canonical_rows()
    rows[1][1] = "#REF!"  # openpyxl stores it as an Excel error cell
    rows[2][7] = "panjang " * 2000
    result = import_innovations(any_engine, plain_xlsx(tmp_path / "i.xlsx", rows))
    assert counts(result) == (1, 0, 0, 0, 2)
    reasons = {(q["row_number"], q["field"]): q["reason_en"] for q in quarantined(any_engine)}
    assert reasons == {
        (2, "name"): "name holds the Excel formula error #REF!",
        (3, "description"): "description is longer than 10000 characters",
    }
