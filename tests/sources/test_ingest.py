"""Ingestion end to end through the replay server, health, idempotency, reparse, source failures."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from nyengget.sources.fetch import FetchPolicy
from nyengget.sources.ingest import ingest_source, ingest_week, reparse
from nyengget.sources.registry import list_sources
from nyengget.sources.replay import serve
from nyengget.warehouse.schema import (
    programme_versions,
    programmes,
    quarantine,
    regulations,
    source_runs,
    tkdd_allocations,
)
from nyengget.weeks import parse_week

SNAPSHOTS = Path(__file__).resolve().parents[2] / "include" / "snapshots"

W47, W48 = parse_week("2026-W47"), parse_week("2026-W48")


def _both_weeks(engine) -> list[dict]:
    results = []
    for label, week in (("2026-W47", W47), ("2026-W48", W48)):
        with serve(SNAPSHOTS / label) as base_url:
            results += ingest_week(engine, week, base_url=base_url)
    return results


def _count(conn, table, *where) -> int:
    return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_two_weeks_end_to_end(any_engine) -> None:
    results = _both_weeks(any_engine)
    assert not any(r["failed"] for r in results), [r["message"] for r in results if r["failed"]]
    with any_engine.connect() as conn:
        assert _count(conn, programmes) >= 100
        adapters = {s.name: s.adapter for s in list_sources()}
        sources = conn.execute(select(programmes.c.source).distinct()).scalars().all()
        assert len({adapters[s] for s in sources}) >= 4
        assert _count(conn, source_runs) == 2 * len(adapters)
        changed = dict(conn.execute(select(programme_versions.c.programme_id, programme_versions.c.changed_fields)
                                    .where(programme_versions.c.version > 1)).all())
        notes = conn.execute(select(programme_versions.c.change_note).where(programme_versions.c.version > 1)
                             ).scalars().all()
        gone = conn.execute(select(programmes.c.programme_id).where(programmes.c.status == "disappeared")).scalars().all()
        new_w2 = conn.execute(select(programmes.c.programme_id).where(programmes.c.first_seen == W48)).scalars().all()
        assert _count(conn, regulations) >= 15 and _count(conn, tkdd_allocations) == 36  # 18 per region
        per_region = dict(conn.execute(select(tkdd_allocations.c.region_code, tkdd_allocations.c.djpk_code)
                                       .distinct()).all())
        assert per_region == {"36.73": "28.07", "36.72": "28.05"}  # each region's own history, by its name
    assert "batas usulan dimajukan dari 15 Des ke 8 Des" in notes
    assert "pagu naik dari Rp2 miliar ke Rp2,5 miliar" in notes
    assert sorted(set(changed.values())) == ["ceiling_idr", "closes_on"]  # the cosmetic re-layout made none
    assert len(gone) == 1 and "tpbis" in gone[0]
    assert any("sanimas" in p for p in new_w2)


def test_rerun_and_reparse_are_idempotent(engine) -> None:
    _both_weeks(engine)

    def state() -> tuple:
        with engine.connect() as conn:
            return (_count(conn, programmes), _count(conn, programme_versions),
                    _count(conn, programmes, programmes.c.status == "disappeared"), _count(conn, source_runs))

    before = state()
    with serve(SNAPSHOTS / "2026-W48") as base_url:
        rerun = ingest_week(engine, W48, base_url=base_url)
    assert state() == before
    assert sum(r["not_modified"] for r in rerun) > 0  # conditional GET: unchanged pages are not re-parsed
    assert [r["health"] for r in rerun if r["source"] == "ann_kemensos"] == ["ok"]  # same verdict as first run
    results = reparse(engine)  # from raw snapshots only, no server running
    assert len(results) == 2 * len(list_sources()) and state() == before


def test_broken_source_does_not_stop_others_or_mark_disappeared(engine, httpserver, sources_file) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/ok/feed.xml").respond_with_data(
        (SNAPSHOTS / "2026-W47/sehatnegeriku.kemkes.go.id/feed/index.html").read_bytes(), content_type="application/rss+xml")
    httpserver.expect_request("/broken/feed.xml").respond_with_data("oops", status=500)
    sources_file(f"""sources:
  - {{name: good, adapter: announcements, urls: ["{httpserver.url_for('/ok/feed.xml')}"], options: {{ministry: Kemenkes}}}}
  - {{name: flaky, adapter: announcements, urls: ["{httpserver.url_for('/ok/feed.xml')}"]}}
""")
    policy = FetchPolicy(retries=1, backoff_factor=0.01, min_delay_s=0, read_timeout=2)
    ingest_week(engine, W47, policy=policy)
    sources_file(f"""sources:
  - {{name: good, adapter: announcements, urls: ["{httpserver.url_for('/ok/feed.xml')}"], options: {{ministry: Kemenkes}}}}
  - {{name: flaky, adapter: announcements, urls: ["{httpserver.url_for('/broken/feed.xml')}"]}}
""")
    results = {r["source"]: r for r in ingest_week(engine, W48, policy=policy)}
    assert results["flaky"]["failed"] and results["flaky"]["health"] == "unhealthy"
    assert results["flaky"]["errors"] == 1 and "HTTP 500" in results["flaky"]["message"]
    assert not results["good"]["failed"] and results["good"]["health"] == "no_change"
    with engine.connect() as conn:
        assert _count(conn, programmes, programmes.c.status == "disappeared") == 0
        row = conn.execute(select(source_runs).where(source_runs.c.source == "flaky",
                                                     source_runs.c.week_start == W48)).one()
        assert row.health == "unhealthy" and row.errors == 1


def test_zero_rows_drop_and_truncated_pdf_are_unhealthy(engine, httpserver, sources_file) -> None:
    pdf = SNAPSHOTS / "2026-W47/peraturan.bpk.go.id/Download/350012/Perpres Nomor 12 Tahun 2026.pdf"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/full.pdf").respond_with_data(pdf.read_bytes(), content_type="application/pdf")
    httpserver.expect_request("/cut.pdf").respond_with_data(pdf.read_bytes()[:5000], content_type="application/pdf")
    httpserver.expect_request("/empty.xml").respond_with_data("<?xml version='1.0'?><rss><channel></channel></rss>",
                                                              content_type="application/rss+xml")
    sources_file(f"""sources:
  - {{name: menus, adapter: juknis_pdf, urls: ["{httpserver.url_for('/full.pdf')}"]}}
  - {{name: feed, adapter: announcements, urls: ["{httpserver.url_for('/empty.xml')}"]}}
""")
    policy = FetchPolicy(retries=0, min_delay_s=0)
    first = {r["source"]: r for r in ingest_week(engine, W47, policy=policy)}
    assert first["feed"]["health"] == "unhealthy" and "zero rows" in first["feed"]["message"]
    sources_file(f"""sources:
  - {{name: menus, adapter: juknis_pdf, urls: ["{httpserver.url_for('/cut.pdf')}"]}}
""")
    cut = ingest_source(engine, "menus", W48, policy=policy)
    assert cut["failed"] and cut["errors"] >= 1 and "PDF" in cut["message"]
    with engine.connect() as conn:
        assert _count(conn, programmes, programmes.c.status == "active") == 70  # nothing lost, none disappeared


def test_bad_rows_go_to_quarantine_with_snapshot_sha(any_engine, httpserver, sources_file, tmp_path) -> None:
    cal = tmp_path / "cal.yaml"
    cal.write_text("""entries:
  - {key: a, title: Pengusulan DAK Fisik TA 2027, funding_type: DAK Fisik, fiscal_year: 2027, recipient_levels: [kota]}
  - {key: b, title: Salah, funding_type: Hibah Luar Negeri, fiscal_year: 2027}
  - {key: c, title: Tutup sebelum buka, funding_type: Hibah Daerah, opens_on: 2026-12-10, closes_on: 2026-12-01,
     dates_source: surat X}
""")
    sources_file(f"sources:\n  - {{name: cal, adapter: curated, urls: ['{cal}']}}\n")
    row = ingest_source(any_engine, "cal", W47)
    assert row["quarantined"] == 2 and row["parsed"] == 1
    with any_engine.connect() as conn:
        rows = conn.execute(select(quarantine).order_by(quarantine.c.row_number)).all()
    assert [(r.kind, r.field) for r in rows] == [("programme", "funding_type"), ("programme", "closes_on")]
    assert all(r.raw_sha256 and r.reason_id and r.reason_en and r.week_start == W47 for r in rows)
    assert json.loads(rows[0].raw)["title"] == "Salah"
    ingest_source(any_engine, "cal", W47)
    with any_engine.connect() as conn:
        assert _count(conn, quarantine) == 2  # rerun replaces, never duplicates
