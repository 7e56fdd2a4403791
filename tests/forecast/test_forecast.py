"""Forecast of recurring rounds: families, the model, labels, real windows replacing forecasts."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from factories import add_programme
from nyengget.config import REPO_ROOT
from nyengget.forecast import families, model, rounds, windows
from nyengget.forecast.rounds import Round
from nyengget.warehouse.schema import news


def test_families_share_a_window_know_aliases_and_ignore_years():
    dak = families.family("DAK Fisik Kesehatan – Pengendalian Penyakit dan STBM TA 2027", "DAK Fisik")
    assert dak == families.family("Pengusulan DAK Fisik TA 2026 melalui KRISNA-DAK", "DAK Fisik")
    assert families.family("Innovative Government Award (IGA) 2026", "Kompetisi/Penghargaan") == "iga"
    assert families.family("Indeks Inovasi Daerah 2021", "Kompetisi/Penghargaan") == "iga"
    assert families.family("Kompetisi Inovasi Pelayanan Publik (KIPP) 2027", None) == "kipp"
    a = families.family("Hibah Daerah Program Hibah Air Minum Perkotaan Tahun Anggaran 2027", "Hibah Daerah")
    assert a == families.family("Hibah Daerah – Program Hibah Air Minum Perkotaan", "Hibah Daerah")
    assert families.round_year("Penghargaan Adipura 2025", None) == 2025
    assert families.round_year("DAK Fisik TA 2027", 2027) == 2027


def _r(year, opens=None, closes=None, fam="x", origin="program"):
    return Round(fam, year, opens, closes, origin)


def test_predict_uses_days_from_new_year_of_earlier_rounds():
    history = [_r(2023, date(2023, 5, 25)), _r(2024, date(2024, 6, 3), date(2024, 8, 1)),
               _r(2025, date(2025, 6, 20), date(2025, 8, 23)), _r(2027, date(2027, 1, 1))]
    f = model.predict(history, 2026)
    assert f.years == (2023, 2024, 2025)  # never a later year
    assert f.opens_on == date(2026, 6, 4)  # the median day (2024 is a leap year)
    assert (f.earliest, f.latest) == (date(2026, 5, 25), date(2026, 6, 20))
    assert f.confidence == "sedang"  # three years but 26 days apart
    assert windows.forecast_label(f) == "perkiraan dibuka Mei–Juni 2026, berdasarkan 2023–2025 (keyakinan sedang)"
    assert model.predict(history, 2023) is None


def test_dak_fisik_opens_the_year_before_its_fiscal_year():
    history = [_r(2025, date(2024, 8, 5), date(2024, 8, 23)), _r(2026, date(2025, 8, 11), date(2025, 8, 22))]
    f = model.predict(history, 2027)
    assert f.opens_on.year == 2026 and f.opens_on.month == 8 and f.closes_on > f.opens_on
    assert model.hit(f, _r(2027, date(2026, 8, 10))) and not model.hit(f, _r(2027, date(2026, 10, 1)))
    assert model.error_days(f, _r(2027, date(2026, 8, 10))) <= 5


def test_a_real_window_replaces_the_forecast_and_a_past_one_rolls_to_the_next_round():
    fam = families.family("Penghargaan Adipura 2027", "Kompetisi/Penghargaan")
    past = [_r(y, date(y, 2, 1), date(y, 3, 1), fam) for y in (2024, 2025, 2026)]
    hist = {fam: past}
    w = windows.window_for("Penghargaan Adipura 2027", "Kompetisi/Penghargaan", 2027, hist, date(2026, 12, 20))
    assert w.kind == windows.FORECAST and w.label.startswith("perkiraan dibuka Februari 2027")
    assert w.opening_soon  # 1 Feb 2027 is 43 days after 20 Dec
    hist[fam] = past + [_r(2027, date(2027, 2, 8), date(2027, 3, 8), fam, "kalender")]
    real = windows.window_for("Penghargaan Adipura 2027", "Kompetisi/Penghargaan", 2027, hist, date(2026, 12, 20))
    assert real.kind == windows.OFFICIAL and real.opens_on == date(2027, 2, 8) and "perkiraan" not in real.label
    rolled = windows.window_for("Penghargaan Adipura 2026", "Kompetisi/Penghargaan", 2026, {fam: past[:2]},
                                date(2026, 12, 1))
    assert rolled.next_round and "putaran berikutnya" in rolled.label and rolled.opens_on.year == 2027


def test_segera_dibuka_within_60_days():
    assert windows.soon(date(2027, 1, 30), date(2026, 12, 1))
    assert not windows.soon(date(2027, 2, 1), date(2026, 12, 1))  # 62 days
    assert not windows.soon(date(2026, 11, 30), date(2026, 12, 1))  # already open


def test_rounds_come_from_versions_calendar_and_an_optional_news_table(engine, tmp_path):
    add_programme(engine, "I25", "Innovative Government Award (IGA) 2025", fiscal_year=2025,
                  opens_on=date(2025, 6, 20), closes_on=date(2025, 8, 23), funding_type="Kompetisi/Penghargaan")
    add_programme(engine, "I27", "Pengukuran Indeks Inovasi Daerah dan IGA 2027", fiscal_year=2027,
                  funding_type="Kompetisi/Penghargaan")
    cal = tmp_path / "cal"
    cal.mkdir()
    (cal / "x.yaml").write_text("source_url: https://krisna.example/\nentries:\n  - key: a\n"
                                "    title: Pengusulan DAK Fisik TA 2026\n    funding_type: DAK Fisik\n"
                                "    fiscal_year: 2026\n    opens_on: 2025-08-11\n    closes_on: 2025-08-22\n"
                                "    dates_source: Kontan 11 Aug 2025\n  - key: b\n"
                                "    title: Pengusulan DAK Fisik TA 2027\n    funding_type: DAK Fisik\n"
                                "    fiscal_year: 2027\n    opens_on: 2026-08-10\n")  # no source: not a fact
    found = rounds.from_warehouse(engine, cal)
    assert found[("jenis:DAK Fisik", 2026)].origin == "kalender" and ("jenis:DAK Fisik", 2027) not in found
    assert found[("iga", 2025)].opens_on == date(2025, 6, 20) and ("iga", 2027) not in found  # undated
    with engine.begin() as conn:  # an earlier round's announcement, kept as news with the window it named
        conn.execute(news.insert().values(news_id="bskdn/iga-2026", source="ann_bskdn", title="IGA 2026 resmi dibuka",
                                          fiscal_year=2026, opens_on=date(2026, 5, 4), closes_on=None,
                                          first_seen=date(2026, 5, 4), last_seen=date(2026, 5, 4)))
    found = rounds.from_warehouse(engine, cal)
    assert found[("iga", 2026)].origin == "berita"
    w = windows.programme_windows(engine, date(2026, 12, 1))["I27"]
    assert w.kind == windows.FORECAST and w.years == (2025, 2026)
    assert w.label == "perkiraan dibuka Mei–Juni 2027, berdasarkan 2025–2026 (keyakinan rendah)"  # 47 days apart
    assert windows.programme_windows(engine, date(2026, 12, 1))["I25"].kind == windows.OFFICIAL
    every = windows.programme_windows(engine, date(2026, 12, 1))
    some = windows.programme_windows(engine, date(2026, 12, 1), only={"I27", "I25", "not-a-programme"})
    assert some == {k: every[k] for k in ("I27", "I25")}  # one list's windows, from the whole history
    edited = (cal / "x.yaml").read_text().replace("2025-08-11", "2025-08-04") + "# moved a week earlier\n"
    (cal / "x.yaml").write_text(edited)  # a new size as well as a new time: the edit is seen at once
    assert rounds.from_warehouse(engine, cal)[("jenis:DAK Fisik", 2026)].opens_on == date(2025, 8, 4)  # read again


def test_backtest_prints_hit_rate_and_median_error():
    out = subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "forecast.py")], capture_output=True,
                         text=True, check=True).stdout
    last = out.strip().splitlines()[-1]
    assert last.startswith("forecast: rounds=") and "hit_rate=" in last and "median_error_days=" in last
    assert int(last.split("rounds=")[1].split()[0]) >= 5
