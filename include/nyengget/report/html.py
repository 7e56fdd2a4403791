"""The weekly HTML report: one self-contained file (charts inlined as PNG)."""

from __future__ import annotations

import base64
import uuid
from datetime import date
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from nyengget import fmt
from nyengget.report import charts
from nyengget.urls import web_url
from nyengget.weekly.build import records
from nyengget.weeks import week_label


def _env() -> Environment:
    env = Environment(loader=PackageLoader("nyengget.report", "templates"), autoescape=select_autoescape(["html"]))
    env.filters.update(tanggal=fmt.tanggal, rupiah=fmt.rupiah)
    return env


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def chart_images(week: pd.DataFrame, week_start: date) -> dict[str, bytes]:
    if week.empty:
        return {}
    return {
        "jenis": charts.per_group(week, "funding_type", "Peluang dan total pagu per jenis pendanaan"),
        "bidang": charts.per_group(week, "bidang", "Peluang dan total pagu per bidang"),
        "tenggat": charts.closing_timeline(week, week_start),
    }


def write_html(week: pd.DataFrame, week_start: date, path: Path, sources: list[dict]) -> Path:
    images = chart_images(week, week_start)
    html = _env().get_template("report.html").render(
        week=[{**r, "source_url": web_url(r.get("source_url"))} for r in records(week)], week_start=week_start, week_label=week_label(week_start),
        charts={k: _data_uri(v) for k, v in images.items()}, sources=sources,
        n_opd=week.opd_code.nunique() if not week.empty else 0,
        n_programmes=week.programme_id.nunique() if not week.empty else 0,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")  # concurrent writers never share a temp file
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
