"""What an OPD's weekly email says, and when it is not sent at all."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, time, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import update

from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget.config import get_settings
from nyengget.notify import digest, reminders
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline.weekly import run_week
from nyengget.warehouse.schema import programmes
from nyengget.weekly import feedback
from nyengget.weeks import JAKARTA

W49 = W48 + timedelta(days=7)  # Monday 30 Nov 2026
W50 = W49 + timedelta(days=7)  # Monday 7 Dec 2026: first Monday of December
SENT_W49 = datetime.combine(date(2026, 12, 1), time(6), tzinfo=JAKARTA)  # a Tuesday: the send date


def at_six(monday: date) -> datetime:
    return datetime.combine(monday, time(6), tzinfo=JAKARTA)


def _emails(directory, kind="opd_digest"):
    out = {}
    for p in sorted(directory.glob(f"*{kind}*.eml")) if directory.exists() else []:
        m = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        out[str(m["To"])] = m
    return out


@pytest.fixture
def city(engine):
    """Dinkes: one programme closing 7 Dec fitting two innovations, one with no window and no ceiling.
    DLH: one programme with nothing happening. Both matched identically in W48 and W49."""
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serang.example.go.id")
    add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serang.example.go.id")
    add_innovation(engine, "I1", "Gardu Jaga", "DINKES")
    add_innovation(engine, "I2", "Posyandu Ceria", "DINKES")
    add_innovation(engine, "I3", "Bank Sampah", "DLH")
    add_programme(engine, "P1", "Hibah Air Limbah Setempat", week=W48, closes_on=date(2026, 12, 7),
                  opens_on=date(2026, 10, 1))
    add_programme(engine, "P2", "Bantuan Alat Posyandu", week=W48, ceiling_idr=None)
    add_programme(engine, "P3", "Bantuan TPS3R", week=W48, closes_on=date(2027, 6, 30))
    for week in (W48, W49):
        add_match(engine, week, "I1", "P1", 1)
        add_match(engine, week, "I2", "P1", 1)
        add_match(engine, week, "I2", "P2", 2, 0.6)
        add_match(engine, week, "I3", "P3", 1)
    return engine


def test_rebuilding_a_week_with_nothing_new_sends_no_digest_to_an_opd_with_nothing_to_act_on(city, tmp_path):
    first = tmp_path / "w48"
    run_week(city, W48, delivery=FileDelivery(first), sent_at=at_six(W48))
    assert set(_emails(first)) == {"dinkes@serang.example.go.id", "dlh@serang.example.go.id"}  # all new

    again = tmp_path / "w49"
    run_week(city, W49, delivery=FileDelivery(again), sent_at=SENT_W49)
    sent = _emails(again)
    assert "dlh@serang.example.go.id" not in sent  # nothing new, changed, closing or opening
    assert str(sent["dinkes@serang.example.go.id"]["Subject"]) == "[Nyengget] Dinkes: 1 segera ditutup (pekan 2026-W49)"
    assert len(_emails(again, "planner_summary")) == 1  # planners still get their summary


def test_each_programme_once_with_its_innovations_days_from_the_send_date(city, tmp_path):
    out = tmp_path / "out"
    run_week(city, W49, delivery=FileDelivery(out), sent_at=SENT_W49)
    m = _emails(out)["dinkes@serang.example.go.id"]
    text = m.get_body(("plain",)).get_content()
    html = m.get_body(("html",)).get_content()
    assert text.count("- Hibah Air Limbah Setempat") == 1
    assert "Cocok untuk 2 inovasi" in text and "Gardu Jaga" in text and "Posyandu Ceria" in text
    assert "6 hari lagi" in text  # 7 Dec counted from Tuesday 1 Dec, not from Monday 30 Nov
    schedule = next(line for line in text.splitlines() if "6 hari lagi" in line).split("Jadwal usulan: ")[1]
    assert f">{schedule}</span>" in html  # the HTML part shows the same schedule
    assert "kata cocok" not in text and "kata cocok" not in html
    assert parsedate_to_datetime(m["Date"]) == SENT_W49


def test_unknown_amounts_read_belum_diumumkan(city, tmp_path):
    out = tmp_path / "out"
    run_week(city, W48, delivery=FileDelivery(out), sent_at=at_six(W48))
    text = _emails(out)["dinkes@serang.example.go.id"].get_body(("plain",)).get_content()
    assert "pagu belum diumumkan" in text and "Rp0" not in text
    assert "jadwal belum diumumkan" in text  # P2: no window and no history


def test_the_monthly_reminder_brings_the_backlog(city, tmp_path):
    for week in (W50,):
        add_match(city, week, "I3", "P3", 1)
    run_week(city, W49, delivery=FileDelivery(tmp_path / "w49"), sent_at=SENT_W49)
    out = tmp_path / "w50"
    run_week(city, W50, delivery=FileDelivery(out), sent_at=at_six(W50))
    m = _emails(out)["dlh@serang.example.go.id"]
    assert str(m["Subject"]) == "[Nyengget] DLH: pengingat bulanan, 1 peluang menunggu keputusan (pekan 2026-W50)"
    assert "Menunggu keputusan" in m.get_body(("plain",)).get_content()


def test_a_forecast_opening_soon_is_worth_an_email(engine, tmp_path):
    add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serang.example.go.id")
    add_innovation(engine, "I3", "Bank Sampah", "DLH")
    for year, opens in ((2024, date(2024, 1, 26)), (2025, date(2025, 1, 27)), (2026, date(2026, 1, 28))):
        add_programme(engine, f"A{year}", f"Penghargaan Adipura {year}", fiscal_year=year, opens_on=opens,
                      closes_on=opens + timedelta(days=60), funding_type="Kompetisi/Penghargaan")
    add_programme(engine, "A2027", "Penghargaan Adipura 2027", fiscal_year=2027,
                  funding_type="Kompetisi/Penghargaan")
    for week in (W48, W49):
        add_match(engine, week, "I3", "A2027", 1)
    run_week(engine, W48, delivery=FileDelivery(tmp_path / "w48"), sent_at=at_six(W48))
    out = tmp_path / "w49"
    run_week(engine, W49, delivery=FileDelivery(out), sent_at=SENT_W49)
    m = _emails(out)["dlh@serang.example.go.id"]
    assert str(m["Subject"]) == "[Nyengget] DLH: 1 segera dibuka (pekan 2026-W49)"
    text = m.get_body(("plain",)).get_content()
    assert "perkiraan dibuka Januari 2027, berdasarkan 2024–2026 (keyakinan tinggi)" in text  # ~27 Jan: 57 days


def test_opening_soon_is_a_reason_to_send_when_it_comes_within_60_days_and_in_its_last_week():
    item = {"programme_id": "P", "innovation_id": "I", "score": 0.5, "rank": 1, "closes_on": None,
            "is_new": False, "is_changed": False, "review_status": "relevan"}
    def sends(opens_in_days: int) -> bool:
        sent_on = date(2026, 12, 1)
        g = digest.group_by_programme([{**item, "opens_on": sent_on + timedelta(days=opens_in_days)}], sent_on, 21)
        return any(digest._calls_for_action(s) for s in digest.sections_for(g, backlog=False))
    assert [sends(d) for d in (61, 60, 54, 53, 30, 8, 7, 1)] == [False, True, True, False, False, False, True, True]


def test_a_pursued_programme_that_disappears_is_shown_and_its_reminders_stop(city, tmp_path):
    feedback.record(city, feedback.Decision(W48, "I1", "P1", "sedang_diusulkan", "dinkes"))
    with city.begin() as conn:
        conn.execute(update(programmes).where(programmes.c.programme_id == "P1")
                     .values(status="disappeared", last_seen=W48))
    assert reminders.due(city, date(2026, 12, 1)).empty  # 6 days left, but gone: no reminder
    assert reminders.compose(city, date(2026, 12, 1), get_settings()) == []
    out = tmp_path / "out"
    run_week(city, W49, delivery=FileDelivery(out), sent_at=SENT_W49)
    text = _emails(out)["dinkes@serang.example.go.id"].get_body(("plain",)).get_content()
    assert "Tidak lagi tercantum di sumber (1)" in text
    assert "Terakhir terlihat: 23 November 2026; sumber: https://example.go.id/P1" in text
    summary = next(iter(_emails(out, "planner_summary").values())).get_body(("plain",)).get_content()
    assert "Hibah Air Limbah Setempat" in summary and "23 November 2026" in summary
