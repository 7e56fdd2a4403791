"""Window, ceiling and applicant extraction on differently-structured pages and plain text."""

from __future__ import annotations

import json

import pytest

from nyengget.cli import main
from nyengget.sources.extract import extract_document, extract_text, parse_amount

BLOG = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Hibah Air Minum</title></head><body>
<nav class="menu"><a href="/">Beranda</a> Agenda 1 Desember 2026</nav>
<div class="post"><h1>Pembukaan Program Hibah Air Minum Perkotaan 2027</h1>
<div class="post-meta">Diposting 3 Februari 2026 oleh Admin</div>
<div class="entry-content"><p>Kementerian Keuangan membuka pendaftaran hibah berbasis keluaran.</p>
<p>Pendaftaran dibuka mulai 2 Februari 2026 dan surat minat disampaikan paling lambat 15 Maret 2026.</p>
<p>Nilai hibah paling banyak Rp2,5 miliar per daerah. Hibah diperuntukkan bagi pemerintah kabupaten/kota.</p>
</div></div><aside class="sidebar"><h3>Agenda</h3><p>Rapat 20 April 2026 s.d. 21 April 2026</p></aside>
<footer>Diperbarui 4 Februari 2026</footer></body></html>"""

TABLE_PAGE = """<html><body><table><tr><td class="judul"><b>PENGUMUMAN</b></td></tr>
<tr><td>Jakarta, 10 November 2026</td></tr>
<tr><td>Dalam rangka Penghargaan Wahana Tata Nugraha, pemerintah provinsi dan pemerintah kota dapat
mengajukan berkas. Jadwal: s.d. 22 Agustus 2027.<br>Total anggaran nasional Rp 1 triliun; hadiah
pembinaan sebesar Rp 750 juta untuk setiap kota terbaik.</td></tr></table></body></html>"""

PLAIN = """SIARAN PERS
Senin, 16 November 2026

Lomba Kelurahan Tangguh Bencana 2027 dibuka 1 - 31 Desember 2026. Penilaian lapangan 5 Januari 2027
s.d. 20 Januari 2027 dan pengumuman pemenang 1 Februari 2027. Peserta: Pemerintah Kabupaten/Kota,
tidak termasuk pemerintah provinsi. Dana pendamping minimal Rp 100 juta.
"""


FOUR = ("opens_on", "closes_on", "ceiling_idr", "recipient_levels")


def _four(got: dict) -> dict:
    return {k: got[k] for k in FOUR}


def test_blog_page_ignores_posted_dates_and_sidebar() -> None:
    got = extract_document(BLOG.encode())
    assert _four(got) == {"opens_on": "2026-02-02", "closes_on": "2026-03-15", "ceiling_idr": 2_500_000_000,
                          "recipient_levels": ["kabupaten", "kota"]}
    assert got["is_call"] and got["title"] == "Pembukaan Program Hibah Air Minum Perkotaan 2027"
    assert got["funding_type"] == "Hibah Daerah" and got["fiscal_year"] == 2027
    assert got["evidence"]["ceiling_idr"] == "Nilai hibah paling banyak Rp2,5 miliar per daerah."


def test_old_table_page_in_windows_1252() -> None:
    got = extract_document(TABLE_PAGE.encode("cp1252"))
    assert got["closes_on"] == "2027-08-22" and got["opens_on"] is None
    assert got["ceiling_idr"] == 750_000_000 and got["recipient_levels"] == ["provinsi", "kota"]


def test_plain_text_with_timeline_and_negation() -> None:
    got = extract_text(PLAIN)
    assert (got["opens_on"], got["closes_on"]) == ("2026-12-01", "2026-12-31")
    assert got["ceiling_idr"] is None and got["recipient_levels"] == ["kabupaten", "kota"]


def test_nothing_stated() -> None:
    got = extract_text("Diposting 3 Februari 2026. Menteri meresmikan jembatan di Kota Serang.")
    assert _four(got) == {"opens_on": None, "closes_on": None, "ceiling_idr": None, "recipient_levels": []}
    assert got["is_call"] is False


@pytest.mark.parametrize(("text", "scale", "value"), [
    ("2,5", "miliar", 2_500_000_000), ("750", "juta", 750_000_000), ("2.500.000.000,00", None, 2_500_000_000),
    ("1.5", "miliar", 1_500_000_000), ("750.000.000,-", None, 750_000_000)])
def test_amounts(text: str, scale: str | None, value: int) -> None:
    assert parse_amount(text, scale) == value


@pytest.mark.parametrize(("sentence", "closes"), [
    ("Usulan diterima s.d. 22 Agustus 2025.", "2025-08-22"),
    ("Batas akhir pengusulan tanggal 14/12/2026 pukul 16.00 WIB.", "2026-12-14"),
    ("Pendaftaran dibuka mulai 1 Oktober hingga 30 November 2026.", "2026-11-30"),
    ("Proposal dikirim selambat-lambatnya 9 Des 2026.", "2026-12-09")])
def test_closing_phrases(sentence: str, closes: str) -> None:
    assert extract_text(sentence)["closes_on"] == closes


def test_extract_cli(tmp_path, capsys) -> None:
    page = tmp_path / "pengumuman.html"
    page.write_bytes(BLOG.encode())
    assert main(["sources", "extract", str(page)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["closes_on"] == "2026-03-15" and out["is_call"] is True
    assert set(out) >= {"is_call", "title", "funding_type", "opens_on", "closes_on", "ceiling_idr",
                        "recipient_levels", "fiscal_year", "evidence"}
    assert "paling lambat 15 Maret 2026" in out["evidence"]["closes_on"]
    assert main(["sources", "extract", str(tmp_path / "missing.txt")]) == 2
