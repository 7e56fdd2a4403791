"""DAK Non-Fisik (and other allocation) tables published as XLSX or JSON.

Follows the "Rincian DAK Nonfisik" workbooks on djpk.kemenkeu.go.id: title rows, then a header row
(found anywhere in the first 20 rows), one row per jenis/menu, a JUMLAH total row. Columns are
matched by synonyms, so renamed columns ("Jenis Dana" for "Jenis DAK Nonfisik") and extra columns
work; a workbook without a recognisable title or recipient column is reported, not guessed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from nyengget.sources.adapters.juknis_pdf import levels
from nyengget.sources.fetch import Response
from nyengget.sources.records import Parsed, Reject

SYNONYMS = {
    "title": (r"^jenis( dak)?( non ?fisik)?$", r"^jenis dana", r"^nama (program|menu|jenis)", r"^program$",
              r"^menu$"),
    "description": (r"^uraian", r"^rincian", r"^deskripsi", r"^keterangan kegiatan"),
    "bidang": (r"^bidang",),
    "ministry": (r"^k/?l", r"kementerian", r"lembaga"),
    "fiscal_year": (r"^tahun anggaran", r"^ta$", r"^tahun$"),
    "recipient_levels": (r"daerah penerima", r"^penerima", r"^pengusul", r"tingkat"),
    "opens_on": (r"usulan mulai", r"^mulai", r"^tanggal buka", r"jadwal mulai"),
    "closes_on": (r"usulan selesai", r"^selesai", r"^batas", r"^tanggal tutup", r"jadwal selesai"),
    "ceiling_idr": (r"^pagu", r"^alokasi", r"^nilai"),
}
REQUIRED = ("title", "recipient_levels")


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    for resp in ctx.get_each(ctx.source.urls, out):
        parser = parse_json if resp.body.lstrip()[:1] in (b"[", b"{") else parse_xlsx
        out.extend(ctx.parse(resp, parser.__name__, lambda r, p=parser: p(r, ctx.source.options)))
    return out


def header_map(cells: list[Any]) -> dict[str, int]:
    names = [re.sub(r"\s+", " ", str(c or "")).strip().lower() for c in cells]
    found: dict[str, int] = {}
    for field, patterns in SYNONYMS.items():
        for i, name in enumerate(names):
            if i not in found.values() and any(re.search(p, name) for p in patterns):
                found[field] = i
                break
    return found


def parse_xlsx(resp: Response, options: dict[str, Any]) -> Parsed:
    out = Parsed()
    try:
        wb = load_workbook(io.BytesIO(resp.body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        out.errors.append(f"{resp.url}: not a readable XLSX ({type(exc).__name__}: {exc})")
        return out
    try:
        for ws in wb.worksheets:
            _sheet(list(ws.iter_rows(values_only=True)), resp, options, out)
    finally:
        wb.close()
    if not out.programmes and not out.rejects and not out.errors:
        out.errors.append(f"{resp.url}: no sheet with a recognisable header row")
    return out


def _sheet(rows: list[tuple[Any, ...]], resp: Response, options: dict[str, Any], out: Parsed) -> None:
    for index, row in enumerate(rows[:20]):
        cols = header_map(list(row))
        if len(cols) >= 3:
            missing = [f for f in REQUIRED if f not in cols]
            if missing:
                out.errors.append(f"{resp.url}: header row {index + 1} lacks column(s) {', '.join(missing)} "
                                  f"(found {', '.join(str(c) for c in row if c)})")
                return
            for number, data in enumerate(rows[index + 1:], start=index + 2):
                _row(dict(zip(range(len(data)), data, strict=False)), cols, number, resp, options, out)
            return


def _value(row: dict[int, Any], cols: dict[str, int], name: str) -> Any:
    i = cols.get(name)
    value = row.get(i) if i is not None else None
    return value.strip() if isinstance(value, str) else value


def _day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(row: dict[int, Any], cols: dict[str, int], number: int, resp: Response, options: dict[str, Any],
         out: Parsed) -> None:
    title = _value(row, cols, "title")
    if not title or re.match(r"^(jumlah|total)\b", str(title), re.I):
        return
    ceiling = _value(row, cols, "ceiling_idr")
    if isinstance(ceiling, str):
        ceiling = re.sub(r"[^\d]", "", ceiling.split(",")[0]) or ceiling
    record = {
        "key": f"{_value(row, cols, 'fiscal_year')}/{title}", "source_url": resp.url,
        "title": f"{options.get('title_prefix', 'DAK Non-Fisik')} {title}".strip(),
        "description": _value(row, cols, "description"), "funding_type": options.get("funding_type", "DAK Non-Fisik"),
        "ministry": _value(row, cols, "ministry"), "bidang": _value(row, cols, "bidang"), "subbidang": None,
        "fiscal_year": _value(row, cols, "fiscal_year"),
        "recipient_levels": levels(str(_value(row, cols, "recipient_levels") or "")),
        "opens_on": _day(_value(row, cols, "opens_on")), "closes_on": _day(_value(row, cols, "closes_on")),
        "ceiling_idr": ceiling, "legal_basis": options.get("legal_basis"), "raw_sha256": resp.sha256,
        "row_number": number,
    }
    if not record["recipient_levels"]:
        out.rejects.append(Reject("recipient_levels", "daerah penerima kosong", "recipient levels missing",
                                  {k: str(v) for k, v in record.items()}, resp.sha256, number))
        return
    out.programmes.append(record)


def parse_json(resp: Response, options: dict[str, Any]) -> Parsed:
    """The same table as JSON: a list of objects (or {"data": [...]}) with the same column names."""
    out = Parsed()
    try:
        data = json.loads(resp.text)
    except ValueError as exc:
        out.errors.append(f"{resp.url}: malformed JSON ({exc})")
        return out
    items = data.get("data", []) if isinstance(data, dict) else data
    if not items:
        return out
    keys = list(items[0].keys())
    cols = header_map(keys)
    for number, item in enumerate(items, start=1):
        _row({i: item.get(k) for i, k in enumerate(keys)}, cols, number, resp, options, out)
    return out
