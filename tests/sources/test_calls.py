"""Calls read the way a planner reads them: windows vs events, extensions, the document's year, levels
in enumerations, national totals, evidence; call or news decided from the body; headlines; pagination."""

from __future__ import annotations

import json
from datetime import date

from pytest_httpserver import HTTPServer
from sqlalchemy import select

from nyengget.sources.adapters import announcements
from nyengget.sources.extract import document_date, extract_document, extract_text
from nyengget.sources.fetch import Response
from nyengget.sources.ingest import ingest_source
from nyengget.sources.pages import read_page
from nyengget.sources.registry import SourceConfig
from nyengget.sources.storage import sha256
from nyengget.warehouse.schema import news, programmes

SOURCE = SourceConfig("t", "announcements", ("https://x.go.id/",), "p",
                      {"ministry": "KemenX", "funding_type": "Bantuan Pemerintah"})


def _resp(body: str, url: str = "https://x.go.id/berita/1") -> Response:
    data = body.encode()
    return Response(url, "GET", 200, {"Content-Type": "text/html"}, data, sha256(data), "")


# -- windows, not events --------------------------------------------------------------------------
def test_event_periods_are_not_windows() -> None:
    text = ("Tim penilai melaksanakan verifikasi lapangan pada 3 - 14 Maret 2025.\n"
            "Asesmen dilakukan terhadap 90 proposal mulai 5 hingga 20 Juni 2025.\n"
            "Dengan ini kami mengundang Saudara untuk hadir dalam rapat pembahasan usulan pada:\n"
            "Hari, tanggal : Selasa-Kamis, 8-10 Juli 2025\n"
            "Penganugerahan dilaksanakan pada 1 Agustus 2025.\n"
            "Sosialisasi pengisian kuesioner dilakukan pada 12 Agustus 2025.")
    got = extract_text(text)
    assert (got["opens_on"], got["closes_on"], got["is_call"]) == (None, None, False)


def test_submission_window_among_event_dates() -> None:
    text = ("Jadwal lomba: pendaftaran peserta 2 s.d. 30 September 2025; penilaian dokumen 6 - 17 Oktober 2025; "
            "kunjungan lapangan 3 - 7 November 2025.")
    got = extract_text(text)
    assert (got["opens_on"], got["closes_on"]) == ("2025-09-02", "2025-09-30") and got["is_call"]
    assert "pendaftaran peserta" in got["evidence"]["closes_on"]


def test_extension_gives_the_new_deadline_and_keeps_the_old() -> None:
    text = "Batas akhir penyampaian usulan yang semula tanggal 12 Juni 2026 diperpanjang hingga 26 Juni 2026."
    got = extract_text(text)
    assert got["closes_on"] == "2026-06-26" and got["extended_from"] == "2026-06-12"
    other = extract_text("Registrasi peserta yang semula ditutup 4 Mei 2026 menjadi 18 Mei 2026.")
    assert other["closes_on"] == "2026-05-18" and other["extended_from"] == "2026-05-04"


def test_end_of_month_takes_the_documents_year() -> None:
    got = extract_text("Pengajuan proposal diperpanjang sampai akhir Februari.", published=date(2024, 1, 20))
    assert got["closes_on"] == "2024-02-29"


def test_relative_dates_take_the_year_of_the_document_not_the_largest_year() -> None:
    text = ("Bandung, 3 Maret 2025\nRencana Kegiatan DAK Fisik Tahun 2026 dan 2027\n"
            "10 April – M3 Mei : Pengusulan kegiatan melalui aplikasi\n")
    assert document_date(text) == date(2025, 3, 3)
    assert extract_text(text)["opens_on"] == "2025-04-10"


def test_call_decided_from_body_not_title() -> None:
    body = ("<html><head><title>Portal Resmi</title></head><body><div class='isi'><h3 class='title-berita'>"
            "Sosialisasi PPKD 2026, Kementerian Tegaskan Penjaringan Inovasi Resmi Dibuka</h3>"
            "<p>Penjaringan inovasi daerah melalui aplikasi resmi sudah dibuka sejak hari ini, Senin, 2 Maret 2026. "
            "Pemerintah daerah diminta segera menginput data.</p></div></body></html>")
    [record] = announcements.parse_detail(_resp(body), SOURCE).programmes
    assert record["title"].startswith("Sosialisasi PPKD 2026") and record["opens_on"] == "2026-03-02"
    evidence = json.loads(record["evidence"])
    assert "sudah dibuka" in evidence["opens_on"]


def test_award_news_is_news_not_a_programme() -> None:
    body = ("<html><head><title>Penghargaan Pembangunan Daerah Diraih Kota Contoh</title></head><body><article>"
            "<h1>Penghargaan Pembangunan Daerah Diraih Kota Contoh</h1><p>Menteri menyerahkan penghargaan kepada "
            "pemerintah daerah terbaik kategori provinsi, kabupaten, dan kota pada 12 Mei 2025. Penilaian dilakukan "
            "melalui verifikasi dokumen dan kunjungan lapangan pada 2 - 20 April 2025.</p></article></body></html>")
    parsed = announcements.parse_detail(_resp(body), SOURCE)
    assert not parsed.programmes
    [item] = parsed.news
    assert item["title"].startswith("Penghargaan Pembangunan") and item["recipient_levels"] == "provinsi;kabupaten;kota"


# -- levels and ceilings as written ---------------------------------------------------------------
def test_selain_itu_is_not_a_negation_and_enumerated_kota_counts() -> None:
    text = ("Penghargaan dibagi dalam tiga kategori, yaitu provinsi terbaik, kabupaten terbaik, kota terbaik.\n"
            "Selain itu kabupaten/kota yang belum terpilih dapat mengajukan diri.")
    assert extract_text(text)["recipient_levels"] == ["provinsi", "kabupaten", "kota"]
    assert extract_text("Peserta: pemerintah kabupaten/kota, kecuali pemerintah kota administrasi.")[
        "recipient_levels"] == ["kabupaten"]


def test_place_names_and_counts_of_laggards_are_not_levels() -> None:
    text = "Bupati menerima tamu di Kota Serang. Sebanyak 12 daerah (10 kabupaten dan 2 kota) belum melapor."
    assert extract_text(text)["recipient_levels"] == ["kabupaten"]  # "Bupati" names the level; places do not


def test_national_totals_are_never_a_ceiling() -> None:
    text = ("Hibah tahun anggaran 2026 dialokasikan sebesar Rp2.000.000.000.000,00 (dua triliun rupiah). "
            "Kategori kinerja air minum sebesar Rp500.000.000.000,00. Total anggaran nasional Rp 1 triliun.")
    assert extract_text(text)["ceiling_idr"] is None
    per = extract_text(text + " Nilai hibah paling banyak Rp 5 miliar per daerah.")
    assert per["ceiling_idr"] == 5_000_000_000 and "per daerah" in per["evidence"]["ceiling_idr"]


# -- pages ----------------------------------------------------------------------------------------
def test_headline_from_heading_when_title_is_the_site_name() -> None:
    html = ("<html><head><title>JIPP - Jaringan Inovasi</title></head><body><div class='menu'><a href='/'>Beranda"
            "</a></div><div class='konten'><h2 class='judul'>Pendaftaran Kompetisi Diperpanjang Hingga Akhir Juni</h2>"
            "<p class='tanggal'>Senin, 2 Juni 2025 - 10:00 WIB</p><p>Pendaftaran kompetisi yang semula ditutup 15 Juni "
            "2025 menjadi 30 Juni 2025 melalui laman resmi.</p></div></body></html>")
    page = read_page(html)
    assert page.title == "Pendaftaran Kompetisi Diperpanjang Hingga Akhir Juni" and page.title_source == "heading"
    got = extract_document(html.encode())
    assert got["closes_on"] == "2025-06-30" and got["is_call"] and got["fiscal_year"] == 2025


def test_og_title_comes_before_title_tag() -> None:
    html = ("<html><head><title>Berita | Kementerian</title><meta property='og:title' content='Pembukaan Lomba "
            "Inovasi 2026'></head><body><article><h1>Lain</h1><p>Isi berita yang cukup panjang.</p></article>"
            "</body></html>")
    assert read_page(html).title == "Pembukaan Lomba Inovasi 2026"


# -- the adapter over real HTTP: every article link, bounded pagination, news kept ----------------
LISTING = """<html><body><nav class="menu"><a href="/profil/visi-misi-dan-tujuan">Visi Misi dan Tujuan</a></nav>
<div class="list-berita">{items}</div><ul class="pagination"><li>{here}</li>{more}</ul></body></html>"""
ITEM = '<div class="item"><h3><a href="{href}">{text}</a></h3></div>'
CALL = ("<html><body><article><h1>Sosialisasi KIPP 2027 Digelar</h1><p>Pengajuan proposal KIPP 2027 oleh pemerintah "
        "provinsi dan kabupaten/kota dibuka 1 - 28 Februari 2027 melalui aplikasi resmi.</p></article></body></html>")
NEWS = ("<html><body><article><h1>Menteri Menyerahkan Penghargaan Kepada Pemenang</h1><p>Penghargaan diserahkan "
        "kepada para pemenang pada malam penganugerahan 2 Desember 2026 di Jakarta.</p></article></body></html>")


def test_listing_pagination_and_news_over_http(httpserver: HTTPServer, sources_file, engine) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")
    httpserver.expect_request("/berita", query_string="").respond_with_data(LISTING.format(
        items=ITEM.format(href="/berita/menteri-menyerahkan-penghargaan", text="Menteri Menyerahkan Penghargaan"),
        here="1", more='<li><a href="/berita?page=2">2</a></li>'), content_type="text/html")
    httpserver.expect_request("/berita", query_string="page=2").respond_with_data(LISTING.format(
        items=ITEM.format(href="/berita/sosialisasi-kipp-2027", text="Sosialisasi KIPP 2027 Digelar")
        + ITEM.format(href="/berita/artikel-yang-sudah-dihapus", text="Artikel Yang Sudah Dihapus"),
        here="2", more=""), content_type="text/html")
    httpserver.expect_request("/berita/sosialisasi-kipp-2027").respond_with_data(CALL, content_type="text/html")
    httpserver.expect_request("/berita/menteri-menyerahkan-penghargaan").respond_with_data(NEWS,
                                                                                            content_type="text/html")
    httpserver.expect_request("/berita/artikel-yang-sudah-dihapus").respond_with_data("gone", status=404)
    sources_file(f"""sources:
  - name: ann_test
    adapter: announcements
    urls: ["{httpserver.url_for('/berita')}"]
    pool: p
    min_delay_s: 0
    required: [title, funding_type]
    options: {{ministry: KemenPANRB, funding_type: Bantuan Pemerintah}}
""")
    row = ingest_source(engine, "ann_test", date(2026, 11, 16))
    assert not row["failed"] and row["errors"] == 0, row["message"]
    with engine.connect() as conn:
        progs = conn.execute(select(programmes.c.title, programmes.c.opens_on, programmes.c.closes_on,
                                    programmes.c.funding_type, programmes.c.evidence)).all()
        items = conn.execute(select(news.c.title, news.c.source)).all()
    assert [(p.title, p.opens_on, p.closes_on) for p in progs] == [
        ("Sosialisasi KIPP 2027 Digelar", date(2027, 2, 1), date(2027, 2, 28))]
    assert progs[0].funding_type == "Kompetisi/Penghargaan"
    assert "dibuka 1 - 28 Februari 2027" in json.loads(progs[0].evidence)["closes_on"]
    assert [(n.title, n.source) for n in items] == [("Menteri Menyerahkan Penghargaan Kepada Pemenang", "ann_test")]


def test_listing_links_skip_menus_and_short_links() -> None:
    html = LISTING.format(items=ITEM.format(href="/berita/a-b-c", text="Judul Berita Panjang")
                          + ITEM.format(href="/lain", text="Selengkapnya"), here="1", more="")
    assert announcements.listing_links(_resp(html, "https://x.go.id/berita"), SOURCE) == ["https://x.go.id/berita/a-b-c"]


def test_page_wide_category_classes_do_not_hide_article_links() -> None:
    html = ('<html><body class="archive category"><main><article class="post"><h2 class="entry-title">'
            '<a href="/2026/01/lomba-inovasi-daerah-dibuka/">Lomba Inovasi Daerah Dibuka</a></h2></article>'
            '</main></body></html>')
    assert announcements.listing_links(_resp(html, "https://x.go.id/category/berita/"), SOURCE) == [
        "https://x.go.id/2026/01/lomba-inovasi-daerah-dibuka/"]


def test_dari_menjadi_and_added_time_are_extensions() -> None:
    got = extract_text("Panitia memperpanjang waktu pendaftaran, dari tanggal 9 Januari 2026 menjadi 23 Januari 2026.")
    assert (got["closes_on"], got["extended_from"]) == ("2026-01-23", "2026-01-09")
    text = ("Penginputan data semula akan ditutup pada tanggal 4 Juni 2026. Karena animo tinggi, panitia menambah "
            "waktu pelaporan hingga Jumat 19 Juni 2026.")
    assert extract_text(text)["closes_on"] == "2026-06-19"


def test_a_window_reported_after_it_closed_is_not_a_call() -> None:
    past = extract_text("Hingga batas akhir pendaftaran pada 12 Maret 2026 lalu, 900 peserta telah mendaftar.")
    assert past["closes_on"] == "2026-03-12" and past["is_call"] is False
    later = extract_text("Pendaftaran lomba ditutup 12 Maret 2026.", published=date(2026, 4, 2))
    assert later["is_call"] is False
    assert extract_text("Pendaftaran lomba ditutup 12 Maret 2026.", published=date(2026, 3, 1))["is_call"]


def test_city_datelines_and_not_sentences_give_the_document_date() -> None:
    assert document_date("SEMARANG (HUMAS), Senin, 3 Mei 2021 - Isi berita") == date(2021, 5, 3)
    assert document_date("Rapat kerja dimulai pada Selasa, 4 November 2025 di Jakarta.") is None


def test_downloads_on_a_listing_are_not_articles() -> None:
    html = LISTING.format(items=ITEM.format(href="/files/surat-edaran-pengusulan-2026.pdf", text="Surat Edaran Pengusulan 2026"),
                          here="1", more="")
    assert announcements.listing_links(_resp(html, "https://x.go.id/berita"), SOURCE) == []
    pdf = Response("https://x.go.id/a", "GET", 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 ...", "x", "")
    assert announcements.parse_detail(pdf, SOURCE).rows == 0 and not announcements.parse_detail(pdf, SOURCE).news


def test_upload_deadline_is_not_a_posted_date() -> None:
    got = extract_text("Surat rekomendasi gubernur wajib diunggah paling lambat 30 Juni 2026.\nDiunggah 2 Juni 2026")
    assert got["closes_on"] == "2026-06-30"


def test_next_listing_page() -> None:
    wp = ('<html><body><nav class="navigation pagination"><span class="current">1</span>'
          '<a class="page-numbers" href="/berita/page/2/">2</a><a class="next page-numbers" href="/berita/page/2/">'
          'Berikutnya »</a></nav></body></html>')
    assert announcements.next_page(_resp(wp, "https://x.go.id/berita/"), {"https://x.go.id/berita/"}) == \
        "https://x.go.id/berita/page/2/"
    rel = '<html><head><link rel="next" href="?start=10"></head><body></body></html>'
    assert announcements.next_page(_resp(rel, "https://x.go.id/site/berita"), set()) == "https://x.go.id/site/berita?start=10"
    last = '<html><body><ul class="pagination"><li><a href="?page=1">1</a></li><li>2</li></ul></body></html>'
    assert announcements.next_page(_resp(last, "https://x.go.id/berita?page=2"), {"https://x.go.id/berita?page=2"}) is None


def test_extension_is_in_the_change_note(httpserver: HTTPServer, sources_file, engine) -> None:
    from nyengget.warehouse.schema import programme_versions

    page = ("<html><body><article><h1>Pengajuan Proposal KIPP 2027 Diperpanjang</h1><p>Batas waktu pengajuan "
            "proposal yang semula ditutup tanggal 2 Mei 2027, diperpanjang sampai tanggal 9 Mei 2027.</p>"
            "</article></body></html>")
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")
    httpserver.expect_request("/berita").respond_with_data(LISTING.format(
        items=ITEM.format(href="/berita/kipp-diperpanjang", text="Pengajuan Proposal KIPP 2027 Diperpanjang"),
        here="1", more=""), content_type="text/html")
    httpserver.expect_request("/berita/kipp-diperpanjang").respond_with_data(page, content_type="text/html")
    sources_file(f"""sources:
  - name: ann_ext
    adapter: announcements
    urls: ["{httpserver.url_for('/berita')}"]
    pool: p
    min_delay_s: 0
    options: {{ministry: KemenPANRB}}
""")
    assert not ingest_source(engine, "ann_ext", date(2026, 11, 16))["failed"]
    with engine.connect() as conn:
        notes = conn.execute(select(programme_versions.c.change_note)).scalars().all()
        closes = conn.execute(select(programmes.c.closes_on)).scalars().all()
    assert closes == [date(2027, 5, 9)] and notes == ["program baru; batas usulan diperpanjang (semula 2 Mei 2027)"]


def test_a_label_block_names_the_date_below_it() -> None:
    html = ("<html><body><article><h1>Pengumuman Hibah Sarana Air Bersih 2027</h1><p>Kementerian membuka hibah "
            "sarana air bersih bagi pemerintah kabupaten.</p><dl><dt>Batas Waktu Pengusulan</dt><dd>15 Januari 2027"
            "</dd><dt>Verifikasi</dt><dd>1 - 12 Februari 2027</dd></dl></article></body></html>")
    got = extract_document(html.encode())
    assert got["closes_on"] == "2027-01-15" and got["opens_on"] is None and got["is_call"]


def test_the_page_declared_date_comes_first() -> None:
    html = ('<html><body><article><h1>Hasil Seleksi Administrasi Lomba 2022</h1><dl class="article-info"><dd>'
            '<time datetime="2022-04-28">28 April 2022</time></dd></dl><p>Pengumuman tertanggal 27 April 2022 '
            'memuat hasil seleksi.</p></article><aside><time datetime="2022-04-20">20 April</time></aside></body></html>')
    assert read_page(html).published == date(2022, 4, 28)


def test_an_invitation_to_report_now_is_a_call() -> None:
    got = extract_text("Pemerintah daerah diminta segera melaporkan inovasinya melalui aplikasi indeks inovasi daerah.")
    assert got["is_call"] and got["evidence"]["is_call"].startswith("Pemerintah daerah diminta")
    assert not extract_text("Sebanyak 165 kabupaten/kota telah diundang mengisi kuesioner tahun lalu.")["is_call"]
