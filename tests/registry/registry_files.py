"""Builders of registry input files in the shapes people (and attackers) produce them."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import xlsxwriter
from openpyxl import Workbook

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = Path(__file__).resolve().parents[2] / "include" / "data" / "sample"
CANONICAL = ["innovation_id", "name", "opd", "urusan", "bentuk", "jenis", "tahapan", "description"]
PP, TK, LN = (
    "Inovasi Pelayanan Publik",
    "Inovasi Tata Kelola Pemerintahan Daerah",
    "Inovasi Daerah lainnya sesuai Urusan Pemerintahan",
)
ROWS = [
    ["K-01", "Gardu Jaga", "Kecamatan Cipocok Jaya", "Kesehatan", LN, "Non Digital", "Penerapan",
     "Iuran dua ribu rupiah per KK untuk membangun jamban keluarga; pemicuan STBM oleh sanitarian."],
    ["K-02", "Pajak Peduli", "Bapenda", "Keuangan", TK, "Digital", "Penerapan",
     "Pengingat jatuh tempo PBB lewat WhatsApp dan pembayaran QRIS; tunggakan berkurang."],
    ["K-03", "Pasar Bersih Rau", "Dinas Koperasi, UKM, Perindustrian dan Perdagangan", "Perdagangan", PP,
     "Non Digital", "Uji Coba", "Penataan los basah, drainase dan retribusi nontunai di Pasar Rau."],
]  # fmt: skip
IID_HEADER = [
    "No", "Nama Inovasi", "Perangkat  Daerah", "URUSAN PEMERINTAHAN", "Bentuk Inovasi", "Jenis Inovasi",
    "Tahapan\nInovasi", "Tujuan", "Manfaat", "Hasil Inovasi", "Waktu Uji Coba", "Waktu Penerapan",
    "Rancang Bangun",
]  # fmt: skip
IID_ROWS = [
    ["Gardu Jaga", "Kecamatan Cipocok Jaya", "Kesehatan", LN, "Non-Digital", "penerapan",
     "Menghentikan buang air besar sembarangan", "Keluarga punya jamban sehat", "Kelurahan ODF 100 persen"],
    ["Kampung ODF", "Kecamatan Cipocok Jaya", "Kesehatan; Perumahan Rakyat dan Kawasan Permukiman", LN,
     "non digital", "Uji coba", "Septic tank kedap", "Sumur warga tidak tercemar", ""],
    ["Sigap Jalan", "Dinas Pekerjaan Umum dan Penataan Ruang", "Pekerjaan Umum dan Penataan Ruang", PP,
     "Digital", "Penerapan", "Aduan jalan rusak cepat ditangani.", "Jalan mantap", "Lubang ditambal 7 hari"],
    ["Tanpa Tahapan", "Dinas Sosial", "Sosial", PP, "Digital", "", "Tujuan", "Manfaat", "Hasil"],
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def iid_xlsx(path: Path) -> Path:
    """An IID-portal export as people pass it on: title rows, No formulas, merged OPD cells, total row."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Inovasi")
    ws.merge_range(0, 0, 0, 12, "DAFTAR INOVASI DAERAH KOTA SERANG TAHUN 2026")
    ws.merge_range(1, 0, 1, 12, "Diunduh dari portal Indeks Inovasi Daerah, 1 November 2026")
    ws.write_row(3, 0, IID_HEADER)
    for i, row in enumerate(IID_ROWS):
        r = 4 + i
        ws.write_formula(r, 0, f"=ROW()-{4}", None, i + 1)
        ws.write_row(r, 1, row)
        ws.write_datetime(r, 10, datetime(2024, 3, 1), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.merge_range(4, 2, 5, 2, "Kecamatan Cipocok Jaya")  # one OPD cell over its two innovations
    ws.merge_range(9, 0, 9, 1, "Jumlah")
    ws.write_formula(9, 2, "=COUNTA(B5:B8)", None, 4)
    wb.close()
    return path


def plain_xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def rewrite_zip(path: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    """Copy an XLSX with some parts replaced or added (for hostile variants)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


def canonical_rows() -> list[list[str]]:
    return [CANONICAL, *(list(r) for r in ROWS)]
