"""The report's charts: readable PNGs whose size follows the data and whose colours say what is urgent."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from PIL import Image

from nyengget.report import charts

W48 = date(2026, 11, 23)
RED = (0xC0, 0x39, 0x2B)


def image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png)).convert("RGB")


def week(rows: list[dict]) -> pd.DataFrame:
    base = {"funding_type": "DAK Fisik", "bidang": "Kesehatan", "ceiling_idr": 1_000_000_000, "closes_on": None,
            "closing_soon": False}
    return pd.DataFrame([{**base, **r} for r in rows])


def has_colour(img: Image.Image, rgb: tuple[int, int, int]) -> bool:
    return any(c == rgb for _, c in img.getcolors(maxcolors=1 << 20))


def test_ticks_are_round_numbers_and_month_days():
    assert charts.nice_ticks(116) == [0, 20, 40, 60, 80, 100]
    assert charts.nice_ticks(1.45) == [0, 1]
    assert charts.nice_ticks(8.7) == [0, 2, 4, 6, 8]
    assert charts.date_ticks(date(2026, 11, 20), date(2027, 1, 20)) == [
        date(2026, 12, 1), date(2026, 12, 15), date(2027, 1, 1), date(2027, 1, 15)]
    assert charts.date_ticks(date(2026, 11, 20), date(2027, 8, 20)) == [
        date(2026, 12, 1)] + [date(2027, m, 1) for m in range(1, 9)]


def test_bars_grow_with_the_groups_and_leave_room_for_long_labels():
    few = image(charts.per_group(week([{"programme_id": "P1"}, {"programme_id": "P2", "bidang": "Sanitasi"}]),
                                 "bidang", "Per bidang"))
    long_name = "Pemberdayaan Perempuan dan Perlindungan Anak serta Pengendalian Penduduk dan Keluarga Berencana"
    many = image(charts.per_group(week([{"programme_id": f"P{i}", "bidang": f"{long_name} {i}"} for i in range(12)]),
                                  "bidang", "Per bidang"))
    assert few.width == charts.WIDTH and many.width > charts.WIDTH  # the label is not cut off: the image widens
    assert many.height > few.height


def test_timeline_marks_programmes_closing_soon_in_red():
    later = week([{"programme_id": "P1", "programme_title": "DAK Fisik Air Minum", "closes_on": date(2027, 2, 1)}])
    soon = week([{"programme_id": "P1", "programme_title": "DAK Fisik Air Minum", "closes_on": date(2027, 2, 1)},
                 {"programme_id": "P2", "programme_title": "Hibah Sanitasi", "closes_on": date(2026, 12, 4),
                  "closing_soon": True}])
    assert not has_colour(image(charts.closing_timeline(later, W48, soon_days=21)), RED)
    assert has_colour(image(charts.closing_timeline(soon, W48, soon_days=21)), RED)
    outside = week([{"programme_id": "P1", "programme_title": "Jauh", "closes_on": date(2027, 9, 1)}])
    empty = image(charts.closing_timeline(outside, W48, soon_days=21))
    assert empty.width == charts.WIDTH and not has_colour(empty, RED)


def test_timeline_title_names_the_configured_closing_soon_days():
    soon = week([{"programme_id": "P2", "programme_title": "Hibah Sanitasi", "closes_on": date(2026, 12, 4),
                  "closing_soon": True}])
    assert charts.closing_timeline(soon, W48, soon_days=21) != charts.closing_timeline(soon, W48, soon_days=30)
    assert charts.closing_timeline(soon, W48, soon_days=21) == charts.closing_timeline(soon, W48, soon_days=21)
