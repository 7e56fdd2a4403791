"""The calendar as a worksheet (workbook sheet "Kalender" and the page's download): real dates."""

from __future__ import annotations

import io
from datetime import datetime

import xlsxwriter

from nyengget.cells import neutralise
from nyengget.forecast.calendar import Entry
from nyengget.urls import web_url

COLUMNS = (  # (header, width)
    ("Dibuka", 13), ("Ditutup", 13), ("Jenis jadwal", 13), ("Program", 50), ("Jenis pendanaan", 18),
    ("OPD", 40), ("Keterangan", 60), ("Sumber", 30),
)


def write(wb, ws, entries: list[Entry], *, head=None, date_fmt=None, link=None) -> None:
    """Write the entries on `ws` (header row, filters, frozen header)."""
    head = head or wb.add_format({"bold": True, "bg_color": "#0B6E4F", "font_color": "#FFFFFF"})
    date_fmt = date_fmt or wb.add_format({"num_format": "d mmm yyyy"})
    link = link or wb.add_format({"font_color": "blue", "underline": 1})
    for c, (header, width) in enumerate(COLUMNS):
        ws.write(0, c, header, head)
        ws.set_column(c, c, width)
    for r, e in enumerate(entries, start=1):
        for c, d in enumerate((e.opens_on, e.closes_on)):
            if d is None:
                ws.write_blank(r, c, None)
            else:
                ws.write_datetime(r, c, datetime(d.year, d.month, d.day), date_fmt)
        ws.write_string(r, 2, str(neutralise(e.kind_label)))
        ws.write_string(r, 3, str(neutralise(e.title)))
        ws.write_string(r, 4, str(neutralise(e.funding_type or "-")))
        ws.write_string(r, 5, str(neutralise(", ".join(e.opds))))
        ws.write_string(r, 6, str(neutralise(e.label)))
        if url := web_url(e.source_url):
            ws.write_url(r, 7, url, link, string="buka sumber")
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(entries), 1), len(COLUMNS) - 1)


def to_xlsx(entries: list[Entry], year: int) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    write(wb, wb.add_worksheet(f"Kalender {year}"), entries)
    wb.close()
    return buf.getvalue()
