"""The weekly HTML report: one self-contained file (charts inlined as PNG) that reads on a phone."""

from __future__ import annotations

import base64
import uuid
from datetime import date
from pathlib import Path

import pandas as pd

from nyengget.forecast.calendar import Entry
from nyengget.forecast.windows import Window
from nyengget.report import charts
from nyengget.settings import get_settings
from nyengget.templates import render
from nyengget.urls import web_url
from nyengget.weekly.build import records
from nyengget.weeks import week_label

CALENDAR_DAYS = 365  # the report's calendar lists the windows of the coming year


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def chart_images(week: pd.DataFrame, week_start: date) -> dict[str, bytes]:
    if week.empty:
        return {}
    return {
        "jenis": charts.per_group(week, "funding_type", "Peluang dan total pagu per jenis pendanaan"),
        "bidang": charts.per_group(week, "bidang", "Peluang dan total pagu per bidang"),
        "tenggat": charts.closing_timeline(week, week_start, get_settings().closing_soon_days),
    }


def by_programme(rows: list[dict], opd_names: dict[str, str]) -> list[dict]:
    """Each programme once with the innovations it fits (and their OPDs), soonest deadline first."""
    groups: dict[str, dict] = {}
    for r in rows:
        g = groups.setdefault(r["programme_id"], {**r, "fits": []})
        g["fits"].append({"innovation_name": r["innovation_name"], "reasons": r["reasons"],
                          "opd": opd_names.get(r["opd_code"], r["opd"] or "-"),
                          "routing": r.get("routing"), "routing_note": r.get("routing_note")})
        g["is_new"] = bool(g["is_new"]) or bool(r["is_new"])
        g["score"] = max(g["score"], r["score"])
    return sorted(groups.values(), key=lambda g: (g["closes_on"] is None, g["closes_on"] or date.max, -g["score"]))


def write_html(week: pd.DataFrame, week_start: date, path: Path, sources: list[dict], *,
               windows: dict[str, Window] | None = None, as_of: date | None = None,
               calendar: list[Entry] = (), opd_names: dict[str, str] | None = None,
               bappeda: str | None = None) -> Path:
    """The planners' HTML report; `bappeda` names the region's agency (default: the default region's)."""
    if bappeda is None:
        from nyengget.regions import default_region

        bappeda = default_region().bappeda
    as_of = as_of or week_start
    images = chart_images(week, week_start)
    rows = [{**r, "source_url": web_url(r.get("source_url"))} for r in records(week)]
    upcoming = [e for e in calendar if e.upcoming(as_of, CALENDAR_DAYS)]
    html = render("report.html",
        week=rows, programmes=by_programme(rows, opd_names or {}), windows=windows or {}, as_of=as_of,
        upcoming=upcoming, week_start=week_start, bappeda=bappeda, week_label=week_label(week_start),
        charts={k: _data_uri(v) for k, v in images.items()}, sources=sources,
        n_opd=week.opd_code.nunique() if not week.empty else 0,
        n_programmes=week.programme_id.nunique() if not week.empty else 0,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")  # concurrent writers never share a temp file
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
