"""The end of `make run`: what a planner wants to know about the week, in a few Indonesian lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from nyengget import fmt
from nyengget.forecast.calendar import describe
from nyengget.forecast.windows import programme_windows
from nyengget.notify.digest import load_opds
from nyengget.regions import Region, region_of
from nyengget.weekly.build import load_week, records
from nyengget.weeks import week_label

TITLE_MAX = 60


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text or "-").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def best_per_opd(week: pd.DataFrame, windows: dict, as_of: date, names: dict[str, str]) -> list[str]:
    """One line per OPD: its best programme, for which innovation, and when."""
    lines = []
    rows = records(week.sort_values(["score", "rank"], ascending=[False, True]))
    seen: set[str] = set()
    for r in rows:
        code = r["opd_code"] or r["opd"] or "-"
        if code in seen:
            continue
        seen.add(code)
        when = describe(r["opens_on"], r["closes_on"], windows.get(r["programme_id"]), as_of)
        lines.append(f"  {names.get(code, code)}: {_cut(r['programme_title'], TITLE_MAX)} "
                     f"(untuk {_cut(r['innovation_name'], 40)}; {when})")
    return sorted(lines)


def planner_lines(engine: Engine, monday: date, home: Path,
                  region: Region | None = None) -> tuple[list[str], pd.DataFrame]:
    """The region's summary lines (default region by default) and its list of the week (for the log)."""
    from nyengget.config import get_settings
    from nyengget.report.store import report_paths

    region = region or region_of(None)
    week = load_week(engine, monday, region.code)
    label = week_label(monday)
    if week.empty:
        return [f"Nyengget {region.name} pekan {label}: tidak ada peluang."], week
    windows = programme_windows(engine, monday)
    names = {c: o.short_name for c, o in load_opds(engine, region.code).items()}
    progs = week.drop_duplicates("programme_id")
    soon_open = sum(1 for pid in progs.programme_id if (w := windows.get(pid)) and w.opening_soon)
    outbox = home / "outbox"
    pattern = f"{monday.isoformat()}_{region.code}_opd_digest_*.eml"
    emails = len(list(outbox.glob(pattern))) if outbox.exists() else 0
    xlsx, html = report_paths(monday, get_settings(), region)
    lines = [
        f"Nyengget {region.name} pekan {label} ({fmt.tanggal(monday, True)}): {len(progs)} program cocok untuk "
        f"{week.opd_code.nunique()} OPD — {int(progs.is_new.sum())} baru, {int(progs.closing_soon.sum())} "
        f"segera ditutup, {soon_open} segera dibuka.",
        f"Email ke OPD pekan ini: {emails} (hanya yang perlu bertindak).",
        "Peluang teratas per OPD:",
        *best_per_opd(week, windows, monday, names),
        f"Laporan: {xlsx} dan {html}",
        f"Email (berkas .eml): {outbox}",
    ]
    return lines, week
