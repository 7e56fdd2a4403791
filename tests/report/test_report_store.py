"""Weekly reports through ObjectStoragePath: written once to the store, read from it by another worker."""

from __future__ import annotations

import email
import email.policy
import io
import os
import subprocess
import sys
from datetime import date, datetime, time

import openpyxl
import pytest
from sqlalchemy import select

from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget.config import get_settings
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline import weekly as jobs
from nyengget.pipeline.weekly import run_week
from nyengget.warehouse.db import make_engine, upgrade
from nyengget.warehouse.schema import outbox
from nyengget.weekly.build import build_week
from nyengget.weeks import JAKARTA


@pytest.fixture
def store(tmp_path, monkeypatch):
    root = tmp_path / "bucket" / "nyengget" / "reports"
    monkeypatch.setenv("NYENGGET_REPORTS_URL", f"file://{root}")
    return root


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    """A warehouse file both workers reach (as PostgreSQL would be in production)."""
    url = f"sqlite:///{tmp_path / 'shared-warehouse.sqlite'}"
    monkeypatch.setenv("NYENGGET_WAREHOUSE_URL", url)
    engine = make_engine(url)
    upgrade(engine)
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_innovation(engine, "I1", "Gardu Jaga", "DINKES")
    add_programme(engine, "P1", "Hibah Air Limbah Setempat", week=W48, opens_on=date(2026, 10, 1),
                  closes_on=date(2026, 12, 4))
    add_match(engine, W48, "I1", "P1")
    build_week(engine, W48)
    yield engine
    engine.dispose()


def _summary_attachment(engine) -> bytes:
    with engine.connect() as conn:
        raw = conn.execute(select(outbox.c.message).where(outbox.c.kind == "planner_summary")).scalar_one()
    msg = email.message_from_string(raw, policy=email.policy.default)
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == "nyengget-2026-W48.xlsx"
    return part.get_content()


def test_reports_are_written_to_the_store_not_the_home(warehouse, store, nyengget_home, tmp_path):
    result = run_week(warehouse, W48, sent_at=datetime.combine(W48, time(6), tzinfo=JAKARTA),
                      delivery=FileDelivery(tmp_path / "out"))
    assert str(result.xlsx) == f"file://{store}/nyengget-2026-W48.xlsx"
    assert sorted(p.name for p in store.iterdir()) == ["nyengget-2026-W48.html", "nyengget-2026-W48.xlsx"]
    assert not (nyengget_home / "reports").exists()
    stored = (store / "nyengget-2026-W48.xlsx").read_bytes()
    assert "Hibah Air Limbah Setempat" in (store / "nyengget-2026-W48.html").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(io.BytesIO(stored))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any("Hibah Air Limbah Setempat" in v for v in cells)
    assert _summary_attachment(warehouse) == stored


def test_another_worker_attaches_the_stored_report_without_rebuilding_it(warehouse, store, tmp_path):
    written = jobs.write_reports(W48)  # worker 1
    assert written == [f"file://{store}/nyengget-2026-W48.xlsx", f"file://{store}/nyengget-2026-W48.html"]
    xlsx = store / "nyengget-2026-W48.xlsx"
    before = xlsx.stat().st_mtime_ns, xlsx.read_bytes()
    other_home = tmp_path / "worker-2"
    env = {**os.environ, "NYENGGET_HOME": str(other_home)}
    code = "from datetime import date; from nyengget.pipeline import weekly; print(weekly.queue_emails(date(2026, 11, 23)))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "'queued': 2" in done.stdout  # the OPD's digest and the planners' summary
    assert (xlsx.stat().st_mtime_ns, xlsx.read_bytes()) == before  # read from the store, not rebuilt
    assert not (other_home / "reports").exists()
    assert _summary_attachment(warehouse) == before[1]


def test_reports_default_beside_the_raw_snapshots(monkeypatch):
    monkeypatch.setenv("NYENGGET_RAW_URL", "s3://bucket/nyengget/raw/")
    assert get_settings().reports_url == "s3://bucket/nyengget/reports"
    monkeypatch.setenv("NYENGGET_RAW_URL", "gs://bucket")
    assert get_settings().reports_url == "gs://bucket/reports"
    monkeypatch.setenv("NYENGGET_REPORTS_URL", "file:///srv/reports")
    assert get_settings().reports_url == "file:///srv/reports"
    monkeypatch.delenv("NYENGGET_RAW_URL")
    monkeypatch.delenv("NYENGGET_REPORTS_URL")
    assert get_settings().reports_url is None
