"""The weekly emails and Bappeda's report, rendered from a seeded week."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, time

import openpyxl
import pytest

from factories import W47, W48, add_innovation, add_match, add_opd, add_programme
from nyengget.config import get_settings
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline.weekly import run_week
from nyengget.weeks import JAKARTA


def sent(monday: date) -> datetime:
    """The weekly DAG's send time: Monday 06:00 WIB."""
    return datetime.combine(monday, time(6), tzinfo=JAKARTA)


EVIL = '<script>alert("x")</script>\r\nBcc: victim@example.com'


@pytest.fixture
def week(engine):
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id;kesmas@serangkota.example.go.id")
    add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id", paused=True)
    add_opd(engine, "DISHUB", "Dinas Perhubungan", "Dishub", "dishub@serangkota.example.go.id")
    add_innovation(engine, "I1", "Gardu Jaga", "DINKES")
    add_innovation(engine, "I2", "Bank Sampah", "DLH")
    add_programme(engine, "P1", "Hibah Air Limbah Setempat", opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 4))
    add_programme(engine, "P2", EVIL, ceiling_idr=750_000_000, funding_type="Bantuan Pemerintah")
    add_programme(engine, "P3", "Bantuan TPS3R", closes_on=date(2027, 2, 1))
    for w in (W47, W48):
        add_match(engine, w, "I1", "P1", 1)
        add_match(engine, w, "I1", "P2", 2, 0.7)
        add_match(engine, w, "I2", "P3", 1)
    return engine


def _messages(directory):
    return {p.name: email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(directory.glob("*.eml"))}


def test_one_multipart_email_per_address_of_each_active_opd_with_matches(week, tmp_path):
    result = run_week(week, W47, sent_at=sent(W47), delivery=FileDelivery(tmp_path / "out"))
    msgs = _messages(tmp_path / "out")
    opd = {n: m for n, m in msgs.items() if "_opd_" in n}
    assert sorted(str(m["To"]) for m in opd.values()) == ["dinkes@serangkota.example.go.id",
                                                          "kesmas@serangkota.example.go.id"]
    m = next(iter(opd.values()))
    assert str(m["Subject"]) == "[Nyengget] Dinkes: 1 baru, 1 segera ditutup (pekan 2026-W47)"
    html = m.get_body(("html",)).get_content()
    text = m.get_body(("plain",)).get_content()
    assert html.index("Segera ditutup") < html.index("Baru")
    assert "Rp2,5 miliar" in text and "4 Des 2026" in text and "Gardu Jaga" in text
    assert "https://example.go.id/P1" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Bcc" not in m.keys()
    summary = [m for n, m in msgs.items() if "summary" in n]
    assert len(summary) == 1
    attachments = [p.get_filename() for p in summary[0].iter_attachments()]
    assert attachments == ["nyengget-2026-W47.xlsx"]
    assert result.sent == 3 and result.failed == 0


def test_rerun_sends_nothing_and_resend_is_explicit(week, tmp_path):
    delivery = FileDelivery(tmp_path / "out")
    run_week(week, W47, sent_at=sent(W47), delivery=delivery)
    again = run_week(week, W47, sent_at=sent(W47), delivery=delivery)
    assert (again.queued, again.sent, again.already_sent) == (0, 0, 3)
    forced = run_week(week, W47, sent_at=sent(W47), delivery=delivery, resend=True)
    assert forced.sent == 3


def test_dry_run_renders_without_queueing_or_sending(week, tmp_path):
    result = run_week(week, W47, sent_at=sent(W47), dry_run=True, delivery=FileDelivery(tmp_path / "out"))
    assert result.sent == 0 and not (tmp_path / "out").exists()
    previews = list((get_settings().home / "preview" / "2026-W47").glob("*.eml"))
    assert len(previews) == 3


def test_workbook_cell_by_cell(week, tmp_path):
    result = run_week(week, W48, sent_at=sent(W48), delivery=FileDelivery(tmp_path / "out"))
    wb = openpyxl.load_workbook(result.xlsx)
    assert wb.sheetnames[0] == "Ringkasan"
    summary = wb["Ringkasan"]
    assert "2026-W48" in summary["A1"].value
    assert [c.value for c in summary[3]] == ["OPD", "Peluang", "Baru", "Berubah", "Segera ditutup", "Total pagu (Rp)"]
    assert summary.freeze_panes == "A4" and summary.auto_filter.ref
    sheet = wb["Dinas Kesehatan"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Peringkat", "Inovasi", "Program"]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["Pagu (Rp)"].value == 2_500_000_000 and "#,##0" in row["Pagu (Rp)"].number_format
    assert row["Ditutup"].value.date() == date(2026, 12, 4) and row["Ditutup"].is_date
    assert row["Sumber"].hyperlink.target == "https://example.go.id/P1"
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref.startswith("A1")


def test_html_report_has_the_three_charts(week, tmp_path):
    result = run_week(week, W48, sent_at=sent(W48), delivery=FileDelivery(tmp_path / "out"))
    html = result.html.read_text()
    assert html.count("data:image/png;base64,") == 3
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_an_opd_with_nothing_gets_nothing_unless_configured(week, tmp_path, monkeypatch):
    run_week(week, W47, sent_at=sent(W47), dry_run=True)
    previews = get_settings().home / "preview" / "2026-W47"
    assert not list(previews.glob("opd_digest_DISHUB_dishub*"))
    monkeypatch.setenv("NYENGGET_SEND_EMPTY", "true")
    run_week(week, W47, sent_at=sent(W47), dry_run=True)
    empty = list(previews.glob("opd_digest_DISHUB_dishub*"))
    assert len(empty) == 1 and "Tidak ada yang baru pekan ini" in empty[0].read_text()
