"""Adapter parsers on recorded fixtures and on broken documents (truncated PDF, odd XLSX, cp1252, bad HTML)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from nyengget.sources.adapters import announcements, juknis_pdf, regulations, tables
from nyengget.sources.adapters.djpk_tkdd import parse_table
from nyengget.sources.fetch import Response
from nyengget.sources.registry import SourceConfig
from nyengget.sources.storage import sha256

SNAPSHOTS = Path(__file__).resolve().parents[2] / "include" / "snapshots"

W47 = SNAPSHOTS / "2026-W47"
SOURCE = SourceConfig("t", "announcements", ("https://x.go.id/",), "p", {"ministry": "KemenX"})


def _resp(path: Path | bytes, url: str = "https://x.go.id/doc", ctype: str = "") -> Response:
    body = path if isinstance(path, bytes) else path.read_bytes()
    return Response(url, "GET", 200, {"Content-Type": ctype}, body, sha256(body), "2026-11-16T00:00:00")


JUKNIS = W47 / "peraturan.bpk.go.id/Download/350012/Perpres Nomor 12 Tahun 2026.pdf"


def test_juknis_pdf_fixture() -> None:
    parsed = juknis_pdf.parse_pdf(_resp(JUKNIS), {})
    menus = [p for p in parsed.programmes if p["menu"]]
    assert len(menus) == 52 and not parsed.errors
    sma = next(p for p in menus if p["menu"] == "Sarana Prasarana SMA")
    assert (sma["bidang"], sma["subbidang"], sma["fiscal_year"]) == ("Pendidikan", "Subbidang SMA", 2027)
    assert sma["legal_basis"] == "Peraturan Presiden Nomor 12 Tahun 2026" and sma["description"].startswith("membiayai")
    assert parsed.programmes[0]["title"] == "Petunjuk Teknis DAK Fisik Bidang Pendidikan TA 2027"


def test_truncated_pdf_is_an_error_not_a_crash() -> None:
    pdf = JUKNIS.read_bytes()
    parsed = juknis_pdf.parse_pdf(_resp(pdf[: len(pdf) // 3]), {})
    assert parsed.errors and not parsed.programmes


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["RINCIAN DAK NONFISIK"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_with_renamed_and_extra_columns() -> None:
    body = _xlsx(["Kode", "Jenis Dana", "Catatan Internal", "Deskripsi", "Kementerian/Lembaga", "TA", "Penerima",
                  "Mulai", "Selesai", "Alokasi (Rp)", "Kolom Baru"],
                 [["01", "BOK Puskesmas", "x", "Operasional puskesmas", "Kemenkes", 2027, "Kab/Kota",
                   datetime(2027, 1, 4), datetime(2027, 3, 12), "1.500.000.000", "y"]])
    parsed = tables.parse_xlsx(_resp(body), {})
    assert not parsed.errors
    [row] = parsed.programmes
    assert row["title"] == "DAK Non-Fisik BOK Puskesmas" and row["ministry"] == "Kemenkes"
    assert row["closes_on"] == "2027-03-12" and row["ceiling_idr"] == "1500000000" and row["fiscal_year"] == 2027


def test_xlsx_without_recipient_column_is_reported() -> None:
    body = _xlsx(["No", "Jenis DAK Nonfisik", "Uraian", "Tahun Anggaran"], [[1, "BOK", "x", 2027]])
    parsed = tables.parse_xlsx(_resp(body), {})
    assert parsed.errors and "recipient_levels" in parsed.errors[0] and not parsed.programmes


def test_not_an_xlsx() -> None:
    parsed = tables.parse_xlsx(_resp(b"<html>Login</html>"), {})
    assert parsed.errors and "not a readable XLSX" in parsed.errors[0]


def test_windows_1252_page_without_charset_header() -> None:
    body = ("<html><head><title>x</title></head><body><h1>Pembukaan Pendaftaran Bantuan Pemerintah Rambu Jalan</h1>"
            "<p>“PENGUMUMAN” – usulan disampaikan paling lambat 31 Oktober 2026 oleh pemerintah kabupaten/kota.</p>"
            "</body></html>").encode("cp1252")
    resp = _resp(body, "https://x.go.id/pengumuman/read/x", "text/html")
    assert "“PENGUMUMAN”" in resp.text
    record = announcements.parse_detail(resp, SOURCE).programmes[0]
    assert record["title"].startswith("Bantuan Pemerintah Rambu Jalan") and record["closes_on"] == "2026-10-31"


def test_mislabelled_utf8_header_on_cp1252_bytes() -> None:
    body = "<html><body><h1>Bantuan – “Sarpras”</h1><p>Paling lambat 15 Desember 2026.</p></body></html>"
    resp = _resp(body.encode("cp1252"), ctype="text/html; charset=utf-8")
    assert "– “Sarpras”" in resp.text


def test_malformed_html_still_parses() -> None:
    body = (b"<html><head><title>x</title><body><div class='entry-content'><h1>Pendaftaran Bantuan Pemerintah "
            b"Sarana Olahraga TA 2027<p>Pendaftaran dibuka mulai 1 Desember 2026 <b>dan usulan disampaikan paling "
            b"lambat 15 Januari 2027<p>Bantuan paling banyak Rp 750 juta per kabupaten/kota.<td><tr></table>"
            b"<p>Peserta adalah pemerintah kabupaten/kota.")
    [record] = announcements.parse_detail(_resp(body), SOURCE).programmes
    assert (record["opens_on"], record["closes_on"], record["ceiling_idr"]) == ("2026-12-01", "2027-01-15", 750_000_000)
    assert record["recipient_levels"] == "kabupaten;kota" and record["fiscal_year"] == 2027


def test_listing_follows_every_article_link() -> None:
    page = W47 / "pu.go.id/berita/kanal"
    links = announcements.listing_links(_resp(page, "https://pu.go.id/berita/kanal", "text/html"), SOURCE)
    assert all(link.startswith("https://pu.go.id/berita/") for link in links)
    news = [link for link in links if "menteri-meninjau" in link or "rapat-koordinasi" in link]
    assert len(news) == 2 and len(links) >= 10  # calls and news alike: the body decides, not the link text


def test_wordpress_feed_fixture() -> None:
    feed = W47 / "sehatnegeriku.kemkes.go.id/feed/index.html"
    parsed = announcements.parse_feed(_resp(feed, "https://sehatnegeriku.kemkes.go.id/feed/", "application/rss+xml"),
                                      SOURCE)
    titles = [p["title"] for p in parsed.programmes]
    assert len(titles) == 3 and any("Swasti Saba" in t for t in titles)
    assert [n["title"] for n in parsed.news] == ["Menteri Meninjau Progres Pembangunan Infrastruktur di Banten",
                                                 "Rapat Koordinasi Nasional Tahun 2026"]  # kept as news


def test_bpk_detail_page_gives_regulation_and_programme() -> None:
    page = next((W47 / "peraturan.bpk.go.id/Details").rglob("kmk-no-389-tahun-2026"))
    parsed = regulations.parse_detail(_resp(page, "https://peraturan.bpk.go.id/Details/330389/kmk-no-389-tahun-2026"),
                                      {})
    [reg] = parsed.regulations
    assert (reg["jenis"], reg["nomor"], reg["tahun"], reg["status"]) == ("KMK", "389", 2026, "Berlaku")
    assert reg["judul"].startswith("Rincian Alokasi Insentif Fiskal")  # "Keputusan ... (KMK) Nomor ... tentang" gone
    assert reg["tanggal_penetapan"] and reg["pdf_url"].startswith("https://peraturan.bpk.go.id/Download/")
    [prog] = parsed.programmes
    assert prog["funding_type"] == "Insentif Fiskal" and prog["legal_basis"] == "KMK Nomor 389 Tahun 2026"
    assert prog["description"].startswith("bahwa")  # the ABSTRAK card, found by its heading


def test_djpk_fixture_table() -> None:
    page = W47 / "djpk.kemenkeu.go.id/portal/data/tkdd@tahun=2026&provinsi=28&pemda=07"
    parsed = parse_table(_resp(page, "https://djpk.kemenkeu.go.id/portal/data/tkdd?tahun=2026&provinsi=28&pemda=07"),
                         2026, "Kota Serang", ("28", "07"))
    assert len(parsed.allocations) == 6 and not parsed.errors
    dak = next(a for a in parsed.allocations if a["kodeakun"] == "1.3")
    assert dak["parent"] == "Transfer ke Daerah" and dak["djpk_code"] == "28.07"
    assert dak["anggaran"] == 50_100_000_000 and dak["anggaran"] > dak["realisasi"] > 0
