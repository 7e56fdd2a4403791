"""Regulations from JDIH BPK: peraturan.bpk.go.id search results + detail pages.

Follows https://peraturan.bpk.go.id/Search?keywords=... as public BPK scrapers read it (see
sources.yaml): result cards `div.card` whose title link goes to /Details/<id>/<slug>, followed by
relation blocks ("Diubah dengan", "Mencabut") linking other regulations, which are skipped;
`a.page-link` pagination (followed up to `max_pages`); detail pages with a "METADATA PERATURAN" card
of label/value rows (`.col-lg-3` / `.col-lg-9`), an "ABSTRAK" card read by its heading and
`a.download-file` links. Labels are matched by name, not by position. Titles lose their form in
every way BPK writes it ("PMK No. 125 Tahun 2023 tentang ...", "Peraturan Menteri Keuangan (PMK)
Nomor ... tentang ..."). JDIH Kemenkeu is not read: its pages are rendered by script.

Every regulation goes to the `regulations` table (jenis, nomor, tahun, judul, tanggal penetapan,
status, subjek, PDF link) so programmes can cite it in `legal_basis`. A regulation becomes a
programme only when it is one: a KMK/PMK allocating an Insentif Fiskal category (title "... Insentif
Fiskal ... Kinerja/Kategori ..."); a PMK on how DAK or hibah are managed is not itself a programme.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from nyengget.sources.extract import MONTHS, mentions, recipient_levels
from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.pages import clean, soup
from nyengget.sources.records import Parsed, slug
from nyengget.sources.verdict import layout_changed

LABELS = {"judul": ("judul", "judul peraturan", "tentang"), "nomor": ("nomor", "nomor peraturan", "no"),
          "tahun": ("tahun", "tahun terbit", "tahun pengundangan", "tahun peraturan"),
          "jenis": ("bentuk singkat", "singkatan jenis/bentuk peraturan", "jenis peraturan", "jenis/bentuk peraturan",
                    "bentuk", "jenis"),
          "tanggal_penetapan": ("tanggal penetapan", "tgl penetapan", "ditetapkan"), "status": ("status",),
          "subjek": ("subjek", "bidang hukum")}
SHORT = {"peraturan menteri keuangan": "PMK", "keputusan menteri keuangan": "KMK", "peraturan presiden": "Perpres",
         "peraturan pemerintah": "PP", "undang-undang": "UU", "peraturan menteri dalam negeri": "Permendagri"}
_DETAIL_HREF = re.compile(r"/Details/", re.I)
_REG_TEXT = re.compile(r"^(peraturan|keputusan|instruksi|surat\s+edaran|undang-undang|pmk|kmk|perpres|pp|permen\w*|"
                       r"kepmen\w*|uu|perda|pergub|perbup|perwal)\b.{0,120}?\b(no\.?|nomor)\s*\d", re.I)
_PDF_HREF = re.compile(r"(/Download/|\.pdf$)", re.I)
_PROGRAMME = re.compile(r"(rincian\s+alokasi|kinerja|kategori).*insentif\s+fiskal|insentif\s+fiskal.*\b(kinerja|kategori)\b", re.I)
_TGL = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(20\d\d)")


MAX_PAGES = 3
_RELATION = re.compile(r"^\W*(diubah|mengubah|dicabut|mencabut|diganti|mengganti|dilaksanakan|melaksanakan|"
                       r"ditetapkan\s+dengan|dasar\s+hukum|uji\s+materi|status)\b", re.I)
_TITLE_PREFIX = re.compile(
    r"^[^\n]{0,160}?\b(?:nomor|no\.?)\s*[\w./-]+(?:\s+tahun\s+\d{4})?\s+tentang\s+", re.I)
_FORM_PREFIX = re.compile(
    r"^(?:(?:peraturan|keputusan|instruksi|surat\s+edaran)\s+[^\n]{0,100}?|undang-undang|"
    r"(?:pmk|kmk|perpres|pp|permen\w*|kepmen\w*|uu)\b[^\n]{0,40}?)\s+tentang\s+", re.I)
EXPECTED_SEARCH = "result cards linking /Details/<id>/<slug> (div.card with a title link)"
EXPECTED_DETAIL = "a METADATA PERATURAN block with Judul/Nomor/Tahun rows"


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    pages = int(ctx.source.options.get("max_pages", MAX_PAGES))
    seen: set[str] = set()
    for start in ctx.source.urls:
        queue = [start]
        for _ in range(pages):
            if not queue:
                break
            url = queue.pop(0)
            try:  # structure is the check on every page: a subject like "Pemeliharaan Jalan" is no error page
                listing = ctx.get(url, check_page=False)
            except FetchError as exc:
                if not (exc.status == 404 and url != start):  # a vanished follow-up page ends the results
                    out.errors.append(str(exc))
                break
            _details(ctx, listing, seen, out)
            queue = [u for u in next_pages(listing) if u not in seen][:1]
            seen.update(queue)
    return out


def _details(ctx: Any, listing: Response, seen: set[str], out: Parsed) -> None:
    links = detail_links(listing)
    if not links and _looks_like_detail(listing):  # the configured URL is a regulation's own page
        out.extend(ctx.parse(listing, "detail", lambda r: parse_detail(r, ctx.source.options)))
        return
    if not links:
        out.errors.append(layout_changed(listing.url, EXPECTED_SEARCH))
    for link in links:
        if link in seen:
            continue
        seen.add(link)
        try:  # the page's own metadata is the check: a subject like "Pemeliharaan Jalan" is no error page
            page = ctx.get(link, check_page=False)
        except FetchError as exc:
            out.errors.append(str(exc))
            continue
        out.extend(ctx.parse(page, "detail", lambda r: parse_detail(r, ctx.source.options)))


def _looks_like_detail(resp: Response) -> bool:
    pairs = _pairs(resp)
    return bool(_field(pairs, "judul") and _field(pairs, "nomor"))


def detail_links(resp: Response) -> list[str]:
    """Each result's own /Details/ link, never the relation blocks ("Diubah dengan", "Mencabut", ...)
    under a result that point outside the result set. A result's link is its title: inside a heading
    or a bold title element (`div.col-lg-10.fs-2.fw-bold a`); else the first link of each innermost
    result card (`div.card`); else every link not under a relation label."""
    doc = soup(resp.text)
    anchors = [a for a in doc.find_all("a", href=_DETAIL_HREF) if _is_title(a)]
    if not anchors:
        cards = [c for c in doc.select("div.card") if c.find("a", href=_DETAIL_HREF)]
        inner = [c for c in cards if not any(c in o.parents for o in cards if o is not c)]
        anchors = [c.find("a", href=_DETAIL_HREF) for c in inner] if len(inner) > 1 else [
            a for a in doc.find_all("a", href=_DETAIL_HREF) if not _in_relation(a)]
    if not anchors:  # another JDIH: links whose text names a regulation (form and number)
        host = urlsplit(resp.url).hostname
        anchors = [a for a in doc.find_all("a", href=True) if _REG_TEXT.match(clean(a.get_text(" ")))
                   and not _PDF_HREF.search(a["href"]) and urlsplit(urljoin(resp.url, a["href"])).hostname == host
                   and not _in_relation(a)]
    links: list[str] = []
    for a in anchors:
        href = urljoin(resp.url, a["href"])
        if href not in links:
            links.append(href)
    return links


def _is_title(a: Any) -> bool:
    for parent in a.parents:
        if parent.name in ("h1", "h2", "h3", "h4", "h5") or "fw-bold" in (parent.get("class") or []):
            return True
        if parent.name in ("li", "ul", "ol") or "card" in (parent.get("class") or []):
            return False
    return False


def _in_relation(a: Any) -> bool:
    """The link sits under a relation label: in a block starting with it, or right after it."""
    block = a.find_parent(["li", "div", "p", "td", "dd"])
    near = [block, a.find_previous_sibling(), a.parent.find_previous_sibling() if a.parent else None]
    return any(n is not None and _RELATION.match(n.get_text(" ", strip=True)) for n in near)


def next_pages(resp: Response) -> list[str]:
    """Result pages after the current one (`a.page-link`, the active item skipped)."""
    current = _page_number(resp.url)
    pages = []
    for a in soup(resp.text).select("a.page-link[href], .pagination a[href]"):
        href = urljoin(resp.url, a["href"])
        item = a.find_parent("li")
        number = _page_number(href)
        if (item and "active" in (item.get("class") or [])) or number is None or number <= current:
            continue
        if href not in pages:
            pages.append(href)
    return sorted(pages, key=lambda h: _page_number(h) or 0)


def _page_number(url: str) -> int | None:
    query = parse_qs(urlsplit(url).query)
    value = (query.get("p") or query.get("page") or ["1"])[0]
    return int(value) if value.isdigit() else None


def strip_form(title: str) -> str:
    """`PMK No. 125 Tahun 2023 tentang X`, `Peraturan Menteri Keuangan (PMK) Nomor 125 Tahun 2023
    tentang X`, `Peraturan Menteri Keuangan tentang X` -> `X` (only the first "tentang")."""
    title = clean(title)
    for pattern in (_TITLE_PREFIX, _FORM_PREFIX):
        stripped = pattern.sub("", title, count=1)
        if stripped != title and stripped:
            return stripped
    return title


def _pairs(resp: Response) -> dict[str, str]:
    """Label -> value from label/value rows (div columns, th/td or dt/dd)."""
    doc = soup(resp.text)
    pairs: dict[str, str] = {}
    for row in doc.select("div.row, tr, dl"):
        cells = row.find_all(["th", "td", "dt", "dd"], recursive=False) or row.find_all("div", recursive=False)
        if len(cells) >= 2:
            label = clean(cells[0].get_text(" ")).lower().rstrip(":")
            pairs.setdefault(label, clean(cells[1].get_text(" ")))
    return pairs


def _field(pairs: dict[str, str], name: str) -> str | None:
    for label in LABELS[name]:
        if pairs.get(label):
            return pairs[label]
    return None


def _date(text: str | None) -> str | None:
    m = _TGL.search(text or "")
    if not m or m.group(2).lower() not in MONTHS:
        return None
    return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()


def _jenis(value: str | None) -> str:
    value = clean(value)
    return SHORT.get(value.lower(), value) or "Peraturan"


def parse_detail(resp: Response, options: dict[str, Any]) -> Parsed:
    pairs = _pairs(resp)
    doc = soup(resp.text)
    judul, nomor, tahun = _field(pairs, "judul"), _field(pairs, "nomor"), _field(pairs, "tahun")
    if not judul or not nomor or not (tahun or "").isdigit():
        return Parsed(errors=[layout_changed(resp.url, EXPECTED_DETAIL)])
    jenis = _jenis(_field(pairs, "jenis"))
    judul = strip_form(judul)
    pdfs = pdf_links(resp)
    reg = {"regulation_id": slug(f"{jenis}-{nomor}-{tahun}"), "source_url": resp.url, "jenis": jenis,
           "nomor": nomor, "tahun": int(tahun), "judul": judul,
           "tanggal_penetapan": _date(_field(pairs, "tanggal_penetapan")), "status": _field(pairs, "status"),
           "subjek": _field(pairs, "subjek"), "pdf_url": pdfs[0] if pdfs else None,
           "raw_sha256": resp.sha256}
    out = Parsed(regulations=[reg])
    if _PROGRAMME.search(judul):
        out.programmes.append(_programme(reg, section(doc, "abstrak"), options))
    return out


def pdf_links(resp: Response) -> list[str]:
    """The regulation's own files (`a.download-file`, `/Download/` or `.pdf` links), in page order."""
    links: list[str] = []
    for a in soup(resp.text).find_all("a", href=_PDF_HREF):
        href = urljoin(resp.url, a["href"])
        if href not in links:
            links.append(href)
    return links


def _siblings_text(tag: Any) -> str:
    parts = [sib.get_text(" ") if hasattr(sib, "get_text") else str(sib) for sib in tag.next_siblings]
    return clean(" ".join(parts))


def section(doc: Any, heading: str) -> str:
    """Text of the block under the heading `heading` (BPK cards: `<h4>ABSTRAK</h4>` then its body)."""
    for tag in doc.find_all(["h2", "h3", "h4", "h5", "h6", "strong", "dt"]):
        if clean(tag.get_text(" ")).lower().rstrip(":") != heading:
            continue
        text = _siblings_text(tag)
        if not text and tag.parent is not None:  # heading wrapped in its own header element
            text = _siblings_text(tag.parent)
        if text:
            return re.sub(rf"^{heading}\s*:\s*", "", text, flags=re.I)
    return ""


def _programme(reg: dict[str, Any], abstract: str, options: dict[str, Any]) -> dict[str, Any]:
    title = re.sub(r"^(rincian\s+alokasi|pengelolaan|penetapan)\s+", "", reg["judul"], flags=re.I)
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", title)]
    ranges = [m for m in mentions(abstract) if m.first]  # an assessment period, when the KMK states one
    opens, closes = (ranges[0].first, ranges[0].last) if ranges else (None, None)
    levels = recipient_levels(abstract) or options.get("recipient_levels", "provinsi;kabupaten;kota").split(";")
    return {"key": title, "source_url": reg["source_url"], "title": title,
            "description": re.sub(r"\s*Periode penilaian[^.]*\.", "", abstract),
            "funding_type": "Insentif Fiskal", "ministry": options.get("ministry", "Kemenkeu"),
            "bidang": "Insentif Fiskal", "fiscal_year": max(years) if years else reg["tahun"],
            "recipient_levels": ";".join(levels), "opens_on": opens.isoformat() if opens else None,
            "closes_on": closes.isoformat() if closes else None, "ceiling_idr": None,
            "legal_basis": f"{reg['jenis']} Nomor {reg['nomor']} Tahun {reg['tahun']}", "raw_sha256": reg["raw_sha256"]}
