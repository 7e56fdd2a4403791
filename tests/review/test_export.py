"""Export: exactly the filtered view, as CSV and XLSX, with no formula injection."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from nyengget.review import export

FILTERS = {"week": "2026-W48", "opd": "DINKES", "sort": "pagu"}


def api_pairs(client, params) -> list[tuple[str, str]]:
    return [(it["innovation_id"], it["programme_id"]) for it in client.get("/api/weekly", params=params).json()["items"]]


@pytest.mark.parametrize("params", [FILTERS, {"week": "2026-W48", "flag": "segera_ditutup"}, {"week": "2026-W47"}])
def test_csv_is_exactly_the_filtered_view(client_for, params):
    planner = client_for("perencana")
    response = planner.get("/ekspor.csv", params=params)
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="nyengget-' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["ID inovasi"], r["ID program"]) for r in rows] == api_pairs(planner, params)


def test_xlsx_is_exactly_the_filtered_view(client_for):
    planner = client_for("perencana")
    response = planner.get("/ekspor.xlsx", params=FILTERS)
    assert response.headers["content-disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Pekan (Senin)", "Kode OPD", "OPD")
    got = [(r[header.index("ID inovasi")], r[header.index("ID program")]) for r in rows[1:]]
    assert got == api_pairs(planner, FILTERS) == [("I1", "P2"), ("I3", "P4"), ("I1", "P1")]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Pagu (Rp)"] == 7_500_000_000 and first["Segera ditutup"] == "Tidak"


def test_the_export_links_on_the_page_carry_the_filters(client_for):
    html = client_for("perencana").get("/", params=FILTERS).text
    assert 'href="/ekspor.xlsx?week=2026-W48&amp;opd=DINKES&amp;sort=pagu"' in html
    assert 'href="/ekspor.csv?week=2026-W48&amp;opd=DINKES&amp;sort=pagu"' in html


def test_cells_that_look_like_formulas_stay_text():
    item = {"week_start": date(2026, 11, 23), "programme_title": "=HYPERLINK(\"http://evil\",\"klik\")",
            "innovation_name": "+62 812", "reasons": "@SUM(A1)", "review_status": "tidak_relevan",
            "review_reason": "lainnya", "is_new": True, "ceiling_idr": 5, "score": 0.123456}
    row = dict(zip([k for k, _ in export.COLUMNS], export.table([item])[0], strict=True))
    assert row["programme_title"].startswith("'=") and row["innovation_name"] == "'+62 812"
    assert row["reasons"] == "'@SUM(A1)"
    assert (row["review_status"], row["review_reason"], row["is_new"]) == ("Tidak relevan", "Lainnya", "Ya")
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx([item]))).active
    cell = sheet.cell(row=2, column=[k for k, _ in export.COLUMNS].index("programme_title") + 1)
    assert cell.data_type == "s" and cell.value.startswith("'=")
