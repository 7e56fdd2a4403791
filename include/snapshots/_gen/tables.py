"""DAK Non-Fisik allocation workbook (XLSX) as DJPK publishes it: title rows, then a header row.

Follows the "Rincian Alokasi/Menu DAK Nonfisik" spreadsheets on djpk.kemenkeu.go.id: two title
rows, a blank row, the header row, one row per jenis/rincian DAK NF, and a total row at the end.
"""

from __future__ import annotations

import io
from datetime import datetime

from common import seed, write
from openpyxl import Workbook

HOST = "djpk.kemenkeu.go.id"
PATH = "/wp-content/uploads/dak-nonfisik/Rincian-DAK-Nonfisik-TA2027.xlsx"
LEVELS = {"kabupaten;kota": "Kabupaten/Kota", "provinsi": "Provinsi", "provinsi;kabupaten": "Provinsi, Kabupaten", "provinsi;kabupaten;kota": "Provinsi, Kabupaten, Kota"}
HEADER = ["No", "Jenis DAK Nonfisik", "Uraian", "Bidang", "K/L Pengampu", "Tahun Anggaran", "Daerah Penerima",
          "Jadwal Usulan Mulai", "Jadwal Usulan Selesai", "Pagu Indikatif (Rp)", "Keterangan"]


def build(week: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "DAK NF"
    ws.append(["RINCIAN JENIS DAN MENU DANA ALOKASI KHUSUS NONFISIK"])
    ws.append(["Direktorat Jenderal Perimbangan Keuangan – Kementerian Keuangan"])
    ws.append([])
    ws.append(HEADER)
    rows = [r for r in seed().values() if r["funding_type"] == "DAK Non-Fisik"]
    for i, r in enumerate(rows, start=1):
        ws.append([i, r["title"].removeprefix("DAK Non-Fisik ").strip(), r["description"], r["bidang"], r["ministry"],
                   int(r["fiscal_year"]), LEVELS[r["recipient_levels"]],
                   datetime.fromisoformat(r["opens_on"]) if r["opens_on"] else None,
                   datetime.fromisoformat(r["closes_on"]) if r["closes_on"] else None,
                   int(float(r["ceiling_idr"])) if r["ceiling_idr"] else None,
                   "Rencana kegiatan melalui aplikasi" if r["opens_on"] else ""])
    ws.append([None, "JUMLAH", None, None, None, None, None, None, None, None, None])
    wb.properties.created = datetime(2026, 10, 1)
    wb.properties.modified = datetime(2026, 10, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def generate(week: str) -> int:
    write(week, HOST + PATH, build(week))
    return sum(1 for r in seed().values() if r["funding_type"] == "DAK Non-Fisik")
