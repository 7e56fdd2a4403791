"""DAK Fisik menus from the juknis lampiran PDF: bidang -> subbidang -> menu -> rincian, pengusul, pagu.

Follows the lampiran of the yearly Peraturan Presiden on the petunjuk teknis DAK Fisik (published as PDF
on djpk.kemenkeu.go.id and peraturan.bpk.go.id): a title block "LAMPIRAN PERATURAN PRESIDEN ... NOMOR
x TAHUN y ... TAHUN ANGGARAN z", a paragraph on the KRISNA-DAK schedule, then a bordered table whose
header row repeats on every page. Columns are found by name, so extra or reordered columns are fine.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber

from nyengget.sources.extract import window
from nyengget.sources.fetch import Response
from nyengget.sources.records import Parsed, Reject

COLUMNS = {
    "bidang": r"^bidang$", "subbidang": r"^sub\s*bidang$", "menu": r"^menu", "rincian": r"^rincian|kegiatan",
    "ministry": r"^k/?l$|kementerian|lembaga", "pengusul": r"pengusul|penerima|kewenangan", "pagu": r"pagu|alokasi",
}
LEVELS = {"prov": "provinsi", "provinsi": "provinsi", "kab": "kabupaten", "kabupaten": "kabupaten",
          "kota": "kota"}
_FY = re.compile(r"TAHUN\s+ANGGARAN\s+(20\d\d)", re.I)
_BASIS = re.compile(r"(PERATURAN\s+PRESIDEN|PERATURAN\s+MENTERI\s+KEUANGAN)[^\n]*\n?\s*NOMOR\s+(\d+)\s+TAHUN\s+(20\d\d)",
                    re.I)


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    for resp in ctx.get_each(ctx.source.urls, out):
        out.extend(ctx.parse(resp, "lampiran", lambda r: parse_pdf(r, ctx.source.options)))
    return out


def levels(cell: str) -> str:
    """`Prov/Kab/Kota` -> `provinsi;kabupaten;kota`; unknown words are kept so validation rejects them."""
    words = [w.strip().lower() for w in re.split(r"[/,;]|\bdan\b", cell or "") if w.strip()]
    return ";".join(LEVELS.get(w, w) for w in words)


def _header_map(row: list[str | None]) -> dict[str, int] | None:
    cells = [re.sub(r"\s+", " ", c or "").strip().lower() for c in row]
    found = {}
    for name, pattern in COLUMNS.items():
        for i, cell in enumerate(cells):
            if re.search(pattern, cell) and i not in found.values():
                found[name] = i
                break
    return found if {"bidang", "menu", "pengusul"} <= found.keys() else None


def _cell(row: list[str | None], cols: dict[str, int], name: str) -> str:
    i = cols.get(name)
    return re.sub(r"\s+", " ", row[i] or "").strip() if i is not None and i < len(row) else ""


def _amount(text: str) -> int | None:
    digits = re.sub(r"[^\d]", "", text.split(",")[0])
    return int(digits) if digits else None


def parse_pdf(resp: Response, options: dict[str, Any]) -> Parsed:
    out = Parsed()
    try:
        pdf = pdfplumber.open(io.BytesIO(resp.body))
        pages = list(pdf.pages)
        first = pages[0].extract_text() or ""
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types (PDFSyntaxError, ...) on broken files
        out.errors.append(f"{resp.url}: unreadable or truncated PDF ({type(exc).__name__}: {exc})")
        return out
    meta = _document_meta(first, options)
    cols: dict[str, int] | None = None
    try:
        for page in pages:
            for table in page.extract_tables():
                for row in table:
                    header = _header_map(row)
                    if header:
                        cols = header
                    elif cols is not None:
                        _row(row, cols, meta, resp, out)
    except Exception as exc:  # noqa: BLE001
        out.errors.append(f"{resp.url}: PDF table extraction failed ({type(exc).__name__}: {exc})")
    finally:
        pdf.close()
    if cols is None:
        out.errors.append(f"{resp.url}: no menu table with Bidang/Menu/Pengusul columns found")
    return out


def _document_meta(first_page: str, options: dict[str, Any]) -> dict[str, Any]:
    intro = first_page.split("\nNo ")[0]
    fy = _FY.search(intro)
    basis = _BASIS.search(intro)
    opens, closes = window(intro)
    return {"fiscal_year": int(fy.group(1)) if fy else options.get("fiscal_year"),
            "legal_basis": (f"{basis.group(1).title()} Nomor {basis.group(2)} Tahun {basis.group(3)}"
                            if basis else options.get("legal_basis")),
            "opens_on": opens.isoformat() if opens else None, "closes_on": closes.isoformat() if closes else None}


def _row(row: list[str | None], cols: dict[str, int], meta: dict[str, Any], resp: Response, out: Parsed) -> None:
    bidang, sub, menu = (_cell(row, cols, n) for n in ("bidang", "subbidang", "menu"))
    raw = {"row": row, "url": resp.url}
    if not menu or not bidang:
        out.rejects.append(Reject("menu", "baris menu tanpa bidang atau nama menu", "menu row without bidang or menu",
                                  raw, resp.sha256))
        return
    fy = meta["fiscal_year"]
    out.programmes.append({
        "key": f"{fy}/{bidang}/{sub}/{menu}",
        "source_url": resp.url,
        "title": f"DAK Fisik {bidang} – {menu}" + (f" TA {fy}" if fy else ""),
        "description": _cell(row, cols, "rincian"),
        "funding_type": "DAK Fisik",
        "ministry": _cell(row, cols, "ministry") or None,
        "bidang": bidang, "subbidang": sub or None, "menu": menu,
        "fiscal_year": fy,
        "recipient_levels": levels(_cell(row, cols, "pengusul")),
        "opens_on": meta["opens_on"], "closes_on": meta["closes_on"],
        "ceiling_idr": _amount(_cell(row, cols, "pagu")),
        "legal_basis": meta["legal_basis"],
        "raw_sha256": resp.sha256,
    })
