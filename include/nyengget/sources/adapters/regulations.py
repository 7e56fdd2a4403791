"""Regulations from JDIH: peraturan.bpk.go.id search results + detail pages, and jdih.kemenkeu.go.id
PMK pages.

Follows https://peraturan.bpk.go.id/Search?keywords=... (result cards linking /Details/<id>/<slug>;
detail pages with "Metadata Peraturan" label/value rows, an "Abstrak" block and a /Download/ link)
and JDIH Kemenkeu document pages (/dok/<slug>: a `table-detail` of label/value rows, a download
button). Labels are matched by name, not by position.

Every regulation goes to the `regulations` table (jenis, nomor, tahun, judul, tanggal penetapan,
status, subjek, PDF link) so programmes can cite it in `legal_basis`. A regulation becomes a
programme only when it is one: a KMK/PMK allocating an Insentif Fiskal category (title "... Insentif
Fiskal ... Kinerja/Kategori ..."); a PMK on how DAK or hibah are managed is not itself a programme.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from nyengget.sources.extract import MONTHS, mentions, recipient_levels
from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.pages import clean, soup
from nyengget.sources.records import Parsed, slug

LABELS = {"judul": ("judul", "tentang"), "nomor": ("nomor",), "tahun": ("tahun",),
          "jenis": ("bentuk singkat", "jenis peraturan", "bentuk", "jenis"),
          "tanggal_penetapan": ("tanggal penetapan", "tgl penetapan", "ditetapkan"), "status": ("status",),
          "subjek": ("subjek", "bidang hukum")}
SHORT = {"peraturan menteri keuangan": "PMK", "keputusan menteri keuangan": "KMK", "peraturan presiden": "Perpres",
         "peraturan pemerintah": "PP", "undang-undang": "UU", "peraturan menteri dalam negeri": "Permendagri"}
_DETAIL = re.compile(r"/(Details|dok)/", re.I)
_PROGRAMME = re.compile(r"(rincian\s+alokasi|kinerja|kategori).*insentif\s+fiskal|insentif\s+fiskal.*\b(kinerja|kategori)\b", re.I)
_TGL = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(20\d\d)")


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    for listing in ctx.get_each(ctx.source.urls, out):
        links = detail_links(listing)
        if not links:
            out.errors.append(f"{listing.url}: no regulation links found in the result page")
        for link in links:
            try:
                page = ctx.get(link)
            except FetchError as exc:
                out.errors.append(str(exc))
                continue
            out.extend(ctx.parse(page, "detail", lambda r: parse_detail(r, ctx.source.options)))
    return out


def detail_links(resp: Response) -> list[str]:
    links: list[str] = []
    for a in soup(resp.text).find_all("a", href=True):
        href = urljoin(resp.url, a["href"])
        if _DETAIL.search(urlsplit(href).path) and href not in links:
            links.append(href)
    return links


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
        return Parsed(errors=[f"{resp.url}: regulation page without Judul/Nomor/Tahun (layout changed?)"])
    jenis = _jenis(_field(pairs, "jenis"))
    judul = re.sub(rf"^{jenis}\s+Nomor\s+\S+\s+Tahun\s+\d{{4}}\s+tentang\s+", "", judul, flags=re.I)
    pdf = doc.find("a", href=re.compile(r"(download|\.pdf)", re.I))
    reg = {"regulation_id": slug(f"{jenis}-{nomor}-{tahun}"), "source_url": resp.url, "jenis": jenis,
           "nomor": nomor, "tahun": int(tahun), "judul": judul,
           "tanggal_penetapan": _date(_field(pairs, "tanggal_penetapan")), "status": _field(pairs, "status"),
           "subjek": _field(pairs, "subjek"), "pdf_url": urljoin(resp.url, pdf["href"]) if pdf else None,
           "raw_sha256": resp.sha256}
    out = Parsed(regulations=[reg])
    if _PROGRAMME.search(judul):
        abstract = doc.select_one(".abstrak")
        out.programmes.append(_programme(reg, clean(abstract.get_text(" ")) if abstract else "", options))
    return out


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
