"""Ministry announcements: HTML listings with detail pages, and RSS feeds (hibah, bantuan pemerintah,
competition and award calls).

Follows the real kinds of ministry site: WordPress sites (pu.go.id/berita/, menpan.go.id, esdm.go.id:
`article.post`, `.entry-content`, "Diposting ..."), Laravel portals (kemensos.go.id/berita,
kemenlh.go.id: `div.list-berita`, `div.isi-berita`), older table portals (dephub.go.id/pengumuman/,
kemendagri.go.id, windows-1252 pages laid out with tables) and RSS 2.0 feeds with `content:encoded`
(kemkes.go.id, komdigi.go.id). Fields come from free text via `nyengget.sources.extract`, never from
one site's markup.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from nyengget.sources.extract import MONTHS, extract_text
from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.pages import block_text, main_text, soup
from nyengget.sources.records import Parsed
from nyengget.sources.registry import SourceConfig

CALL = re.compile(r"\b(hibah|bantuan|penghargaan|kompetisi|award|anugerah|lomba|pendaftaran|pengusulan|usulan|"
                  r"insentif|evaluasi|nugraha|adipura|swasti saba|kabupaten/kota sehat|tantra)\b", re.I)
_PREFIX = re.compile(r"^(?:pengumuman\s*:?\s*|pembukaan\s+pendaftaran\s+|ketentuan\s+|pendaftaran\s+|"
                     r"informasi\s+)+", re.I)
_TYPES = (("Hibah Daerah", r"\bhibah\b"),
          ("Kompetisi/Penghargaan", r"\b(penghargaan|kompetisi|award|anugerah|lomba|nugraha|adipura|tantra)\b"),
          ("Bantuan Pemerintah", r"\bbantuan\b"))
_FY = re.compile(r"(?:\bTA\b|tahun\s+anggaran|tahun|periode)\s*(20\d\d)|\b(20\d\d)\b", re.I)
_DATEISH = re.compile(r"\b\d{1,2}\s+(" + "|".join(MONTHS) + r")\b|\bRp\.?\s?\d|pukul\s+\d|menghubungi", re.I)


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    for listing in ctx.get_each(ctx.source.urls, out):
        if _is_feed(listing):
            out.extend(ctx.parse(listing, "feed", lambda r: parse_feed(r, ctx.source)))
            continue
        for link in listing_links(listing, ctx.source):
            try:
                page = ctx.get(link)
            except FetchError as exc:
                out.errors.append(str(exc))
                continue
            out.extend(ctx.parse(page, "detail", lambda r: parse_detail(r, ctx.source)))
    return out


def _is_feed(resp: Response) -> bool:
    head = resp.body.lstrip()[:300].lower()
    return "xml" in resp.content_type.lower() or head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def listing_links(resp: Response, source: SourceConfig) -> list[str]:
    """Same-host links whose text looks like a funding call (news items are skipped)."""
    doc = soup(resp.text)
    selector = source.options.get("link_selector", "a[href]")
    host = urlsplit(resp.url).hostname
    links: list[str] = []
    for a in doc.select(selector):
        href = urljoin(resp.url, a.get("href", ""))
        if urlsplit(href).hostname != host or not CALL.search(a.get_text(" ", strip=True)):
            continue
        if href.split("#")[0] not in links and href.split("#")[0] != resp.url:
            links.append(href.split("#")[0])
    return links


def parse_detail(resp: Response, source: SourceConfig) -> Parsed:
    title, text = main_text(resp.text)
    record = announcement(title, text, resp.url, source)
    if record:
        record["raw_sha256"] = resp.sha256
    return Parsed(programmes=[record] if record else [])


def parse_feed(resp: Response, source: SourceConfig) -> Parsed:
    feed = feedparser.parse(resp.body)
    out = Parsed()
    if feed.bozo and not feed.entries:
        out.errors.append(f"malformed feed {resp.url}: {feed.get('bozo_exception')}")
    for entry in feed.entries:
        content = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
        text = block_text(soup(content))
        record = announcement(entry.get("title", ""), text, entry.get("link") or resp.url, source)
        if record:
            record["raw_sha256"] = resp.sha256
            out.programmes.append(record)
    return out


def funding_type(title: str, text: str, default: str | None) -> str | None:
    for name, pattern in _TYPES:
        if re.search(pattern, title, re.I):
            return name
    for name, pattern in _TYPES:
        if re.search(pattern, text[:400], re.I):
            return name
    return default


def fiscal_year(title: str, text: str) -> int | None:
    for chunk in (title, " ".join(re.findall(r"tahun\s+anggaran\s+20\d\d", text, re.I))):
        years = [int(a or b) for a, b in _FY.findall(chunk)]
        if years:
            return max(years)
    return None


def description(text: str, limit: int = 1500) -> str:
    """The programme's content: paragraphs without dates, amounts and contact lines."""
    keep = [p for p in text.split("\n") if len(p) > 60 and not _DATEISH.search(p)]
    out = " ".join(keep)
    return out[:limit].rsplit(" ", 1)[0] if len(out) > limit else out


def announcement(title: str, text: str, url: str, source: SourceConfig) -> dict[str, Any] | None:
    """A programme record from one announcement, or None when it is not a funding call."""
    title = _PREFIX.sub("", title).strip()
    if not CALL.search(title):
        return None
    fields = extract_text(text)
    return {
        "key": urlsplit(url).path.strip("/") or url,
        "source_url": url,
        "title": title,
        "description": description(text),
        "funding_type": funding_type(title, text, source.options.get("funding_type")),
        "ministry": source.options.get("ministry"),
        "bidang": source.options.get("bidang"),
        "fiscal_year": fiscal_year(title, text),
        "recipient_levels": ";".join(fields["recipient_levels"]),
        "opens_on": fields["opens_on"],
        "closes_on": fields["closes_on"],
        "ceiling_idr": fields["ceiling_idr"],
        "legal_basis": source.options.get("legal_basis"),
    }
