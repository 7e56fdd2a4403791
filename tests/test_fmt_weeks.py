from datetime import UTC, date, datetime

import pytest

from nyengget import fmt
from nyengget.weeks import parse_week, week_label, week_start


@pytest.mark.parametrize(
    ("amount", "text"),
    [(2_500_000_000, "Rp2,5 miliar"), (750_000_000, "Rp750 juta"), (1_250_000_000_000, "Rp1,25 triliun"),
     (15_000, "Rp15.000"), (None, "-")],
)
def test_rupiah_for_people(amount, text):
    assert fmt.rupiah(amount) == text


def test_indonesian_dates_and_days_left():
    assert fmt.tanggal(date(2026, 8, 22)) == "22 Agu 2026"
    assert fmt.tanggal(date(2026, 8, 22), long=True) == "22 Agustus 2026"
    assert fmt.sisa_hari(date(2026, 8, 22), date(2026, 8, 8)) == "ditutup 22 Agu 2026, 14 hari lagi"
    assert fmt.sisa_hari(date(2026, 8, 22), date(2026, 8, 22)).startswith("ditutup hari ini")
    assert "sudah lewat" in fmt.sisa_hari(date(2026, 8, 1), date(2026, 8, 8))
    assert fmt.sisa_hari(None, date(2026, 8, 8)) == "tanpa jendela usulan"


def test_iso_weeks_in_jakarta():
    assert parse_week("2026-W48") == date(2026, 11, 23)
    assert week_label(date(2026, 11, 16)) == "2026-W47"
    # Sunday 23:30 UTC is already Monday 06:30 in Jakarta: the next week.
    assert week_start(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == date(2026, 11, 23)
    with pytest.raises(ValueError, match="2026-48"):
        parse_week("2026-48")
