"""DAK Fisik bidang and menus from juknis and letter PDFs, read from their text.

Follows the documents as they are published (see sources.yaml): the juknis DAK Fisik is a Perpres
("PERATURAN PRESIDEN ... NOMOR x TAHUN y TENTANG PETUNJUK TEKNIS DANA ALOKASI KHUSUS FISIK TAHUN
ANGGARAN z") whose lampiran is narrative prose per bidang ("1. BIDANG PENDIDIKAN"); menus reach
daerah as lettered lists in ministry letters and petunjuk operasional ("Hal : Pedoman ... DAK Fisik
Bidang Kesehatan TA 2022", "1. Subbidang ...", "a. Sarana Puskesmas Mampu PONED"). Scans come OCR'd,
so the text is repaired first ("2O2O" -> 2020, "ALOI(ASI" -> ALOKASI). One record per bidang (or
one for the document when it names none), then one per menu. A menu table with Bidang/Menu/Pengusul
columns, where a lampiran has one, is read too.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pdfplumber

from nyengget.funding import LEVELS
from nyengget.sources.extract import recipient_levels
from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.records import Parsed, Reject
from nyengget.sources.verdict import layout_changed

COLUMNS = {
    "bidang": r"^bidang$", "subbidang": r"^sub\s*bidang$", "menu": r"^menu", "rincian": r"^rincian|kegiatan",
    "ministry": r"^k/?l$|kementerian|lembaga", "pengusul": r"pengusul|penerima|kewenangan", "pagu": r"pagu|alokasi",
}
LEVEL_WORDS = {**{level: level for level in LEVELS}, "prov": "provinsi", "kab": "kabupaten"}
EXPECTED = ("a DAK Fisik document: a 'TENTANG ...' or 'Hal :' title, numbered BIDANG sections or "
            "'Subbidang' lists of lettered menus")
_FY = re.compile(r"(?:TAHUN\s+ANGGARAN|\bT\.?\s?A\.?)\s*(20\d\d)\b", re.I)
_BASIS = re.compile(r"(PERATURAN\s+PRESIDEN|PERATURAN\s+MENTERI\s+KEUANGAN)[^\n]*\n?\s*NOMOR\s+(\d+)\s+TAHUN\s+(20\d\d)",
                    re.I)
_OCR_NUMBER = re.compile(r"\b(?=[0-9OoIlZ]*\d)(?=[0-9OoIlZ]*[OoIlZ])[0-9OoIlZ]{2,4}\b")
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "Z": "2"})
_BIDANG_HEAD = re.compile(r"^\s*\d+\.\s*BIDANG\s+([A-Z][A-Z ,/&-]+?)\s*$", re.M)
_BIDANG_TEXT = re.compile(r"\bFisik\s+Bidang\s+([A-Z][\w]+(?:\s+(?:dan\s+)?[A-Z][\w]+)*)")
_SUBBIDANG = re.compile(r"^\s*(\d+)\s*[.)]\s*Sub\s*bidang\s*(.+)$", re.I | re.M)
_LETTERED = re.compile(r"^\s*([a-z])\s*[.,)]\s+(\S.*)$")
_LETTERED_ANY = re.compile(r"^\s*[a-z]\s*[.,)]\s+\S", re.M)
_MENU_HEAD = re.compile(r"^.{0,80}\bmenu\b[^:]{0,80}:\s*$", re.I)
_SMALL = {"dan", "atau", "serta", "untuk", "di", "ke", "dari"}
_NUMBERED = re.compile(r"^\s*(\d+|[A-Z])\s*[.)]\s+\S")


def ocr_repair(text: str) -> str:
    """Undo OCR confusions a human reads through: digits read as letters inside numbers
    ("2O2O", "2Ol9", "I23") and K read as "I(" / "I{" inside capitalised words."""
    text = _OCR_NUMBER.sub(lambda m: m.group(0).translate(_OCR_DIGITS), text)
    return re.sub(r"(?<=[A-Z])[Il][({](?=[A-Z])", "K", text)


MAX_DOCUMENTS = 5


def collect(ctx: Any) -> Parsed:
    """Each URL is a PDF, or an HTML page leading to PDFs: a JDIH BPK search (result cards ->
    detail page -> `/Download/` link) or a detail page; at most `max_documents` PDFs per run."""
    out = Parsed()
    budget = int(ctx.source.options.get("max_documents", MAX_DOCUMENTS))
    for resp in ctx.get_each(ctx.source.urls, out):
        for pdf in _documents(ctx, resp, out)[:budget]:
            out.extend(ctx.parse(pdf, "document", lambda r: parse_pdf(r, ctx.source.options)))
    return out


def _is_pdf(resp: Response) -> bool:
    return resp.body[:5] == b"%PDF-" or "pdf" in resp.content_type.lower()


def _documents(ctx: Any, resp: Response, out: Parsed) -> list[Response]:
    if _is_pdf(resp):
        return [resp]
    from nyengget.sources.adapters.regulations import detail_links, pdf_links

    details = detail_links(resp)
    pages = [] if details or not pdf_links(resp) else [resp]  # a search page, or a detail page itself
    for link in details[: int(ctx.source.options.get("max_documents", MAX_DOCUMENTS))]:
        try:
            pages.append(ctx.get(link, check_page=False))
        except FetchError as exc:
            out.errors.append(str(exc))
    pdfs = []
    for page in pages:
        for link in pdf_links(page)[:1]:
            try:
                pdfs.append(ctx.get(link, check_page=False))
            except FetchError as exc:
                out.errors.append(str(exc))
    if not pages:
        out.errors.append(layout_changed(resp.url, "a PDF, or a JDIH page linking /Details/ pages or /Download/ PDFs"))
    return pdfs


def levels(cell: str) -> str:
    """`Prov/Kab/Kota` -> `provinsi;kabupaten;kota`; unknown words are kept so validation rejects them."""
    words = [w.strip().lower() for w in re.split(r"[/,;]|\bdan\b", cell or "") if w.strip()]
    return ";".join(LEVEL_WORDS.get(w, w) for w in words)


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
        text = ocr_repair("\n".join(page.extract_text() or "" for page in pages))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types (PDFSyntaxError, ...) on broken files
        out.errors.append(f"{resp.url}: unreadable or truncated PDF ({type(exc).__name__}: {exc})")
        return out
    try:
        if not text.strip():
            out.errors.append(f"{resp.url}: the PDF has no text layer (a scan without OCR)")
            return out
        meta = document_meta(text, options)
        from_text = parse_text(text, meta, resp)
        out.extend(from_text)
        _tables(pages, meta, resp, out)
    finally:
        pdf.close()
    if not out.programmes and not out.rejects:
        out.errors.append(layout_changed(resp.url, EXPECTED))
    return out


def _tables(pages: list[Any], meta: dict[str, Any], resp: Response, out: Parsed) -> None:
    """Menu rows of a bordered Bidang/Menu/Pengusul table, when the lampiran has one."""
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


def document_meta(text: str, options: dict[str, Any]) -> dict[str, Any]:
    """Title, kind (juknis or letter), fiscal year, legal basis and recipient levels of the document."""
    head = text[:3000]
    fy = _FY.search(head)
    basis = _BASIS.search(head)
    title, kind = _title(head)
    first_list = _SUBBIDANG.search(text) or _LETTERED_ANY.search(text)
    levels = (recipient_levels(text[:first_list.start()] if first_list else text)
              or [v for v in str(options.get("recipient_levels", "")).split(";") if v])
    return {"title": title, "kind": kind, "fiscal_year": int(fy.group(1)) if fy else options.get("fiscal_year"),
            "legal_basis": (f"{basis.group(1).title()} Nomor {basis.group(2)} Tahun {basis.group(3)}"
                            if basis else options.get("legal_basis")),
            "recipient_levels": ";".join(levels), "funding_type": options.get("funding_type", "DAK Fisik"),
            "ministry": options.get("ministry"), "opens_on": None, "closes_on": None}


def _title(head: str) -> tuple[str | None, str]:
    """The document's own title: a letter's "Hal :" line, else the block after a regulation's TENTANG."""
    hal = re.search(r"^\s*(?:Hal|Perihal)\s*:\s*(.+(?:\n(?!\s*(?:Yth|Kepada)\b).+)?)", head, re.M | re.I)
    if hal:
        return _tidy(hal.group(1)), "letter"
    tentang = re.search(r"^\s*TENTANG\s*\n((?:[^\n]*\n){1,3})", head, re.M)
    if not tentang:
        return None, "juknis"
    lines = []
    for line in tentang.group(1).splitlines():
        if re.match(r"\s*(DENGAN\s+RAHMAT|\d+\.|LAMPIRAN|PRESIDEN)", line) or not line.isupper():
            break
        lines.append(line)
    title = _tidy(" ".join(lines))
    title = re.sub(r"^.*?\bTENTANG\s+", "", title, flags=re.I)  # "PERUBAHAN ATAS ... TENTANG X" -> X
    return (title.title().replace(" Dak ", " DAK ") if title else None), "juknis"


def titlecase(text: str) -> str:
    """`KESEHATAN DAN KB` -> `Kesehatan dan KB` (connectives lower, two-letter acronyms kept)."""
    words = text.split()
    return " ".join(w.lower() if w.lower() in _SMALL and i else w if len(w) <= 2 and w.isupper() else w.capitalize()
                    for i, w in enumerate(words))


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ;,.")


def _bidang(text: str, meta: dict[str, Any]) -> list[str]:
    names = [titlecase(m.group(1).strip()) for m in _BIDANG_HEAD.finditer(text)]
    if not names and meta["title"]:
        names = [m.group(1) for m in _BIDANG_TEXT.finditer(meta["title"])]
    if not names:
        names = [m.group(1) for m in _BIDANG_TEXT.finditer(text[:3000])][:1]
    return list(dict.fromkeys(re.sub(r"\s+(TA|Tahun|T)$", "", n) for n in names))


def parse_text(text: str, meta: dict[str, Any], resp: Response) -> Parsed:
    """Bidang (or document) records, then one record per lettered menu under each subbidang."""
    out = Parsed()
    bidang = _bidang(text, meta)
    fy = meta["fiscal_year"]
    suffix = f" TA {fy}" if fy else ""
    prefix = "Petunjuk Teknis " if meta["kind"] == "juknis" else ""
    levels = _bidang_levels(text, meta)
    if bidang:
        for name in bidang:
            out.programmes.append(_record(meta, resp, f"{fy}/{name}", f"{prefix}DAK Fisik Bidang {name}{suffix}",
                                          bidang=name, recipient_levels=levels.get(name, meta["recipient_levels"])))
    elif meta["title"] and re.search(r"dana\s+alokasi\s+khusus|\bDAK\b", meta["title"], re.I):
        out.programmes.append(_record(meta, resp, f"{fy}/{meta['title']}", meta["title"]))
    single = bidang[0] if len(bidang) == 1 else None
    for item in menus(text):
        owner = item.bidang or single
        title = (f"DAK Fisik Bidang {owner} – {item.menu}{suffix}" if owner else
                 f"DAK Fisik {item.subbidang or 'Menu'} – {item.menu}{suffix}")
        own = ";".join(recipient_levels(item.rincian)) if item.rincian else ""
        out.programmes.append(_record(meta, resp, f"{fy}/{owner}/{item.subbidang}/{item.menu}", title,
                                      bidang=owner, subbidang=item.subbidang or None, menu=item.menu,
                                      description=item.rincian or meta["title"],
                                      recipient_levels=own or levels.get(owner or "", meta["recipient_levels"])))
    return out


def _bidang_levels(text: str, meta: dict[str, Any]) -> dict[str, str]:
    """Levels each bidang section names in its prose before its lists (else the document's)."""
    heads = list(_BIDANG_HEAD.finditer(text))
    out = {}
    for i, head in enumerate(heads):
        section = text[head.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        first = _SUBBIDANG.search(section) or _LETTERED_ANY.search(section)
        found = recipient_levels(section[:first.start()] if first else section)
        out[titlecase(head.group(1).strip())] = ";".join(found) or meta["recipient_levels"]
    return out


@dataclass
class Menu:
    bidang: str | None
    subbidang: str  # "" under a bare "Menu ...:" heading
    menu: str
    rincian: str = ""


def _split_menu(text: str) -> tuple[str, str]:
    """`Sarana Prasarana PAUD: membiayai ...` -> (name, rincian); a bare item is all name."""  # noqa: D401
    name, sep, rest = _partition(text)
    return _tidy(name), _tidy(rest) if sep else ""


def _partition(text: str) -> tuple[str, str, str]:
    m = re.search(r":\s+(?=[a-z])|\s+yaitu\s+", text)  # "Persampahan: TPS3R" is a name; ": membiayai" a rincian
    return (text[:m.start()], m.group(0), text[m.end():]) if m else (text, "", "")


def menus(text: str) -> list[Menu]:
    """Menus in reading order: "N. BIDANG X" sets the bidang, "N. Subbidang Y" the subbidang, and each
    "a. Menu[: rincian]" under it is a menu (wrapped lines joined; a subbidang without letters has its
    single next line as menu)."""
    found: list[Menu] = []
    bidang: str | None = None
    sub: str | None = None
    lines = text.splitlines()
    for index, line in enumerate(lines):
        head = _BIDANG_HEAD.match(line)
        if head:
            bidang, sub = titlecase(head.group(1).strip()), None
            continue
        if _MENU_HEAD.match(line) and not _LETTERED.match(line):  # "Menu kegiatan yang dapat diusulkan:"
            sub = ""
            continue
        subhead = _SUBBIDANG.match(line)
        if subhead:
            sub = _tidy("Subbidang " + subhead.group(2))
            nxt = lines[index + 1] if index + 1 < len(lines) else ""
            if nxt.strip() and not (_LETTERED.match(nxt) or _NUMBERED.match(nxt) or _SUBBIDANG.match(nxt)):
                found.append(Menu(bidang, sub, *_split_menu(nxt)))
            continue
        if sub is None:
            continue
        item = _LETTERED.match(line)
        if item:
            found.append(Menu(bidang, sub, *_split_menu(item.group(2))))
        elif _NUMBERED.match(line) or not line.strip():
            sub = None
        elif found and found[-1].subbidang == sub and line[:1].islower():
            last = found[-1]
            if last.rincian:
                last.rincian = _tidy(last.rincian + " " + line)
            else:
                last.menu = _tidy(last.menu + " " + line)
    unique: dict[tuple[str | None, str, str], Menu] = {}
    for m in found:
        unique.setdefault((m.bidang, m.subbidang, m.menu), m)
    return list(unique.values())


def _record(meta: dict[str, Any], resp: Response, key: str, title: str, **fields: Any) -> dict[str, Any]:
    record = {"key": key, "source_url": resp.url, "title": title, "description": meta["title"],
              "funding_type": meta["funding_type"], "ministry": meta["ministry"], "bidang": None,
              "subbidang": None, "menu": None, "fiscal_year": meta["fiscal_year"],
              "recipient_levels": meta["recipient_levels"], "opens_on": None, "closes_on": None,
              "ceiling_idr": None, "legal_basis": meta["legal_basis"], "raw_sha256": resp.sha256}
    record.update(fields)
    return record


def _row(row: list[str | None], cols: dict[str, int], meta: dict[str, Any], resp: Response, out: Parsed) -> None:
    bidang, sub, menu = (_cell(row, cols, n) for n in ("bidang", "subbidang", "menu"))
    raw = {"row": row, "url": resp.url}
    if not menu or not bidang:
        out.rejects.append(Reject("menu", "baris menu tanpa bidang atau nama menu", "menu row without bidang or menu",
                                  raw, resp.sha256))
        return
    fy = meta["fiscal_year"]
    out.programmes.append({
        **_record(meta, resp, f"{fy}/{bidang}/{sub}/{menu}", f"DAK Fisik Bidang {bidang} – {menu}" +
                  (f" TA {fy}" if fy else "")),
        "description": _cell(row, cols, "rincian"), "ministry": _cell(row, cols, "ministry") or meta["ministry"],
        "bidang": bidang, "subbidang": sub or None, "menu": menu,
        "recipient_levels": levels(_cell(row, cols, "pengusul")), "ceiling_idr": _amount(_cell(row, cols, "pagu")),
    })
