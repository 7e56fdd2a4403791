"""Adapters on the real sites' shapes (DJPK portal, JDIH BPK, juknis/letter PDFs, per-daerah tables),
served over real HTTP by the project's replay server; `nyengget sources check`.

The markup below restates the structures public scrapers of these sites read (see sources.yaml);
texts are shortened real ones (OCR noise kept where the real documents have it)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fpdf import FPDF
from openpyxl import Workbook
from sqlalchemy import select

from nyengget.cli import main
from nyengget.sources.adapters import juknis_pdf, regulations, tables
from nyengget.sources.adapters.djpk_tkdd import find_code, rupiah
from nyengget.sources.fetch import FetchPolicy, Response
from nyengget.sources.ingest import ingest_source
from nyengget.sources.replay import relpath, serve
from nyengget.sources.storage import sha256
from nyengget.sources.verdict import assess
from nyengget.warehouse.schema import programmes, tkdd_allocations
from nyengget.warehouse.schema import regulations as regulations_table
from nyengget.weeks import parse_week

W48 = parse_week("2026-W48")
POLICY = FetchPolicy(retries=0, min_delay_s=0, read_timeout=5)
PORTAL = "https://djpk.kemenkeu.go.id/portal"


def _resp(body: bytes | str, url: str = "https://x.go.id/doc") -> Response:
    data = body.encode() if isinstance(body, str) else body
    return Response(url, "GET", 200, {}, data, sha256(data), "2026-11-23T00:00:00")


def _tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for url, body in files.items():
        path = root / relpath(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode() if isinstance(body, str) else body)
    return root


# -- DJPK portal TKDD ---------------------------------------------------------------------------
def _tkdd_page(region: str, pemda: str, year: int, amount: str = "661.665,87 M", table: bool = True) -> str:
    rows = (f'<tr/><td>1</td><td>Transfer ke Daerah</td><td class="text-right">{amount}</td>'
            f'<td class="text-right">600.000,00 M</td><td class="text-right">90,68%</td>\n'
            '<tr/><td>1.3</td><td>Dana Alokasi Khusus Fisik</td><td class="text-right">1,5 T</td>'
            '<td class="text-right">-</td><td class="text-right">0%</td>\n')
    data = (f'<h4>Transfer ke Daerah {region} Tahun {year}</h4><div id="tbl_data"><table class="table"><thead><tr>'
            f'<th>Kode</th><th>Akun</th><th>Anggaran</th><th>Realisasi</th><th>%</th></tr></thead><tbody>{rows}'
            '</tbody></table></div>') if table else '<div id="chart"></div>'
    return (f'<html><head><title>Portal Data DJPK</title></head><body><form method="get" action="/portal/data/tkdd">'
            f'<select name="tahun" id="sel_tahun"><option value="2025">2025</option><option value="2026"'
            f'{" selected" if year == 2026 else ""}>2026</option></select>'
            f'<select name="provinsi" id="sel_provinsi"><option value="28" selected>Provinsi Banten</option></select>'
            f'<select name="pemda" id="sel_pemda"><option value="{pemda}" selected>{region}</option></select>'
            f'</form>{data}</body></html>')


def _portal(root: Path, *, wrong_page: bool = False, table: bool = True) -> Path:
    files: dict[str, str | bytes] = {
        f"{PORTAL}/data/tkdd": _tkdd_page("Kota Serang", "07", 2026, table=False),
        f"{PORTAL}/provinsi/2025": json.dumps({"11": "Prov. Jawa Tengah", "28": "Prov. Banten"}),
        f"{PORTAL}/provinsi/2026": json.dumps({"11": "Prov. Jawa Tengah", "28": "Prov. Banten"}),
        f"{PORTAL}/pemda/28/2025": json.dumps({"00": "Prov. Banten", "03": "Kab. Serang", "07": "Kota Serang"}),
        f"{PORTAL}/pemda/28/2026": json.dumps({"00": "Prov. Banten", "03": "Kab. Serang", "07": "Kota Serang"}),
        f"{PORTAL}/pemda/11/2026": json.dumps({"00": "Prov. Jawa Tengah", "09": "Kab. Grobogan"}),
        f"{PORTAL}/data/tkdd?tahun=2025&provinsi=28&pemda=07": _tkdd_page("Kota Serang", "07", 2025, "612.000,10 M",
                                                                           table=table),
        f"{PORTAL}/data/tkdd?tahun=2026&provinsi=28&pemda=07": (_tkdd_page("Kab. Serang", "03", 2026) if wrong_page
                                                                else _tkdd_page("Kota Serang", "07", 2026, table=table)),
        f"{PORTAL}/data/tkdd?tahun=2026&provinsi=11&pemda=09": _tkdd_page("Kab. Grobogan", "09", 2026),
    }
    return _tree(root, files)


def _tkdd_source(sources_file, **options: object) -> None:
    opts = {"region": "Kota Serang", "province": "Banten", "years": [2025, 2026], **options}
    sources_file("sources:\n  - " + json.dumps({"name": "tkdd", "adapter": "djpk_tkdd", "urls": [f"{PORTAL}/data/tkdd"],
                                                "options": opts}) + "\n")


def test_amounts_are_exact_rupiah() -> None:
    assert rupiah("661.665,87 M") == 661_665_870_000_000
    assert rupiah("1,5 T") == 1_500_000_000_000 and rupiah("12.345") == 12_345
    assert rupiah("-") is None and rupiah("88,89%") is None


def test_region_names_resolve_with_their_kind() -> None:
    pemdas = {"00": "Prov. Banten", "03": "Kab. Serang", "07": "Kota Serang"}
    assert find_code(pemdas, "Kota Serang") == "07" and find_code(pemdas, "Kabupaten Serang") == "03"
    assert find_code({"28": "Prov. Banten", "11": "Prov. Jawa Tengah"}, "Banten", kind="provinsi") == "28"
    with pytest.raises(ValueError, match="ambiguous"):
        find_code(pemdas, "Serang")


def test_kota_serang_is_28_07_per_year_and_account_history_kept(engine, sources_file, tmp_path) -> None:
    _tkdd_source(sources_file)
    with serve(_portal(tmp_path / "w")) as base:
        row = ingest_source(engine, "tkdd", W48, base_url=base, policy=POLICY)
    assert not row["failed"], row["message"]
    with engine.connect() as conn:
        rows = conn.execute(select(tkdd_allocations).order_by(tkdd_allocations.c.fiscal_year,
                                                              tkdd_allocations.c.kodeakun)).all()
    assert {(r.pemda, r.djpk_code, r.region_code) for r in rows} == {("Kota Serang", "28.07", "36.73")}
    assert [(r.fiscal_year, r.kodeakun) for r in rows] == [(2025, "1"), (2025, "1.3"), (2026, "1"), (2026, "1.3")]
    assert rows[2].anggaran == 661_665_870_000_000 and rows[3].anggaran == 1_500_000_000_000
    assert rows[3].parent == "Transfer ke Daerah" and rows[3].realisasi is None
    _tkdd_source(sources_file, years=[2026])  # a later run for one year keeps the region's other years
    with serve(_portal(tmp_path / "w2")) as base:
        ingest_source(engine, "tkdd", parse_week("2026-W49"), base_url=base, policy=POLICY)
    with engine.connect() as conn:
        years = conn.execute(select(tkdd_allocations.c.fiscal_year).distinct()).scalars().all()
    assert sorted(years) == [2025, 2026]


def test_wrong_configured_code_or_page_stores_nothing(engine, sources_file, tmp_path) -> None:
    _tkdd_source(sources_file, region_code="11.09")
    with serve(_portal(tmp_path / "a")) as base:
        row = ingest_source(engine, "tkdd", W48, base_url=base, policy=POLICY)
    assert row["failed"] and "11.09 is not Kota Serang" in row["message"] and "28.07" in row["message"]
    _tkdd_source(sources_file, years=[2026])
    with serve(_portal(tmp_path / "b", wrong_page=True)) as base:
        row = ingest_source(engine, "tkdd", W48, base_url=base, policy=POLICY)
    assert row["failed"] and "Kab. Serang" in row["message"]
    with engine.connect() as conn:
        assert conn.execute(select(tkdd_allocations)).first() is None


def test_layout_change_is_reported_not_a_quiet_zero(engine, sources_file, tmp_path) -> None:
    _tkdd_source(sources_file)
    with serve(_portal(tmp_path / "c", table=False)) as base:
        row = ingest_source(engine, "tkdd", W48, base_url=base, policy=POLICY)
    assert row["failed"] and row["health"] == "unhealthy"
    assert row["message"].startswith("layout changed: expected div#tbl_data") and "zero rows" not in row["message"]
    verdict = assess(rows=0, errors=["layout changed: expected x (u)"], raised=False, history=[], missing={},
                     quarantined=0)
    assert verdict.failed and verdict.alerts == ["layout changed: expected x (u)"]


# -- JDIH BPK -----------------------------------------------------------------------------------
BPK = "https://peraturan.bpk.go.id"


def _bpk_detail(title: str, judul: str, nomor: str, tahun: str, bentuk: str, singkat: str, abstract: str) -> str:
    rows = "".join(f'<div class="row py-4"><div class="col-lg-3 fw-bold">{k}</div><div class="col-lg-9">{v}</div></div>'
                   for k, v in (("Judul", judul), ("Nomor", nomor), ("Bentuk", bentuk), ("Bentuk Singkat", singkat),
                                ("Tahun", tahun), ("Status", "Berlaku")))
    return (f'<html><head><title>{bentuk} | JDIH BPK</title></head><body><div class="bg-primary"><h1 class="text-white">'
            f'{title}</h1></div><div class="card"><div class="card-body"><h4>METADATA PERATURAN</h4>'
            f'<div class="container">{rows}</div></div></div><div class="card"><div class="card-body"><h4>ABSTRAK</h4>'
            f'<div class="container"><div class="row"><div class="col-12">{abstract}</div></div></div></div></div>'
            f'<a class="download-file" href="/Download/1/{singkat} {nomor}.pdf">pdf</a></body></html>')


def _card(path: str, text: str, relation: str = "") -> str:
    return (f'<div class="card mb-5"><div class="card-body"><div class="row"><div class="col-lg-10 fs-2 fw-bold pe-4">'
            f'<a href="{path}">{text}</a></div></div><div class="text-gray-700">ABSTRAK: bahwa ...</div>{relation}'
            f'</div></div>')


def _search(cards: list[str], page: int, pages: int, query: str) -> str:
    links = "".join(f'<li class="page-item{" active" if n == page else ""}"><a class="page-link" '
                    f'href="/Search?keywords={query}&amp;p={n}">{n}</a></li>' for n in range(1, pages + 1))
    return f'<html><body>{"".join(cards)}<ul class="pagination">{links}</ul></body></html>'


@pytest.mark.parametrize(("title", "expected"), [
    ("PMK No. 125 Tahun 2023 tentang Pengelolaan Insentif Fiskal", "Pengelolaan Insentif Fiskal"),
    ("Peraturan Menteri Keuangan (PMK) Nomor 125 Tahun 2023 tentang Pengelolaan X", "Pengelolaan X"),
    ("Peraturan Menteri Keuangan (PMK) tentang Pengelolaan Y", "Pengelolaan Y"),
    ("Permen PU No. 13/PRT/M/2011 tentang Tata Cara Pemeliharaan dan Penilikan Jalan",
     "Tata Cara Pemeliharaan dan Penilikan Jalan"),
    ("PMK No. 9/PMK.03/2021 tentang Perubahan atas PMK Nomor 86 Tahun 2020 tentang Z",
     "Perubahan atas PMK Nomor 86 Tahun 2020 tentang Z"),
    ("Tata Cara Pemeliharaan Jalan", "Tata Cara Pemeliharaan Jalan"),
])
def test_every_bpk_title_form_is_stripped(title: str, expected: str) -> None:
    assert regulations.strip_form(title) == expected


def test_bpk_search_pages_relations_and_a_pemeliharaan_subject(engine, sources_file, tmp_path) -> None:
    query = "insentif+fiskal"
    relation = '<div class="mt-3"><div>Diubah dengan:</div><ul><li><a href="/Details/999/pmk-no-1">PMK 1</a></li></ul></div>'
    files = {
        f"{BPK}/Search?keywords={query}": _search([_card("/Details/125/pmk-125", "PMK No. 125 Tahun 2023 tentang X",
                                                         relation)], 1, 3, query),
        f"{BPK}/Search?keywords={query}&p=2": _search([_card("/Details/13/permen-pu-13", "Permen PU No. 13 ...")], 2, 3,
                                                      query),
        f"{BPK}/Search?keywords={query}&p=3": _search([_card("/Details/77/never", "beyond max_pages")], 3, 3, query),
        f"{BPK}/Details/125/pmk-125": _bpk_detail(
            "Pengelolaan Insentif Fiskal Tahun Anggaran 2024 untuk Penghargaan Kinerja Tahun Sebelumnya",
            "Peraturan Menteri Keuangan (PMK) Nomor 125 Tahun 2023 tentang Pengelolaan Insentif Fiskal Tahun Anggaran "
            "2024 untuk Penghargaan Kinerja Tahun Sebelumnya", "125", "2023", "Peraturan Menteri Keuangan", "PMK",
            "bahwa berdasarkan ketentuan Pasal 15 ayat (4) Undang-Undang Nomor 19 Tahun 2023, perlu menetapkan ..."),
        f"{BPK}/Details/13/permen-pu-13": _bpk_detail(
            "Tata Cara Pemeliharaan dan Penilikan Jalan", "Permen PU No. 13/PRT/M/2011 tentang Tata Cara Pemeliharaan "
            "dan Penilikan Jalan", "13/PRT/M/2011", "2011", "Peraturan Menteri Pekerjaan Umum", "Permen PU", "bahwa ..."),
    }
    sources_file("sources:\n  - " + json.dumps({"name": "bpk", "adapter": "regulations",
                                                "urls": [f"{BPK}/Search?keywords={query}"],
                                                "options": {"max_pages": 2}}) + "\n")
    with serve(_tree(tmp_path / "bpk", files)) as base:
        row = ingest_source(engine, "bpk", W48, base_url=base, policy=POLICY)
    assert not row["failed"], row["message"]  # the relation link (/Details/999) and page 3 were never requested
    with engine.connect() as conn:
        regs = {r.nomor: r for r in conn.execute(select(regulations_table)).all()}
        [prog] = conn.execute(select(programmes)).all()
    assert set(regs) == {"125", "13/PRT/M/2011"}
    assert regs["13/PRT/M/2011"].judul == "Tata Cara Pemeliharaan dan Penilikan Jalan"
    assert prog.title == "Insentif Fiskal Tahun Anggaran 2024 untuk Penghargaan Kinerja Tahun Sebelumnya"
    assert prog.fiscal_year == 2024 and prog.description.startswith("bahwa berdasarkan ketentuan Pasal 15")


def test_result_links_without_cards_skip_relation_blocks() -> None:
    page = ('<div class="card"><div class="card-body"><ul><li><a href="/Details/1/a">PMK No. 1 Tahun 2024 tentang A</a>'
            '<div>Diubah dengan:</div><a href="/Details/9/z">PMK No. 9</a></li><li><a href="/Details/2/b">B</a></li>'
            '<li>Mencabut: <a href="/Details/8/y">PMK No. 8</a></li></ul></div></div>')
    links = regulations.detail_links(_resp(page, f"{BPK}/Search?keywords=x"))
    assert links == [f"{BPK}/Details/1/a", f"{BPK}/Details/2/b"]


def test_a_detail_url_and_another_jdih_work_as_configured(engine, sources_file, tmp_path) -> None:
    other = "https://jdih.example.go.id"
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in (
        ("Jenis/Bentuk Peraturan", "Peraturan Menteri Dalam Negeri"), ("Singkatan Jenis/Bentuk Peraturan", "Permendagri"),
        ("Nomor Peraturan", "77"), ("Tahun Terbit", "2020"),
        ("Judul", "Peraturan Menteri Dalam Negeri Nomor 77 Tahun 2020 tentang Pedoman Teknis Pengelolaan Keuangan")))
    files = {
        f"{BPK}/Details/13/permen-pu-13": _bpk_detail(
            "Tata Cara Pemeliharaan dan Penilikan Jalan", "Permen PU No. 13/PRT/M/2011 tentang Tata Cara Pemeliharaan "
            "dan Penilikan Jalan", "13/PRT/M/2011", "2011", "Peraturan Menteri Pekerjaan Umum", "Permen PU", "bahwa ..."),
        f"{other}/peraturan?q=keuangan": '<html><body><ul><li><a href="/dokumen/detail/55">Peraturan Menteri Dalam '
                                         'Negeri Nomor 77 Tahun 2020 tentang Pedoman</a></li><li><a href="/profil">'
                                         'Profil</a></li></ul></body></html>',
        f"{other}/dokumen/detail/55": f"<html><body><h1>Detail</h1><table>{table}</table></body></html>",
    }
    sources_file("sources:\n  - " + json.dumps({"name": "jdih", "adapter": "regulations",
                                                "urls": [f"{BPK}/Details/13/permen-pu-13", f"{other}/peraturan?q=keuangan"]})
                 + "\n")
    with serve(_tree(tmp_path / "jdih", files)) as base:
        row = ingest_source(engine, "jdih", W48, base_url=base, policy=POLICY)
    assert not row["failed"], row["message"]
    with engine.connect() as conn:
        regs = {r.jenis: r for r in conn.execute(select(regulations_table)).all()}
    assert regs["Permen PU"].judul == "Tata Cara Pemeliharaan dan Penilikan Jalan"
    assert (regs["Permendagri"].nomor, regs["Permendagri"].tahun) == ("77", 2020)
    assert regs["Permendagri"].judul == "Pedoman Teknis Pengelolaan Keuangan"


# -- juknis and letters from their text ---------------------------------------------------------
def _pdf(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 9)
    for line in lines:
        pdf.multi_cell(0, 4.5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_letter_menus_are_read_from_lettered_lists() -> None:
    body = _pdf(["KEMENTERIAN KESEHATAN REPUBLIK INDONESIA", "Nomor : PR.01.01/1/1234/2021 25 Mei2o21",
                 "Hal : Pedoman Penyusunan dan Penyampaian Usulan Dana Alokasi Khusus (DAK)",
                 "Fisik Bidang Kesehatan TA 2022", "Yth.", "1. Kepala Dinas Kesehatan Provinsi dan Kabupaten/Kota", "",
                 "A. Ruang Lingkup DAK Fisik Bidang Kesehatan", "DAK Fisik Bidang Kesehatan TA 2022 terdiri dari:",
                 "1. Subbidang Penguatan Penurunan Angka Kematian Ibu dan Bayi", "a. Sarana Puskesmas Mampu PONED",
                 "b. Alat Kesehatan Rumah Sakit Mampu PONEK", "i, Peningkatan kapasitas Laboratorium Kesehatan Daerah",
                 "menuju standar BSL-2", "2. SubbidangKefarmasian", "Penyediaan Obat dan Bahan Medis Habis Pakai (BMHP)",
                 "B. Tata Cara Penyampaian Usulan"])
    parsed = juknis_pdf.parse_pdf(_resp(body), {})
    titles = [p["title"] for p in parsed.programmes]
    assert titles[0] == "DAK Fisik Bidang Kesehatan TA 2022" and len(titles) == 5
    assert "DAK Fisik Bidang Kesehatan – Peningkatan kapasitas Laboratorium Kesehatan Daerah menuju standar BSL-2 " \
           "TA 2022" in titles
    farmasi = parsed.programmes[-1]
    assert (farmasi["subbidang"], farmasi["menu"]) == ("Subbidang Kefarmasian",
                                                      "Penyediaan Obat dan Bahan Medis Habis Pakai (BMHP)")
    assert {p["recipient_levels"] for p in parsed.programmes} == {"provinsi;kabupaten;kota"}


def test_menus_under_a_menu_heading_without_subbidang() -> None:
    body = _pdf(["Hal : Pedoman Usulan DAK Fisik Bidang Sanitasi TA 2027", "Yth. Bupati/Wali Kota", "",
                 "Menu kegiatan yang dapat diusulkan:", "a) Pembangunan SPALD Terpusat Skala Permukiman",
                 "b) Pembangunan TPS3R", "Usulan disampaikan melalui aplikasi KRISNA."])
    parsed = juknis_pdf.parse_pdf(_resp(body), {})
    assert [p["title"] for p in parsed.programmes] == [
        "DAK Fisik Bidang Sanitasi TA 2027", "DAK Fisik Bidang Sanitasi – Pembangunan SPALD Terpusat Skala Permukiman "
        "TA 2027", "DAK Fisik Bidang Sanitasi – Pembangunan TPS3R TA 2027"]
    assert parsed.programmes[1]["subbidang"] is None and parsed.programmes[1]["recipient_levels"] == "kabupaten;kota"


def test_ocr_juknis_prose_per_bidang() -> None:
    body = _pdf(["PERATURAN PRESIDEN REPUBLTK INDONESIA", "NOMOR 88 TAHUN 2019", "TENTANG",
                 "PETUNJUK TEKNIS DANA ALOI(ASI KHUSUS FISIK", "TAHUN ANGGARAN 2O2O",
                 "DENGAN RAHMAT TUHAN YANG MAHA ESA", "1. BIDANG PENDIDII{AN", "1.1. Arah Kebijakan",
                 "perlu mendorong pemerintah provinsi dan pemerintah kabupaten/kota melakukan tindakan nyata."])
    [record] = juknis_pdf.parse_pdf(_resp(body), {}).programmes
    assert record["title"] == "Petunjuk Teknis DAK Fisik Bidang Pendidikan TA 2020"
    assert record["fiscal_year"] == 2020 and record["legal_basis"] == "Peraturan Presiden Nomor 88 Tahun 2019"
    assert record["recipient_levels"] == "provinsi;kabupaten;kota"
    assert juknis_pdf.ocr_repair("Tahun 2Ol9 NOMOR I23") == "Tahun 2019 NOMOR 123"


def test_a_pdf_without_menus_or_title_is_a_layout_change() -> None:
    parsed = juknis_pdf.parse_pdf(_resp(_pdf(["Daftar hadir rapat", "Nama Jabatan Tanda tangan"])), {})
    assert parsed.errors and parsed.errors[0].startswith("layout changed: expected")


# -- DAK Nonfisik per-daerah tables ---------------------------------------------------------------
def test_per_daerah_table_is_an_allocation_for_our_row_only() -> None:
    wb = Workbook()
    ws = wb.active
    for row in (["DAK Nonfisik T.A. 2026 Banten"], [], ["No", "Nama Daerah", "Total DAK Nonfisik T.A. 2026"],
                [1, "Provinsi Banten", 16_699_261_000], [2, "Kab. Serang", "172.328.411.000"],
                [3, "Kota Serang", 204_447_050_000], [4, "Total", 393_474_722_000]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    parsed = tables.parse_xlsx(_resp(buf.getvalue()), {"region": "Kota Serang", "funding_type": "DAK Non-Fisik"})
    [alloc] = parsed.allocations
    assert (alloc["pemda"], alloc["fiscal_year"], alloc["anggaran"]) == ("Kota Serang", 2026, 204_447_050_000)
    [prog] = parsed.programmes
    assert prog["title"] == "DAK Nonfisik T.A. 2026 Banten (alokasi per daerah)"
    assert (prog["fiscal_year"], prog["recipient_levels"]) == (2026, "provinsi;kabupaten;kota")
    other = tables.parse_xlsx(_resp(buf.getvalue()), {"region": "Kabupaten Serang"})
    assert other.allocations[0]["anggaran"] == 172_328_411_000


# -- curated calendar -----------------------------------------------------------------------------
def test_calendar_dates_without_a_source_are_dropped(engine, sources_file, tmp_path, caplog) -> None:
    cal = tmp_path / "cal.yaml"
    cal.write_text("""entries:
  - {key: a, title: Pengusulan DAK Fisik TA 2026, funding_type: DAK Fisik, fiscal_year: 2026,
     opens_on: 2025-08-11, closes_on: 2025-08-22, dates_source: "Kontan 11 Aug 2025"}
  - {key: b, title: Pengusulan DAK Fisik TA 2027, funding_type: DAK Fisik, fiscal_year: 2027, opens_on: 2026-08-10}
""")
    sources_file(f"sources:\n  - {{name: cal, adapter: curated, urls: ['{cal}']}}\n")
    row = ingest_source(engine, "cal", W48)
    assert not row["failed"]  # one unsourced entry does not break the source
    assert "has dates without dates_source" in caplog.text
    with engine.connect() as conn:
        got = {r.title: r for r in conn.execute(select(programmes)).all()}
    sourced, unsourced = got["Pengusulan DAK Fisik TA 2026"], got["Pengusulan DAK Fisik TA 2027"]
    assert str(sourced.closes_on) == "2025-08-22" and "Sumber jadwal: Kontan" in sourced.description
    assert unsourced.opens_on is None and "perkiraan" in unsourced.description


def test_shipped_calendar_cites_a_source_for_every_date() -> None:
    import yaml

    doc = yaml.safe_load((Path(juknis_pdf.__file__).parents[1] / "curated" / "krisna_dak.yaml").read_text())
    dated = [e for e in doc["entries"] if e.get("opens_on") or e.get("closes_on")]
    assert dated and all(str(e.get("dates_source") or "").strip() for e in dated)


# -- nyengget sources check -----------------------------------------------------------------------
def test_sources_check_prints_findings_and_fails_on_nothing_usable(sources_file, tmp_path, capsys) -> None:
    snapshots = tmp_path / "snaps"
    _portal(snapshots / "2026-W48")
    _tkdd_source(sources_file)
    assert main(["sources", "check", "--replay", "2026-W48"]) == 0
    out = capsys.readouterr().out
    assert "tkdd [djpk_tkdd]" in out and "4 allocations" in out and "verdict: ok" in out
    _tkdd_source(sources_file, province="Papua")
    assert main(["sources", "check", "--replay", "2026-W48", "--source", "tkdd"]) == 1
    assert "NOTHING USABLE: province 'Papua' not in the portal's list" in capsys.readouterr().out


@pytest.fixture(autouse=True)
def _snapshots_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NYENGGET_SNAPSHOTS_DIR", str(tmp_path / "snaps"))
