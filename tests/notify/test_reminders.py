from datetime import date

from factories import W47, add_innovation, add_opd, add_programme
from nyengget.config import get_settings
from nyengget.notify import outbox, reminders
from nyengget.notify.delivery import FileDelivery
from nyengget.weekly import feedback


def test_stage_boundaries():
    assert [reminders.stage(d) for d in (20, 15, 14, 4, 3, 0, -1)] == [None, None, 14, 14, 3, 3, None]


def _seed(engine):
    add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id", paused=True)
    add_innovation(engine, "I1", "Gardu Jaga", "DINKES")
    add_innovation(engine, "I2", "Bank Sampah", "DLH")
    add_programme(engine, "P1", "Hibah Air Limbah", closes_on=date(2026, 12, 15))
    add_programme(engine, "P2", "Bantuan TPS3R", closes_on=date(2026, 12, 15))
    add_programme(engine, "P3", "DAK Sanitasi", closes_on=date(2026, 12, 15))
    feedback.record(engine, feedback.Decision(W47, "I1", "P1", "sedang_diusulkan", "dinkes"))
    feedback.record(engine, feedback.Decision(W47, "I2", "P2", "sedang_diusulkan", "dlh"))
    feedback.record(engine, feedback.Decision(W47, "I1", "P3", "relevan", "dinkes"))


def _send(engine, day, delivery):
    outbox.queue(engine, reminders.compose(engine, day, get_settings()))
    return outbox.send_pending(engine, delivery).sent


def test_pursued_items_get_one_reminder_at_14_and_one_at_3_days(engine, tmp_path):
    _seed(engine)
    delivery = FileDelivery(tmp_path / "out")
    assert _send(engine, date(2026, 11, 20), delivery) == 0  # 25 days left: nothing yet
    assert _send(engine, date(2026, 12, 1), delivery) == 1  # 14 days: P1 only (P2's OPD paused, P3 not pursued)
    assert _send(engine, date(2026, 12, 2), delivery) == 0  # the next day: already reminded
    assert _send(engine, date(2026, 12, 13), delivery) == 1  # 2 days left: the 3-day reminder (catch-up)
    assert _send(engine, date(2026, 12, 14), delivery) == 0
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == 2 and all("P1" in f for f in files)
    text = (tmp_path / "out" / files[0]).read_text()
    assert "Hibah Air Limbah" in text and "Gardu Jaga" in text
