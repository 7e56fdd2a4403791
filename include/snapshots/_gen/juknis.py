"""Juknis DAK Fisik as published: a Perpres on JDIH BPK (search card -> detail page -> PDF).

The PDF follows the real documents' text shape (Perpres 88/2019, lampiran Perpres 5/2018): a title
block "PERATURAN PRESIDEN ... NOMOR x TAHUN y TENTANG PETUNJUK TEKNIS DANA ALOKASI KHUSUS FISIK
TAHUN ANGGARAN z", then the lampiran as prose per bidang ("1. BIDANG PENDIDIKAN", "1.1. Arah
Kebijakan") whose ruang lingkup lists the menus as "1. Subbidang ..." with lettered items, the way
ministry letters send them to daerah. Made with fpdf2; menus come from `_seed/programmes.csv`.
"""

from __future__ import annotations

from datetime import date

from common import seed, write
from fpdf import FPDF
from regulations import BPK, card, detail, search_pages

DOCS = [
    dict(fy=2027, perpres="12", year=2026, did="350012"),
    dict(fy=2026, perpres="9", year=2025, did="350009"),
    dict(fy=2025, perpres="7", year=2024, did="350007"),
]
QUERY = "petunjuk+teknis+dana+alokasi+khusus+fisik"


def latin(text: str) -> str:
    return text.replace("–", "-").replace("—", "-").replace("“", '"').replace("”", '"').replace("’", "'")


def menus_for(fy: int) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """bidang -> subbidang -> [(menu, rincian)] of one fiscal year."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for row in seed().values():
        if row["funding_type"] != "DAK Fisik" or int(row["fiscal_year"]) != fy:
            continue
        menu = row["title"].split(" – ", 1)[1].replace(f" TA {fy}", "")
        out.setdefault(row["bidang"], {}).setdefault(row["subbidang"] or row["bidang"], []).append(
            (menu, row["description"]))
    return out


def text_lines(doc: dict) -> list[str]:
    lines = ["SALINAN", "PRESIDEN", "REPUBLIK INDONESIA", "PERATURAN PRESIDEN REPUBLIK INDONESIA",
             f"NOMOR {doc['perpres']} TAHUN {doc['year']}", "TENTANG", "PETUNJUK TEKNIS DANA ALOKASI KHUSUS FISIK",
             f"TAHUN ANGGARAN {doc['fy']}", "DENGAN RAHMAT TUHAN YANG MAHA ESA", "",
             "LAMPIRAN", "PERATURAN PRESIDEN REPUBLIK INDONESIA", f"NOMOR {doc['perpres']} TAHUN {doc['year']}", ""]
    for number, (bidang, subs) in enumerate(menus_for(doc["fy"]).items(), start=1):
        lines += [f"{number}. BIDANG {bidang.upper()}", f"{number}.1. Arah Kebijakan",
                  f"DAK Fisik Bidang {bidang} diarahkan untuk mendukung pemenuhan standar pelayanan minimal dan "
                  "prioritas nasional yang menjadi kewenangan pemerintah provinsi dan pemerintah kabupaten/kota.",
                  f"{number}.2. Ruang Lingkup Kegiatan", ""]
        for sub_number, (sub, items) in enumerate(subs.items(), start=1):
            lines.append(f"{sub_number}. Subbidang {sub}")
            lines += [f"{chr(96 + i)}. {menu}: {rincian[:1].lower()}{rincian[1:]}" for i, (menu, rincian)
                      in enumerate(items, start=1)]
            lines.append("")
    return lines


def build(doc: dict) -> bytes:
    pdf = FPDF(orientation="P", format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(doc["year"], 6, 1))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 9)
    for line in text_lines(doc):
        pdf.multi_cell(0, 4.5, latin(line) or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def generate(week: str) -> int:
    cards, n = [], 0
    for doc in DOCS:
        judul = f"Petunjuk Teknis Dana Alokasi Khusus Fisik Tahun Anggaran {doc['fy']}"
        path = f"/Details/{doc['did']}/perpres-no-{doc['perpres']}-tahun-{doc['year']}"
        abstract = f"bahwa untuk melaksanakan ketentuan Undang-Undang tentang Anggaran Pendapatan dan Belanja Negara " \
                   f"Tahun Anggaran {doc['fy']}, perlu menetapkan Peraturan Presiden tentang {judul};"
        write(week, f"{BPK}{path}", detail(doc["did"], "Perpres", doc["perpres"], doc["year"], judul,
                                           date(doc["year"], 6, 1), abstract, "KEUANGAN NEGARA - DANA ALOKASI KHUSUS"))
        write(week, f"{BPK}/Download/{doc['did']}/Perpres Nomor {doc['perpres']} Tahun {doc['year']}.pdf", build(doc))
        cards.append(card(path, "Perpres", doc["perpres"], doc["year"], judul, abstract))
        n += sum(len(items) for subs in menus_for(doc["fy"]).values() for items in subs.values())
    search_pages(week, QUERY, cards)
    return n
