"""DAK Fisik juknis lampiran PDFs (bidang -> subbidang -> menu -> rincian, pengusul, pagu), made with fpdf2.

Follows the lampiran of the yearly Peraturan Presiden on the petunjuk teknis DAK Fisik as published on
djpk.kemenkeu.go.id and peraturan.bpk.go.id: a title block naming the Perpres and the fiscal year, a
paragraph on the KRISNA-DAK proposal schedule, then one long bordered table.
"""

from __future__ import annotations

from datetime import date

from common import seed, tgl, write
from fpdf import FPDF

LEVELS = {"kabupaten;kota": "Kab/Kota", "provinsi": "Provinsi", "provinsi;kabupaten;kota": "Prov/Kab/Kota",
          "kabupaten": "Kabupaten", "provinsi;kabupaten": "Prov/Kab"}
DOCS = [
    dict(fy=2027, perpres="12", year=2026, file="lampiran-juknis-dak-fisik-ta-2027.pdf", window=None),
    dict(fy=2026, perpres="9", year=2025, file="lampiran-juknis-dak-fisik-ta-2026.pdf",
         window=("2025-08-11", "2025-08-22")),
    dict(fy=2025, perpres="7", year=2024, file="lampiran-juknis-dak-fisik-ta-2025.pdf",
         window=("2024-08-05", "2024-08-23")),
]
HOST = "djpk.kemenkeu.go.id"
PATH = "/wp-content/uploads/juknis/"
W2_PAGU = {"P026": 27_500_000_000}


def pagu(amount: str) -> str:
    return f"{int(float(amount)):,}".replace(",", ".") if amount else "-"


def latin(text: str) -> str:
    return text.replace("–", "-").replace("—", "-").replace("“", '"').replace("”", '"').replace("’", "'")


def rows_for(fy: int, week: str) -> list[list[str]]:
    out = []
    for row in seed().values():
        if row["funding_type"] != "DAK Fisik" or int(row["fiscal_year"]) != fy:
            continue
        menu = row["title"].split(" – ", 1)[1].replace(f" TA {fy}", "")
        ceiling = str(W2_PAGU[row["programme_id"]]) if week == "2026-W48" and row["programme_id"] in W2_PAGU else row["ceiling_idr"]
        out.append([row["bidang"], row["subbidang"], menu, row["description"], row["ministry"],
                    LEVELS[row["recipient_levels"]], pagu(ceiling)])
    return out


def build(doc: dict, week: str) -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(doc["year"], 6, 1))
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 6, latin(f"LAMPIRAN\nPERATURAN PRESIDEN REPUBLIK INDONESIA\nNOMOR {doc['perpres']} TAHUN {doc['year']}\n"
                              "TENTANG\nPETUNJUK TEKNIS DANA ALOKASI KHUSUS FISIK TAHUN ANGGARAN "
                              f"{doc['fy']}"), align="C")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 9)
    if doc["window"]:
        o, c = doc["window"]
        schedule = (f"Usulan DAK Fisik disampaikan oleh pemerintah daerah melalui aplikasi KRISNA-DAK pada tanggal "
                    f"{tgl(date.fromisoformat(o), short_year=True)} s.d. {tgl(c)}.")
    else:
        schedule = ("Jadwal pengusulan melalui aplikasi KRISNA-DAK ditetapkan kemudian oleh Kementerian PPN/Bappenas "
                    "dan Kementerian Keuangan.")
    pdf.multi_cell(0, 5, latin("Menu kegiatan DAK Fisik yang dapat diusulkan beserta rincian kegiatan, pengusul, dan "
                               f"pagu indikatif per daerah adalah sebagai berikut. {schedule}"))
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 7)
    widths = (8, 24, 28, 38, 110, 24, 18, 27)
    with pdf.table(col_widths=widths, line_height=3.6, first_row_as_headings=True,
                   repeat_headings=1) as table:
        table.row(["No", "Bidang", "Subbidang", "Menu", "Rincian Kegiatan", "K/L", "Pengusul",
                   "Pagu Indikatif (Rp)"])
        for i, cells in enumerate(rows_for(doc["fy"], week), start=1):
            table.row([str(i), *(latin(c) for c in cells)])
    return bytes(pdf.output())


def generate(week: str) -> int:
    n = 0
    for doc in DOCS:
        write(week, f"{HOST}{PATH}{doc['file']}", build(doc, week))
        n += len(rows_for(doc["fy"], week))
    return n
