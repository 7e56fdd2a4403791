"""Alerts reach the data engineers as multipart emails: failed tasks and unhealthy sources."""

from __future__ import annotations

import email
import email.policy
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from nyengget.config import get_settings
from nyengget.orchestration.dag_support import AlertNotifier
from nyengget.pipeline.sources import SourceFailed, ingest_one
from nyengget.warehouse.db import get_engine
from nyengget.warehouse.schema import source_runs

W47 = date(2026, 11, 16)
SNAPSHOTS = Path(__file__).resolve().parent.parent / "include" / "snapshots"


def _alerts() -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(get_settings().outbox_dir.glob("*_alert_*.eml"))]


def test_a_failed_task_sends_one_multipart_alert():
    ti = SimpleNamespace(dag_id="nyengget_weekly", task_id="send_emails", run_id="scheduled__2026-11-23",
                         try_number=3, log_url="http://localhost:8080/dags/nyengget_weekly/runs/x")
    AlertNotifier().notify({"ti": ti, "exception": RuntimeError("3 email(s) failed")})
    (alert,) = _alerts()
    assert str(alert["Subject"]) == "[Nyengget ALERT] nyengget_weekly.send_emails failed"
    text = alert.get_body(("plain",)).get_content()
    assert "RuntimeError: 3 email(s) failed" in text and "scheduled__2026-11-23" in text
    assert "http://localhost:8080/dags/nyengget_weekly/runs/x" in alert.get_body(("html",)).get_content()


def _source(sources_file_path, monkeypatch, url: str) -> None:
    sources_file_path.write_text(
        f"sources:\n  - {{name: feed, adapter: announcements, urls: ['{url}'], min_delay_s: 0, "
        "options: {fetch: {retries: 0}}}\n", encoding="utf-8")
    monkeypatch.setenv("NYENGGET_SOURCES_FILE", str(sources_file_path))


def test_a_row_count_drop_alerts_and_zero_rows_fail_the_task(httpserver, tmp_path, monkeypatch):
    feed = SNAPSHOTS / "2026-W47/sehatnegeriku.kemkes.go.id/feed/index.html"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(feed.read_bytes(), content_type="application/rss+xml")
    httpserver.expect_request("/empty.xml").respond_with_data(
        "<?xml version='1.0'?><rss><channel></channel></rss>", content_type="application/rss+xml")
    with get_engine().begin() as conn:  # three good weeks of 20 rows each
        conn.execute(source_runs.insert(), [{"source": "feed", "week_start": W47 - timedelta(days=7 * i),
                                             "parsed": 20, "health": "ok"} for i in (1, 2, 3)])
    _source(tmp_path / "sources.yaml", monkeypatch, httpserver.url_for("/feed.xml"))
    summary = ingest_one("feed", W47)  # a handful of rows instead of ~20: alert, but the task succeeds
    assert summary["health"] == "unhealthy"
    (alert,) = _alerts()
    assert "feed" in str(alert["Subject"]) and "row count dropped" in alert.get_body(("plain",)).get_content()

    _source(tmp_path / "sources.yaml", monkeypatch, httpserver.url_for("/empty.xml"))
    with pytest.raises(SourceFailed, match="zero rows"):  # the task fails; its failure notifier alerts
        ingest_one("feed", W47 + timedelta(days=7))


def test_an_alert_still_goes_out_when_the_warehouse_is_down(monkeypatch):
    monkeypatch.setenv("NYENGGET_WAREHOUSE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    ti = SimpleNamespace(dag_id="nyengget_weekly", task_id="build_list", run_id="r1", try_number=1, log_url="")
    AlertNotifier().notify({"ti": ti, "exception": RuntimeError("warehouse down")})
    (alert,) = _alerts()
    assert "build_list failed" in str(alert["Subject"]) and alert["Message-ID"].endswith("@nyengget.local>")


def test_a_held_region_alerts_the_data_engineers_and_its_own_alert_addresses(monkeypatch):
    monkeypatch.setenv("NYENGGET_ALERT_EMAILS", "de@bappeda.example.go.id,data-engineer@bappeda.example.go.id")
    from nyengget.pipeline.weekly import hold_emails

    result = hold_emails(date(2026, 11, 23), "36.72", ["gate_weekly_rows"])
    alerts = _alerts()
    to = sorted(str(a["To"]) for a in alerts)  # the sample regions.yaml: Cilegon's own alert_emails
    assert to == sorted(["de@bappeda.example.go.id", "data-engineer@bappeda.cilegon.example.go.id",
                         "data-engineer@bappeda.example.go.id"])
    assert all("Kota Cilegon (36.72)" in str(a["Subject"]) and "2026-W48" in str(a["Subject"]) for a in alerts)
    assert result == {"held": True, "region_code": "36.72", "failed_gates": ["gate_weekly_rows"]}
    hold_emails(date(2026, 11, 23), "36.72", ["gate_weekly_rows"])  # a retry sends nothing twice
    assert len(_alerts()) == 3
