"""Ministry announcements: HTML listings with detail pages, and RSS feeds (hibah, bantuan pemerintah,
competition and award calls, reporting windows).

Follows the real kinds of ministry site: WordPress sites (pu.go.id/berita/, menpan.go.id, esdm.go.id:
`article.post`, `.entry-content`, "Diposting ..."), Joomla (`.item-page`, headline in
`.article-header h2`), Laravel portals (kemensos.go.id/berita, kemenlh.go.id: `div.list-berita`,
`div.isi-berita`), older PHP and table portals (headline in `h2`/`h3`, `<title>` the site name,
windows-1252) and RSS 2.0 feeds with `content:encoded` (kemkes.go.id, komdigi.go.id).

Whether a page is a call is decided from its body (`extract.extract_text`), never from its title:
real headlines use acronyms ("Sosialisasikan IGA 2023 ... Pelaporan ... Resmi Dibuka"). Every article
link of a listing is read (a bounded number, over a bounded number of listing pages); pages that are
not calls (award ceremonies, recipient lists, evaluation news) are kept as news, never as programmes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import Tag

from nyengget.sources.extract import extract_text, funding_type
from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.pages import block_text, blocks_as_sentences, clean, read_page, soup
from nyengget.sources.records import Parsed
from nyengget.sources.registry import SourceConfig

MAX_PAGES = 3  # listing pages read per listing URL (page 1 plus pagination)
MAX_LINKS = 40  # detail pages read per listing page
_PREFIX = re.compile(r"^(?:pengumuman\s*:?\s*|pembukaan\s+pendaftaran\s+|ketentuan\s+|informasi\s+)+", re.I)
_DATEISH = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}\b|\bRp\.?\s?\d|pukul\s+\d|menghubungi", re.I)
_LINK_FURNITURE = re.compile(r"(^|[-_ ])(nav|navbar|menu|sidebar|widget|footer|breadcrumb|share|social|related|"
                             r"terkait|populer|popular|berita-lain|lainnya|tags?|kategori|category|comment|"
                             r"pagination|pager)([-_ ]|$)", re.I)
_NEXT_TEXT = re.compile(r"^(?:(?:next|berikutnya|selanjutnya|lanjut)\s*[»›>]*|[»›>]{1,2}|[2-9]|\d\d)$", re.I)
_GONE = (404, 410)
_FILE = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|jpe?g|png|gif|mp4)$", re.I)  # downloads, not articles


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    for listing in ctx.get_each(ctx.source.urls, out):
        if _is_feed(listing):
            out.extend(ctx.parse(listing, "feed", lambda r: parse_feed(r, ctx.source)))
            continue
        seen: set[str] = set()
        for page in _listing_pages(ctx, listing, out, ctx.source.options.get("max_pages", MAX_PAGES)):
            for link in listing_links(page, ctx.source)[:ctx.source.options.get("max_links", MAX_LINKS)]:
                if link in seen:
                    continue
                seen.add(link)
                _read_detail(ctx, link, out)
    return out


def _read_detail(ctx: Any, link: str, out: Parsed) -> None:
    try:
        page = ctx.get(link)
    except FetchError as exc:
        if exc.status not in _GONE:  # a listed article that is gone is not a broken scraper
            out.errors.append(str(exc))
        return
    out.extend(ctx.parse(page, "detail", lambda r: parse_detail(r, ctx.source)))


def _listing_pages(ctx: Any, first: Response, out: Parsed, limit: int) -> list[Response]:
    """Page 1 of a listing and up to `limit - 1` following pages (rel=next or the pagination block)."""
    pages, seen = [first], {first.url}
    while len(pages) < limit:
        nxt = next_page(pages[-1], seen)
        if nxt is None:
            break
        seen.add(nxt)
        try:
            pages.append(ctx.get(nxt))
        except FetchError as exc:
            if exc.status not in _GONE:
                out.errors.append(str(exc))
            break
    return pages


def next_page(resp: Response, seen: set[str]) -> str | None:
    """The next listing page: `rel=next`, else the lowest unseen page link in a pagination block."""
    doc = soup(resp.text)
    link = doc.find(["a", "link"], attrs={"rel": "next"})
    if link and link.get("href"):
        url = urljoin(resp.url, link["href"])
        return url if url not in seen and urlsplit(url).hostname == urlsplit(resp.url).hostname else None
    for block in doc.select(".pagination, .pager, .page-numbers, nav.navigation, ul.pages, .paging"):
        for a in block.find_all("a", href=True):
            url = urljoin(resp.url, a["href"])
            if url not in seen and _NEXT_TEXT.match(clean(a.get_text(" "))) and \
                    urlsplit(url).hostname == urlsplit(resp.url).hostname:
                return url
    return None


def _is_feed(resp: Response) -> bool:
    head = resp.body.lstrip()[:300].lower()
    return "xml" in resp.content_type.lower() or head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def _link_in_furniture(a: Tag) -> bool:
    for node in [a, *a.parents]:
        if node.name in ("body", "html", "main", "[document]"):
            return False  # page-wide classes ("archive category", "view-category") say nothing of one link
        if node.name in ("nav", "footer", "aside", "form"):
            return True
        attrs = getattr(node, "attrs", None) or {}
        if _LINK_FURNITURE.search(" ".join(attrs.get("class") or []) + " " + str(attrs.get("id") or "")):
            return True
    return False


def listing_links(resp: Response, source: SourceConfig) -> list[str]:
    """Same-host article links of a listing page: the page's own items, not its menus, sidebars,
    tag clouds or pagination; an article link carries a headline (at least three words)."""
    doc = soup(resp.text)
    selector = source.options.get("link_selector", "a[href]")
    host = urlsplit(resp.url).hostname
    links: list[str] = []
    for a in doc.select(selector):
        href = urljoin(resp.url, a.get("href", "")).split("#")[0]
        text = clean(a.get_text(" ")) or clean(a.get("title"))
        if urlsplit(href).hostname != host or href in links or href.rstrip("/") == resp.url.split("#")[0].rstrip("/"):
            continue
        if len(text.split()) < 3 or _FILE.search(urlsplit(href).path) or _link_in_furniture(a):
            continue
        links.append(href)
    return links


def parse_detail(resp: Response, source: SourceConfig) -> Parsed:
    if resp.body.lstrip()[:5] == b"%PDF-" or "html" not in (resp.content_type.lower() or "text/html"):
        return Parsed()  # a listed download (PDF, image): not an article page
    page = read_page(resp.text, resp.url)
    return _one(page.title, blocks_as_sentences(page.text), resp.url, source, resp.sha256, page.published)


def parse_feed(resp: Response, source: SourceConfig) -> Parsed:
    feed = feedparser.parse(resp.body)
    out = Parsed()
    if feed.bozo and not feed.entries:
        out.errors.append(f"malformed feed {resp.url}: {feed.get('bozo_exception')}")
    for entry in feed.entries:
        content = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
        text = blocks_as_sentences(block_text(soup(content)))
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(*stamp[:3]) if stamp else None
        out.extend(_one(clean(entry.get("title", "")), text, urljoin(resp.url, entry.get("link") or resp.url),
                        source, resp.sha256, published))
    return out


def _one(title: str, text: str, url: str, source: SourceConfig, sha: str, published: date | None) -> Parsed:
    record = announcement(title, text, url, source, published)
    record["raw_sha256"] = sha
    if record.pop("is_call"):
        return Parsed(programmes=[record])
    return Parsed(news=[news_item(record)])


def description(text: str, limit: int = 1500) -> str:
    """The programme's content: paragraphs without dates, amounts and contact lines."""
    keep = [p for p in text.split("\n") if len(p) > 60 and not _DATEISH.search(p)]
    out = " ".join(keep)
    return out[:limit].rsplit(" ", 1)[0] if len(out) > limit else out


def announcement(title: str, text: str, url: str, source: SourceConfig,
                 published: date | None = None) -> dict[str, Any]:
    """A programme record from one announcement, with `is_call` saying whether it is a call."""
    title = _PREFIX.sub("", title).strip()
    fields = extract_text(text, title, published)
    return {
        "is_call": fields["is_call"],
        "key": urlsplit(url).path.strip("/") or url,
        "source_url": url,
        "title": title,
        "description": description(text),
        "funding_type": funding_type(title, text, source.options.get("funding_type")),
        "ministry": source.options.get("ministry"),
        "bidang": source.options.get("bidang"),
        "fiscal_year": fields["fiscal_year"],
        "recipient_levels": ";".join(fields["recipient_levels"]),
        "opens_on": fields["opens_on"],
        "closes_on": fields["closes_on"],
        "ceiling_idr": fields["ceiling_idr"],
        "legal_basis": source.options.get("legal_basis"),
        "published_on": fields["published_on"],
        "extended_from": fields["extended_from"],
        "evidence": json.dumps({**fields["evidence"], "extended_from": fields["extended_from"]}, ensure_ascii=False),
    }


def news_item(record: dict[str, Any]) -> dict[str, Any]:
    """A non-call page as a `news` row: context for planners and for the forecast, never a programme."""
    keys = ("key", "source_url", "title", "description", "funding_type", "ministry", "fiscal_year",
            "recipient_levels", "published_on", "opens_on", "closes_on", "raw_sha256")
    item = {k: record.get(k) for k in keys}
    item["title"] = item["title"] or item["source_url"]
    return item
