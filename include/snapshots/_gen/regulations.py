"""JDIH BPK pages in their real shape: search result cards and detail pages (see sources.yaml).

Search (`/Search?keywords=...`): `div.card` per result with the title link
`div.col-lg-10.fs-2.fw-bold a[href^=/Details/]` ("KMK No. 389 Tahun 2026 tentang ..."), a badge, a
`div.fw-semibold` subtitle, "ABSTRAK: ..." and relation blocks ("Diubah dengan", "Mencabut") that
link to regulations outside the result set; `a.page-link` pagination. Detail (`/Details/<id>/<slug>`):
`h1.text-white` materi pokok, `h4.mb-8` name, a "METADATA PERATURAN" card of `.col-lg-3` / `.col-lg-9`
rows ("Judul" as "Keputusan Menteri Keuangan (KMK) Nomor ... tentang ..."), an "ABSTRAK" card and
`a.download-file` links to `/Download/<id>/<file>.pdf`.
"""

from __future__ import annotations

import html
from datetime import date

from common import seed, tgl, write

BPK = "peraturan.bpk.go.id"
IF_IDS = [f"P{n:03d}" for n in range(88, 101)]
EXTRA_W2 = {"programme_id": "N002", "title": "Insentif Fiskal Kinerja Pengelolaan Sampah dan Kebersihan – 2027",
            "description": "Insentif bagi pemerintah daerah yang menunjukkan kinerja pengurangan dan penanganan "
            "sampah, termasuk operasional bank sampah, TPS3R, dan penutupan TPA terbuka. Penilaian berdasarkan data "
            "Sistem Informasi Pengelolaan Sampah Nasional tanpa pengajuan proposal oleh daerah.",
            "fiscal_year": "2027", "opens_on": "", "closes_on": ""}
FORMS = {"KMK": "Keputusan Menteri Keuangan", "PMK": "Peraturan Menteri Keuangan", "Perpres": "Peraturan Presiden"}
PER_PAGE = 8


def if_rows(week: str) -> list[dict[str, str]]:
    rows = [seed()[pid] for pid in IF_IDS]
    return rows + ([EXTRA_W2] if week == "2026-W48" else [])


def kmk(row: dict[str, str]) -> tuple[str, int, str, date]:
    n = int(row["programme_id"][1:])
    year = int(row["fiscal_year"]) - 1 if "Sebelumnya" in row["title"] or row["fiscal_year"] == "2027" else int(row["fiscal_year"])
    return str(300 + n), year, f"Rincian Alokasi {row['title']}", date(year, 3 + n % 8, 1 + n % 27)


def abstrak(row: dict[str, str]) -> str:
    text = "bahwa untuk melaksanakan ketentuan mengenai pengelolaan insentif fiskal, perlu menetapkan rincian " \
           f"alokasi; {row['description']}"
    if row["opens_on"]:
        text += f" Periode penilaian kinerja {tgl(row['opens_on'])} s.d. {tgl(row['closes_on'])}."
    return text + " Insentif diberikan kepada pemerintah provinsi, kabupaten, dan kota yang memenuhi kriteria."


def detail(did: str, jenis: str, nomor: str, tahun: int, judul: str, ditetapkan: date | None, abstract: str,
           subjek: str) -> str:
    meta = [("Tipe Dokumen", "Peraturan Perundang-undangan"),
            ("Judul", f"{FORMS[jenis]} ({jenis}) Nomor {nomor} Tahun {tahun} tentang {judul}"),
            ("T.E.U.", "Indonesia, Pemerintah Pusat"), ("Nomor", nomor), ("Bentuk", FORMS[jenis]),
            ("Bentuk Singkat", jenis), ("Tahun", str(tahun)), ("Tempat Penetapan", "Jakarta")]
    if ditetapkan:
        meta.append(("Tanggal Penetapan", tgl(ditetapkan)))
    meta += [("Status", "Berlaku"), ("Bahasa", "Bahasa Indonesia"), ("Lokasi", "Pemerintah Pusat"),
             ("Subjek", subjek)]
    rows = "".join(f'<div class="row py-4{" bg-light-primary" if i % 2 == 0 else ""}"><div class="col-lg-3 fw-bold">{k}'
                   f'</div><div class="col-lg-9">{html.escape(v)}</div></div>\n' for i, (k, v) in enumerate(meta))
    pdf = f"/Download/{did}/{jenis} Nomor {nomor} Tahun {tahun}.pdf"
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{FORMS[jenis]} ({jenis}) Nomor {nomor} Tahun {tahun} | JDIH BPK</title></head>
<body id="kt_body" class="header-fixed">
<div id="kt_header" class="header"><div class="container-xxl d-flex"><a href="/">JDIH BPK</a>
<div class="menu"><div class="menu-item"><a class="menu-link" href="/Search">Database Peraturan</a></div></div></div></div>
<div class="bg-primary py-10"><div class="container-xxl"><h1 class="text-white fw-bolder fs-2qx">{html.escape(judul)}</h1></div></div>
<div class="container-xxl py-10"><div class="row g-10"><div class="col-lg-8">
<h4 class="mb-8">{FORMS[jenis]} ({jenis}) Nomor {nomor} Tahun {tahun}</h4>
<div class="card mb-10"><div class="card-body"><h4 class="fw-bold text-gray-800 mb-5">METADATA PERATURAN</h4>
<div class="container fs-6">
{rows}</div></div></div>
<div class="card mb-10"><div class="card-body"><h4 class="fw-bold text-gray-800 mb-5">ABSTRAK</h4>
<div class="container fs-6"><div class="row"><div class="col-12 text-gray-700">{html.escape(abstract)}</div></div></div></div></div>
</div><div class="col-lg-4"><div class="card"><div class="card-body"><h4 class="fw-bold text-gray-800 mb-5">FILE-FILE PERATURAN</h4>
<a class="download-file" href="{pdf}">{jenis} Nomor {nomor} Tahun {tahun}.pdf</a></div></div></div></div></div>
<div class="footer py-10 bg-dark"><div class="container-xxl text-white">Database Peraturan BPK</div></div></body></html>
"""


def card(path: str, jenis: str, nomor: str, tahun: int, judul: str, abstract: str, relation: str = "") -> str:
    return (f'<div class="card mb-5"><div class="card-body"><div class="row"><div class="col-lg-10 fs-2 fw-bold pe-4">'
            f'<a href="{path}" class="text-gray-900">{jenis} No. {nomor} Tahun {tahun} tentang {html.escape(judul)}</a>'
            f'</div><div class="col-lg-2 text-end"><span class="badge badge-light-success">Berlaku</span></div></div>'
            f'<div class="fw-semibold fs-6 text-gray-600">{FORMS[jenis]} ({jenis}) tentang {html.escape(judul)}</div>'
            f'<div class="text-gray-700 fs-6 mt-3">ABSTRAK: {html.escape(abstract[:300])}</div>{relation}'
            f'<div class="mt-3"><a href="/Download/{path.split("/")[2]}/x.pdf" class="btn btn-sm btn-light-primary">'
            f'Download</a></div></div></div>')


def relation_block(label: str, number: int) -> str:
    """A relation block linking a regulation outside the result set (it is never served)."""
    return (f'<div class="mt-3"><div class="fw-bold">{label}:</div><ul><li><a href="/Details/{900000 + number}/pmk-no-'
            f'{number}-tahun-2021">PMK No. {number} Tahun 2021 tentang Pengelolaan Transfer ke Daerah</a></li></ul></div>')


def search_pages(week: str, query: str, cards: list[str]) -> None:
    pages = [cards[i:i + PER_PAGE] for i in range(0, len(cards), PER_PAGE)] or [[]]
    base = f"/Search?keywords={query}&amp;tentang=&amp;nomor="
    for number, chunk in enumerate(pages, start=1):
        links = "".join(f'<li class="page-item{" active" if n == number else ""}"><a class="page-link" '
                        f'href="{base}&amp;p={n}">{n}</a></li>' for n in range(1, len(pages) + 1))
        page = (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Database Peraturan | JDIH BPK</title>'
                f'</head><body id="kt_body"><div class="container-xxl py-10"><form action="/Search" method="get">'
                f'<input type="text" name="keywords" value="{query.replace("+", " ")}"></form>{"".join(chunk)}'
                f'<ul class="pagination">{links}</ul></div></body></html>')
        rel = f"{BPK}/Search@keywords={query}&tentang=&nomor=" + ("" if number == 1 else f"&p={number}")
        write(week, rel, page)


def insentif(week: str) -> int:
    cards = []
    for i, row in enumerate(if_rows(week)):
        nomor, tahun, judul, ditetapkan = kmk(row)
        did = f"{330000 + int(nomor)}"
        path = f"/Details/{did}/kmk-no-{nomor}-tahun-{tahun}"
        write(week, f"{BPK}{path}", detail(did, "KMK", nomor, tahun, judul, ditetapkan, abstrak(row),
                                           "KEUANGAN NEGARA - INSENTIF FISKAL"))
        relation = relation_block("Diubah dengan" if i % 2 else "Mencabut", 100 + i) if i % 3 == 0 else ""
        cards.append(card(path, "KMK", nomor, tahun, judul, abstrak(row), relation))
    search_pages(week, "insentif+fiskal", cards)
    return len(cards)


def dak_nonfisik(week: str) -> int:
    regs = [("PMK", "87", 2026, "Petunjuk Teknis Pengelolaan Dana Alokasi Khusus Nonfisik", date(2026, 7, 14))]
    cards = []
    for jenis, nomor, tahun, judul, ditetapkan in regs:
        did = f"{340000 + int(nomor)}"
        path = f"/Details/{did}/{jenis.lower()}-no-{nomor}-tahun-{tahun}"
        abstract = f"bahwa untuk melaksanakan pengelolaan dana alokasi khusus nonfisik, perlu menetapkan {judul.lower()};"
        write(week, f"{BPK}{path}", detail(did, jenis, nomor, tahun, judul, ditetapkan, abstract, "KEUANGAN NEGARA"))
        cards.append(card(path, jenis, nomor, tahun, judul, abstract))
    search_pages(week, "petunjuk+teknis+dana+alokasi+khusus+nonfisik", cards)
    return len(cards)


def petunjuk_operasional(week: str) -> int:
    """Per-bidang petunjuk operasional (ministry regulations), kept as legal bases."""
    regs = [("Permenkes", "Peraturan Menteri Kesehatan", "21", 2026,
             "Petunjuk Operasional Penggunaan Dana Alokasi Khusus Fisik Bidang Kesehatan Tahun Anggaran 2027"),
            ("Permen PU", "Peraturan Menteri Pekerjaan Umum", "9", 2026,
             "Petunjuk Operasional Pengelolaan Dana Alokasi Khusus Fisik Bidang Jalan Tahun Anggaran 2027")]
    cards = []
    for jenis, bentuk, nomor, tahun, judul in regs:
        FORMS.setdefault(jenis, bentuk)
        did = f"{360000 + int(nomor)}"
        path = f"/Details/{did}/{jenis.lower().replace(' ', '-')}-no-{nomor}-tahun-{tahun}"
        abstract = f"bahwa untuk melaksanakan ketentuan mengenai petunjuk teknis dana alokasi khusus fisik, perlu " \
                   f"menetapkan {bentuk} tentang {judul};"
        write(week, f"{BPK}{path}", detail(did, jenis, nomor, tahun, judul, None, abstract, "DANA ALOKASI KHUSUS"))
        cards.append(card(path, jenis, nomor, tahun, judul, abstract))
    search_pages(week, "petunjuk+operasional+dana+alokasi+khusus", cards)
    return len(cards)


def generate(week: str) -> int:
    write(week, f"{BPK}/robots.txt", "User-agent: *\nDisallow: /Account/\n")
    return insentif(week) + dak_nonfisik(week) + petunjuk_operasional(week)
