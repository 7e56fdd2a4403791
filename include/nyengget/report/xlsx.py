"""The weekly workbook: a summary sheet and a sheet per OPD, rupiah formats, Indonesian dates, links."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd
import xlsxwriter

from nyengget import fmt
from nyengget.cells import neutralise
from nyengget.forecast.calendar import Entry
from nyengget.report import calendar_sheet
from nyengget.urls import web_url
from nyengget.weekly.build import records
from nyengget.weeks import week_label

COLUMNS = (  # (header, field, width)
    ("Peringkat", "rank", 9),
    ("Inovasi", "innovation_name", 34),
    ("Program", "programme_title", 46),
    ("Jenis pendanaan", "funding_type", 18),
    ("Kementerian", "ministry", 18),
    ("Bidang", "bidang", 16),
    ("Pagu (Rp)", "ceiling_idr", 18),
    ("Dibuka", "opens_on", 14),
    ("Ditutup", "closes_on", 14),
    ("Sisa hari", "days_left", 9),
    ("Baru", "is_new", 6),
    ("Berubah", "is_changed", 8),
    ("Segera ditutup", "closing_soon", 9),
    ("Status", "review_status", 16),
    ("Skor", "score", 7),
    ("Alasan", "reasons", 60),
    ("Pengusul dan mitra", "routing_note", 50),
    ("Dasar pengusul", "proposer_source", 30),
    ("Sumber", "source_url", 30),
)


SHEET_MAX = 31  # Excel's limit on sheet names


def shorten(name: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary (a single long word is cut)."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit + 1].rsplit(" ", 1)[0]
    cut = re.sub(r"(?:\s+(?:dan|serta|&|,|-|–))+$", "", cut)  # never end on a conjunction
    return cut if cut and len(cut) <= limit else name[:limit]


def _sheet_name(name: str, used: set[str]) -> str:
    """A sheet name from an OPD name: no forbidden characters, whole words, unique; Excel refuses ' at either end."""
    base = shorten(re.sub(r"[\[\]:*?/\\\x00-\x1f]", " ", name), SHEET_MAX).strip(" '") or "OPD"
    candidate, i = base, 2
    while candidate.lower() in used:
        candidate = f"{shorten(base, SHEET_MAX - len(str(i)) - 1)} {i}"
        i += 1
    used.add(candidate.lower())
    return candidate


def write_workbook(week: pd.DataFrame, week_start: date, path: Path, opd_names: dict[str, str],
                   calendar: list[Entry] = ()) -> Path:
    """Write the workbook for one week to `path` (atomically) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp.xlsx")  # concurrent writers never share it
    # text is written as text: never parsed into formulas or URLs (links go through _write_cell's web_url)
    # in_memory: the parts are zipped from memory, not from temporary files (10-15 % of writing a workbook)
    wb = xlsxwriter.Workbook(str(tmp), {"remove_timezone": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "in_memory": True})
    f = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "head": wb.add_format({"bold": True, "bg_color": "#0B6E4F", "font_color": "#FFFFFF", "text_wrap": True}),
        "rupiah": wb.add_format({"num_format": '"Rp"#,##0'}),
        "date": wb.add_format({"num_format": "d mmm yyyy"}),
        "score": wb.add_format({"num_format": "0.00"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "link": wb.add_format({"font_color": "blue", "underline": 1}),
    }
    _summary_sheet(wb, f, week, week_start)
    calendar_sheet.write(wb, wb.add_worksheet("Kalender"), list(calendar), head=f["head"], date_fmt=f["date"],
                         link=f["link"])
    used = {"ringkasan", "kalender"}
    for code, items in sorted(_by_opd(week).items()):
        _opd_sheet(wb, f, items, _sheet_name(opd_names.get(code, str(code)), used))
    wb.close()
    tmp.replace(path)
    return path


def _summary_sheet(wb, f, week: pd.DataFrame, week_start: date) -> None:
    ws = wb.add_worksheet("Ringkasan")
    ws.write(0, 0, f"Nyengget — peluang pendanaan pekan {week_label(week_start)} ({fmt.tanggal(week_start, True)})",
             f["title"])
    headers = ["OPD", "Peluang", "Baru", "Berubah", "Segera ditutup", "Total pagu (Rp)"]
    ws.write_row(2, 0, headers, f["head"])
    r = 3
    for opd, n, new, changed, soon, ceiling in _per_opd(week):
        ws.write_string(r, 0, str(neutralise(opd)))
        ws.write_row(r, 1, [n, new, changed, soon])
        ws.write_number(r, 5, ceiling, f["rupiah"])
        r += 1
    ws.set_column(0, 0, 44)
    ws.set_column(1, 4, 12)
    ws.set_column(5, 5, 20)
    ws.freeze_panes(3, 0)
    if r > 3:
        ws.autofilter(2, 0, r - 1, len(headers) - 1)


def _per_opd(week: pd.DataFrame) -> list[tuple[str, int, int, int, int, float]]:
    """Per OPD (by name, "-" for none): items, new, changed, closing soon, and the total ceiling of its
    distinct programmes (missing ceilings count 0), in one grouping."""
    if week.empty:
        return []
    rows = week.assign(opd=week["opd"].fillna("-"), ceiling_idr=pd.to_numeric(week["ceiling_idr"], errors="coerce"))
    counts = rows.groupby("opd", sort=True).agg(n=("programme_id", "size"), new=("is_new", "sum"),
                                                changed=("is_changed", "sum"), soon=("closing_soon", "sum"))
    ceilings = rows.drop_duplicates(["opd", "programme_id"]).groupby("opd", sort=True)["ceiling_idr"].sum()
    return [(opd, int(c.n), int(c.new), int(c.changed), int(c.soon), float(ceilings[opd]))
            for opd, c in counts.iterrows()]


def _by_opd(week: pd.DataFrame) -> dict[str, list[dict]]:
    """Each OPD's rows (by innovation, then rank), read out of the frame once for every sheet."""
    out: dict[str, list[dict]] = defaultdict(list)
    for item in records(week.sort_values(["innovation_name", "rank"])):  # a stable sort: ties keep their order
        out[item["opd_code"] if item["opd_code"] is not None else "(tanpa OPD)"].append(item)
    return out


def _opd_sheet(wb, f, items: list[dict], name: str) -> None:
    ws = wb.add_worksheet(name)
    for c, (header, _, width) in enumerate(COLUMNS):
        ws.write(0, c, header, f["head"])
        ws.set_column(c, c, width)
    for r, item in enumerate(items, start=1):
        for c, (_, field, _) in enumerate(COLUMNS):
            _write_cell(ws, f, r, c, field, item.get(field))
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, len(items), len(COLUMNS) - 1)


def _write_cell(ws, f, r: int, c: int, field: str, value) -> None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        ws.write_blank(r, c, None)
    elif field == "ceiling_idr":
        ws.write_number(r, c, float(value), f["rupiah"])
    elif field in ("opens_on", "closes_on"):
        ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), f["date"])
    elif field == "score":
        ws.write_number(r, c, float(value), f["score"])
    elif field in ("is_new", "is_changed", "closing_soon"):
        ws.write(r, c, "ya" if value else "")
    elif field == "source_url":
        url = web_url(value)
        if url is None or len(url) > 2079:  # Excel's limit on a hyperlink
            ws.write_blank(r, c, None)
        else:
            ws.write_url(r, c, url, f["link"], string="buka sumber")
    elif field == "reasons":
        ws.write_string(r, c, str(neutralise(fmt.alasan(str(value)))), f["wrap"])
    elif isinstance(value, str):
        ws.write_string(r, c, str(neutralise(value)))
    else:
        ws.write(r, c, value)
