"""Reading files of every shape, and refusing the ones that cannot (or must not) be read."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from registry_files import IID_ROWS, canonical_rows, iid_xlsx, plain_xlsx, rewrite_zip, write_csv

from nyengget.errors import InputFileError
from nyengget.registry import readers
from nyengget.registry.headers import INNOVATION_HEADERS, Sheet, locate
from nyengget.registry.readers import Limits, read_grids


def sheet_of(path: Path) -> Sheet:
    return locate(read_grids(path), INNOVATION_HEADERS, path.name, path)


def values(sheet: Sheet, field: str) -> list[str]:
    return [sheet.value(r, field) for r in sheet.rows]


def test_canonical_csv(tmp_path: Path) -> None:
    sheet = sheet_of(write_csv(tmp_path / "i.csv", canonical_rows()))
    assert values(sheet, "innovation_id") == ["K-01", "K-02", "K-03"]
    assert [r.number for r in sheet.rows] == [2, 3, 4]


def test_semicolon_windows_1252_csv(tmp_path: Path) -> None:
    rows = canonical_rows()
    rows[1][7] = "Kerja sama dengan Dinkes – “jamban sehat” untuk keluarga prasejahtera"
    sheet = sheet_of(write_csv(tmp_path / "i.csv", rows, delimiter=";", encoding="cp1252"))
    assert values(sheet, "description")[0] == rows[1][7]
    assert values(sheet, "opd")[2] == "Dinas Koperasi, UKM, Perindustrian dan Perdagangan"


def test_utf8_bom_csv_header_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    write_csv(path, canonical_rows())
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    sheet = sheet_of(path)
    assert sheet.header[0] == "innovation_id"
    assert values(sheet, "innovation_id")[0] == "K-01"


def test_utf16_tab_csv_from_excel_unicode_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "i.txt", canonical_rows(), delimiter="\t", encoding="utf-16")
    assert values(sheet_of(path), "name")[1] == "Pajak Peduli"


def test_title_rows_above_header_in_csv(tmp_path: Path) -> None:
    rows = [["REKAP INOVASI KOTA SERANG"], ["per 1 November 2026"], [], *canonical_rows()]
    sheet = sheet_of(write_csv(tmp_path / "i.csv", rows, delimiter=";"))
    assert [r.number for r in sheet.rows] == [5, 6, 7]


def test_iid_xlsx_titles_merged_cells_formulas(tmp_path: Path) -> None:
    sheet = sheet_of(iid_xlsx(tmp_path / "iid.xlsx"))
    assert set(sheet.columns) >= {"name", "opd", "urusan", "bentuk", "jenis", "tahapan", "tujuan", "hasil"}
    assert "innovation_id" not in sheet.columns
    by_row = {r.number: r for r in sheet.rows}
    assert sheet.value(by_row[5], "name") == "Gardu Jaga"
    assert sheet.value(by_row[6], "opd") == "Kecamatan Cipocok Jaya"  # filled from the merged cell
    assert by_row[5].cells[0] == "1"  # formula's cached value, without ".0"
    assert by_row[5].cells[10] == "2024-03-01"
    assert by_row[10].cells[:3] == ["Jumlah", "Jumlah", "4"]


def test_hidden_sheet_skipped_and_header_found_on_second_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Petunjuk pengisian"])
    data = wb.create_sheet("Data")
    for row in canonical_rows():
        data.append(row)
    wb.save(tmp_path / "two.xlsx")
    assert values(sheet_of(tmp_path / "two.xlsx"), "innovation_id") == ["K-01", "K-02", "K-03"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\r\n \r\n", "empty"),
        ("random.csv", bytes(range(256)) * 40, "binary"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "binary"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, ".xls"),
        ("doc.pdf", b"%PDF-1.7\n...", "PDF"),
        ("notes.csv", b"catatan rapat\nbesok kirim data\n", "no recognisable header"),
        ("broken.xlsx", b"PK\x03\x04garbage", "damaged"),
    ],
)
def test_unreadable_files_name_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=rf"^{name}: .*{message}"):
        sheet_of(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="nothing.csv: cannot open"):
        sheet_of(tmp_path / "nothing.csv")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InputFileError, match="not an XLSX workbook"):
        sheet_of(tmp_path / "a.xlsx")


def test_xxe_xlsx_refused(tmp_path: Path) -> None:
    path = plain_xlsx(tmp_path / "xxe.xlsx", canonical_rows())
    evil = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    rewrite_zip(path, {"xl/worksheets/sheet1.xml": evil})
    with pytest.raises(InputFileError, match="xxe.xlsx: .*DTD"):
        sheet_of(path)


def test_billion_laughs_xlsx_refused(tmp_path: Path) -> None:
    path = plain_xlsx(tmp_path / "lol.xlsx", canonical_rows())
    lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    rewrite_zip(path, {"xl/styles.xml": lol + b"<styleSheet><x>&lol2;</x></styleSheet>"})
    with pytest.raises(InputFileError, match="DTD"):
        sheet_of(path)


def test_zip_bomb_ratio_refused(tmp_path: Path) -> None:
    path = plain_xlsx(tmp_path / "bomb.xlsx", canonical_rows())
    rewrite_zip(path, {}, add={"xl/media/padding.xml": b" " * (30 * 1024 * 1024)})
    with pytest.raises(InputFileError, match="bomb.xlsx: .*compression ratio"):
        sheet_of(path)


def test_xlsx_total_uncompressed_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = plain_xlsx(tmp_path / "big.xlsx", canonical_rows())
    monkeypatch.setattr(readers, "LIMITS", Limits(max_xlsx_uncompressed=4_000))
    with pytest.raises(InputFileError, match="big.xlsx: XLSX expands to"):
        sheet_of(path)


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(tmp_path / "i.csv", canonical_rows())
    monkeypatch.setattr(readers, "LIMITS", Limits(max_file_bytes=100))
    with pytest.raises(InputFileError, match="over the limit"):
        sheet_of(path)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_row_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    rows = canonical_rows() + [[f"X-{i}", "n", "o", "Sosial", "", "", "", ""] for i in range(50)]
    path = write_csv(tmp_path / "i.csv", rows) if suffix == "csv" else plain_xlsx(tmp_path / "i.xlsx", rows)
    monkeypatch.setattr(readers, "LIMITS", Limits(max_rows=20))
    with pytest.raises(InputFileError, match="more than 20"):
        sheet_of(path)


def test_unterminated_quote_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(",".join(canonical_rows()[0]) + '\nK-1,"Nama,Dinkes\n' + "x" * 200_000, encoding="utf-8")
    with pytest.raises(InputFileError, match="q.csv: CSV syntax error"):
        sheet_of(path)


def test_iid_rows_fixture_is_consistent() -> None:
    assert all(len(r) == 9 for r in IID_ROWS)
