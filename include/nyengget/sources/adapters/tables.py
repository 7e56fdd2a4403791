"""DAK Non-Fisik (and other allocation) tables published as XLSX or JSON.

Two shapes. As DAK Nonfisik allocations are published (see sources.yaml): a title row ("DAK Nonfisik
T.A. 2026 Papua"), then No / Nama Daerah / Total, one row per daerah and a Total row. Such a table is
an allocation, not a list of programmes: it gives one programme record (the allocation, its fiscal
year, the levels of government it reaches, read from the daerah names) and, for the configured
region's own row (matched by name and kind: Kota Serang is never Kab. Serang), an allocation row
for `tkdd_allocations`. Second shape: a header row (found in the first 20 rows) with one row per
jenis/menu; columns are matched by synonyms, and a workbook without a recognisable title or
recipient column is reported, not guessed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from nyengget.funding import LEVELS
from nyengget.sources.adapters.djpk_tkdd import region_key
from nyengget.sources.adapters.juknis_pdf import levels
from nyengget.sources.fetch import Response
from nyengget.sources.records import Parsed, Reject, slug
from nyengget.sources.verdict import layout_changed

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
EXPECTED = "a header row: No / Nama Daerah / Total (per daerah) or Jenis / Penerima columns (per jenis)"
_DAERAH = re.compile(r"^(nama\s+)?(daerah|pemda|pemerintah daerah|provinsi/kabupaten/kota|kabupaten/kota)$", re.I)
_TOTAL = re.compile(r"total|jumlah|alokasi|pagu|\bdak\b", re.I)
_FY = re.compile(r"(?:\bT\.?\s?A\.?|tahun\s+anggaran)\s*(20\d\d)\b", re.I)
_KIND = {level: level for level in LEVELS}


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


def _regions(options: dict) -> dict[str, tuple[str, str, str | None]]:
    """region key -> (name, Kemendagri code, DJPK code) of the rows to keep: `options.region`, or every
    configured region (`options.regions: configured`)."""
    from nyengget.regions import configured_regions

    regions = configured_regions()
    if options.get("regions") == "configured":
        return {region_key(r.name): (r.name, r.code, r.djpk_code) for r in regions}
    name = options.get("region")
    if not name:
        return {}
    match = next((r for r in regions if region_key(r.name) == region_key(name)), regions.default)
    return {region_key(name): (name, match.code, options.get("region_code"))}


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
        out.errors.append(layout_changed(resp.url, EXPECTED))
    return out


def _sheet(rows: list[tuple[Any, ...]], resp: Response, options: dict[str, Any], out: Parsed) -> None:
    for index, row in enumerate(rows[:20]):
        if per_daerah(rows, index, resp, options, out):
            return
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


# -- allocations per daerah ---------------------------------------------------------------------
def _text(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _rupiah(value: Any) -> int | None:
    """Whole rupiah from a cell: 16699261000, "16.699.261.000", "16,699,261,000"."""
    if isinstance(value, int | float):
        return int(value)
    text = re.sub(r"[^\d.,]", "", _text(value))
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text) or text.isdigit():
        return int(re.sub(r"[.,]", "", text))
    return None


def per_daerah(rows: list[tuple[Any, ...]], index: int, resp: Response, options: dict[str, Any],
               out: Parsed) -> bool:
    """Read rows[index] as a No / Nama Daerah / Total header; False when it is not one."""
    names = [_text(c) for c in rows[index]]
    daerah = next((i for i, n in enumerate(names) if _DAERAH.match(n)), None)
    amount = next((i for i, n in enumerate(names) if i != daerah and _TOTAL.search(n)), None)
    if daerah is None or amount is None:
        return False
    title = next((_text(c) for r in rows[:index] for c in r if _text(c)), "") or names[amount]
    fy = _FY.search(title) or _FY.search(names[amount])
    year = int(fy.group(1)) if fy else options.get("fiscal_year")
    kinds: set[str] = set()
    count = 0
    wanted = _regions(options)
    for row in rows[index + 1:]:
        name = _text(row[daerah]) if daerah < len(row) else ""
        if not name or re.match(r"^(total|jumlah)\b", name, re.I):
            continue
        key = region_key(name)
        count += 1
        kinds.add(_KIND.get(key.split(" ", 1)[0], ""))
        if key in wanted and year:
            region, region_code, djpk_code = wanted[key]
            out.allocations.append({
                "pemda": region, "region_code": region_code, "djpk_code": djpk_code, "fiscal_year": year,
                "kodeakun": slug(names[amount], 40), "account": names[amount], "parent": options.get("funding_type"),
                "anggaran": _rupiah(row[amount] if amount < len(row) else None), "realisasi": None,
                "source_url": resp.url, "raw_sha256": resp.sha256})
    found = [lvl for lvl in LEVELS if lvl in kinds]
    out.programmes.append({
        "key": f"{year}/{title}", "source_url": resp.url, "title": f"{title} (alokasi per daerah)",
        "description": f"{names[amount]}: alokasi per daerah ({count} daerah).",
        "funding_type": options.get("funding_type", "DAK Non-Fisik"), "ministry": options.get("ministry"),
        "bidang": None, "subbidang": None, "fiscal_year": year, "recipient_levels": ";".join(found),
        "opens_on": None, "closes_on": None, "ceiling_idr": None, "legal_basis": options.get("legal_basis"),
        "raw_sha256": resp.sha256, "row_number": index + 1})
    return True
