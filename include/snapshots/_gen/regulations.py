"""JDIH pages: peraturan.bpk.go.id search results + detail pages, jdih.kemenkeu.go.id PMK list + pages.

BPK follows https://peraturan.bpk.go.id/Search?keywords=... (result cards linking /Details/<id>/<slug>)
and the detail page's "Metadata Peraturan" rows (Judul, Nomor, Bentuk, Tahun, Tanggal Penetapan,
Subjek, Status ...) plus an "Abstrak" block and a /Download/ PDF link. Kemenkeu follows JDIH
Kemenkeu's document page: a `table.table-detail` of metadata and a PDF link.
"""

from __future__ import annotations

import html
from datetime import date

from common import seed, tgl, write

BPK = "peraturan.bpk.go.id"
KEMENKEU = "jdih.kemenkeu.go.id"
IF_IDS = [f"P{n:03d}" for n in range(88, 101)]
EXTRA_W2 = {"programme_id": "N002", "title": "Insentif Fiskal Kinerja Pengelolaan Sampah dan Kebersihan – 2027",
            "description": "Insentif bagi pemerintah daerah yang menunjukkan kinerja pengurangan dan penanganan "
            "sampah, termasuk operasional bank sampah, TPS3R, dan penutupan TPA terbuka. Penilaian berdasarkan data "
            "Sistem Informasi Pengelolaan Sampah Nasional tanpa pengajuan proposal oleh daerah.",
            "fiscal_year": "2027", "opens_on": "", "closes_on": ""}
PMKS = [
    ("PMK", "110", 2026, "Pengelolaan Insentif Fiskal Tahun Anggaran 2027", "2026-09-30"),
    ("PMK", "87", 2026, "Pengelolaan Dana Alokasi Khusus Nonfisik", "2026-07-14"),
    ("PMK", "64", 2026, "Tata Cara Pemberian Hibah kepada Daerah", "2026-05-20"),
    ("PMK", "131", 2026, "Pengelolaan Dana Alokasi Khusus Fisik Tahun Anggaran 2027", "2026-10-28"),
]


def if_rows(week: str) -> list[dict[str, str]]:
    rows = [seed()[pid] for pid in IF_IDS]
    return rows + ([EXTRA_W2] if week == "2026-W48" else [])


def kmk(row: dict[str, str]) -> tuple[str, int, str, date]:
    n = int(row["programme_id"][1:])
    year = int(row["fiscal_year"]) - 1 if "Sebelumnya" in row["title"] or row["fiscal_year"] == "2027" else int(row["fiscal_year"])
    number = str(300 + n)
    judul = f"Rincian Alokasi {row['title']}"
    return number, year, judul, date(year, 3 + n % 8, 1 + n % 27)


def abstrak(row: dict[str, str]) -> str:
    text = row["description"]
    if row["opens_on"]:
        text += f" Periode penilaian kinerja {tgl(row['opens_on'])} s.d. {tgl(row['closes_on'])}."
    return text + " Insentif diberikan kepada pemerintah provinsi, kabupaten, dan kota yang memenuhi kriteria."


def bpk_detail(did: int, jenis: str, nomor: str, tahun: int, judul: str, ditetapkan: date, abstract: str) -> str:
    meta = [("Tipe Dokumen", "Peraturan Perundang-undangan"), ("Judul", f"{jenis} Nomor {nomor} Tahun {tahun} tentang {judul}"),
            ("T.E.U.", "Indonesia, Kementerian Keuangan"), ("Nomor", nomor), ("Bentuk", "Keputusan Menteri Keuangan"
             if jenis == "KMK" else "Peraturan Menteri Keuangan"), ("Bentuk Singkat", jenis), ("Tahun", str(tahun)),
            ("Tempat Penetapan", "Jakarta"), ("Tanggal Penetapan", tgl(ditetapkan)),
            ("Tanggal Pengundangan", tgl(ditetapkan)), ("Sumber", "-"), ("Subjek", "KEUANGAN NEGARA - INSENTIF FISKAL"),
            ("Status", "Berlaku"), ("Bahasa", "Bahasa Indonesia"), ("Lokasi", "Kementerian Keuangan")]
    rows = "".join(f'<div class="row mb-2"><div class="col-lg-3 fw-bold">{k}</div><div class="col-lg-9">{html.escape(v)}'
                   "</div></div>\n" for k, v in meta)
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{jenis} No. {nomor} Tahun {tahun}</title></head>
<body><nav class="navbar"><a href="/">JDIH BPK</a> <a href="/Search">Pencarian</a></nav>
<div class="container"><h1 class="fs-4">{html.escape(f"{jenis} No. {nomor} Tahun {tahun}")}</h1>
<p class="lead">{html.escape(judul)}</p>
<div class="card"><div class="card-header">Metadata Peraturan</div><div class="card-body">
{rows}</div></div>
<div class="card mt-3"><div class="card-header">Abstrak</div><div class="card-body abstrak"><p>{html.escape(abstract)}</p></div></div>
<div class="card mt-3"><div class="card-header">File-file</div><div class="card-body">
<a class="download" href="/Download/{did}/{jenis}%20Nomor%20{nomor}%20Tahun%20{tahun}.pdf">{jenis} Nomor {nomor} Tahun {tahun}.pdf</a></div></div>
</div><footer>© 2026 JDIH BPK RI</footer></body></html>
"""


def bpk(week: str) -> int:
    cards = []
    for row in if_rows(week):
        nomor, tahun, judul, ditetapkan = kmk(row)
        did = 330000 + int(nomor)
        path = f"/Details/{did}/kmk-no-{nomor}-tahun-{tahun}"
        write(week, f"{BPK}{path}", bpk_detail(did, "KMK", nomor, tahun, judul, ditetapkan, abstrak(row)))
        cards.append(f'<div class="card mb-3"><div class="card-body"><a href="{path}" class="text-decoration-none">'
                     f'<p class="fw-bold">Keputusan Menteri Keuangan Nomor {nomor} Tahun {tahun}</p></a>'
                     f'<p>{html.escape(judul)}</p><span class="badge">Berlaku</span></div></div>')
    page = (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Pencarian - JDIH BPK</title></head><body>'
            f'<nav class="navbar">JDIH BPK</nav><div class="container"><p>Ditemukan {len(cards)} peraturan</p>'
            f'{"".join(cards)}</div></body></html>')
    write(week, f"{BPK}/Search@keywords=insentif+fiskal&tentang=&nomor=", page)
    write(week, f"{BPK}/robots.txt", "User-agent: *\nDisallow: /Account/\n")
    return len(cards)


def kemenkeu(week: str) -> int:
    links = []
    for jenis, nomor, tahun, judul, ditetapkan in PMKS:
        slug = f"{jenis.lower()}-{nomor}-tahun-{tahun}"
        rows = [("Jenis Peraturan", "Peraturan Menteri Keuangan"), ("Nomor", nomor), ("Tahun", str(tahun)),
                ("Tentang", judul), ("Tanggal Penetapan", tgl(ditetapkan)), ("Status", "Berlaku"),
                ("Subjek", "Transfer ke Daerah")]
        body = "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        write(week, f"{KEMENKEU}/dok/{slug}", f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{jenis} {nomor}/{tahun}</title></head>
<body><header class="header">JDIH Kementerian Keuangan</header><main><h1>Peraturan Menteri Keuangan Nomor {nomor} Tahun {tahun}</h1>
<table class="table table-detail">{body}</table>
<a class="btn-download" href="/api/download/{slug}.pdf">Unduh Dokumen</a></main></body></html>""")
        links.append(f'<li class="result"><a href="/dok/{slug}">PMK Nomor {nomor} Tahun {tahun} tentang {html.escape(judul)}</a></li>')
    write(week, f"{KEMENKEU}/in/dokumen/peraturan@jenis=PMK&topik=transfer-ke-daerah",
          f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Peraturan</title></head><body><ul class="results">{"".join(links)}</ul></body></html>')
    write(week, f"{KEMENKEU}/robots.txt", "User-agent: *\nAllow: /\n")
    return len(links)


def generate(week: str) -> int:
    return bpk(week) + kemenkeu(week)
