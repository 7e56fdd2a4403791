"""HTML helpers shared by adapters: error/login page detection, headline, main text and publication date.

The HTML libraries (BeautifulSoup, trafilatura, htmldate) are imported where a page is read: `clean` is
used by every record's normalisation, and the weekly tasks that only validate records should not load
them (a tenth of a task process's imports)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

_ERROR_TITLE = re.compile(
    r"\b(404|403|500|502|503|not found|tidak ditemukan|page not found|halaman tidak|forbidden|akses ditolak|"
    r"access denied|service unavailable|internal server error|bad gateway|maintenance|pemeliharaan|"
    r"sedang dalam perbaikan|just a moment|attention required|log ?in|sign ?in|masuk ke akun|"
    r"halaman masuk|sesi (anda )?(telah )?berakhir|session expired|error|kesalahan)\b", re.I)
# elements and classes that are page furniture, never content
_FURNITURE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
                   "svg", "button", "select", "template")
_FURNITURE_CLASS = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|sidebar|widget|footer|header|breadcrumb|share|social|related|comment|"
    r"tags?|meta|post-meta|entry-meta|byline|date|time|author|pagination|cookie|banner|popup|modal|"
    r"terkait|populer|popular|berita-lain|kategori)([-_ ]|$)", re.I)
_MAIN = ("article", "main", "[itemprop=articleBody]", ".entry-content", ".post-content", ".article-content",
         ".content-detail", ".detail-content", ".isi-berita", ".news-content", "#content", ".content")

for _name in ("trafilatura", "htmldate"):  # their per-page warnings are not ours to log
    logging.getLogger(_name).setLevel(logging.ERROR)


def soup(html: str) -> BeautifulSoup:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


def error_page_reason(html: str) -> str | None:
    """Why a 200 HTML page is really an error or login page, or None when it looks fine."""
    doc = soup(html)
    if doc.find("input", attrs={"type": re.compile("^password$", re.I)}):
        return "a login page (password field)"
    title = doc.title.get_text(" ", strip=True) if doc.title else ""
    h1 = doc.h1.get_text(" ", strip=True) if doc.h1 else ""
    for label, text in (("title", title), ("heading", h1)):
        match = _ERROR_TITLE.search(text)
        if match and len(text) < 120:
            return f"an error page ({label} {text!r})"
    return None


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _FURNITURE_TAGS:
        return True
    attrs = getattr(tag, "attrs", None) or {}
    classes = " ".join(attrs.get("class") or []) + " " + str(attrs.get("id") or "")
    role = str(attrs.get("role") or "")
    return bool(_FURNITURE_CLASS.search(classes.strip())) or role in ("navigation", "banner", "contentinfo")


def strip_furniture(node: Tag) -> Tag:
    """Remove menus, sidebars, footers, post metadata and scripts from `node` (in place)."""
    for tag in list(node.find_all(True)):
        if getattr(tag, "decomposed", False):
            continue
        if tag.parent is not None and _is_furniture(tag):
            tag.decompose()
    return node


def main_node(doc: BeautifulSoup) -> Tag:
    """The element holding the page's main text (article/main/.entry-content/..., else body)."""
    for selector in _MAIN:
        found = doc.select(selector)
        found = [f for f in found if len(f.get_text(" ", strip=True)) > 80]
        if found:
            return max(found, key=lambda f: len(f.get_text(" ", strip=True)))
    return doc.body or doc


def block_text(node: Tag) -> str:
    """Text with one line per block element, whitespace collapsed inside lines."""
    for br in node.find_all("br"):
        br.replace_with("\n")
    for block in node.find_all(["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                "section", "article", "dd", "dt", "blockquote"]):
        block.insert_before("\n")
        block.insert_after("\n")
    for cell in node.find_all(["td", "th"]):
        cell.insert_after(" | ")
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip(" |") for line in node.get_text().splitlines())
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Page:
    """What an article page says: headline (and where it came from), main text, own publication date."""

    title: str
    text: str
    published: date | None
    title_source: str


_HEADLINE_CLASS = re.compile(r"(title|judul|headline|heading|entry-title|post-title)", re.I)
_NOT_HEADLINE = re.compile(r"(site-title|site-name|site-branding|logo|brand|widget|sidebar|footer|menu|navbar|"
                           r"breadcrumb|related|terkait|populer|popular|berita-lain|lainnya|comment)", re.I)
_SITE_SPLIT = re.compile(r"\s+(?:\||–|—|-|::|»)\s+")


def _attrs_text(tag: Tag) -> str:
    attrs = getattr(tag, "attrs", None) or {}
    return " ".join(attrs.get("class") or []) + " " + str(attrs.get("id") or "")


def _in_furniture(tag: Tag) -> bool:
    for node in [tag, *tag.parents]:
        if node.name in ("nav", "footer", "aside") or _NOT_HEADLINE.search(_attrs_text(node)):
            return True
    return False


def _title_tag(doc: BeautifulSoup) -> str:
    """<title> without the site name ("Judul – Kementerian X" -> "Judul")."""
    text = doc.title.get_text(" ", strip=True) if doc.title else ""
    parts = [p for p in _SITE_SPLIT.split(text) if p]
    if len(parts) > 1 and len(parts[0]) >= 15:
        return parts[0]
    return max(parts, key=len) if parts else ""


def headline(doc: BeautifulSoup) -> tuple[str, str]:
    """(headline, where from): og:title, then the article heading (h1, or an h2-h4 styled or written as
    the headline, as Joomla and old PHP portals do), then <title> without the site name."""
    for key in ("og:title", "twitter:title"):
        meta = doc.find("meta", attrs={"property": key}) or doc.find("meta", attrs={"name": key})
        if meta and clean(meta.get("content")):
            return clean(meta.get("content")), key
    page_title = clean(doc.title.get_text(" ", strip=True) if doc.title else "").lower()
    found = doc.find(attrs={"itemprop": "headline"})
    if found and clean(found.get_text(" ")):
        return clean(found.get_text(" ")), "itemprop=headline"
    best: tuple[int, str] | None = None
    for tag in doc.find_all(["h1", "h2", "h3", "h4"]):
        text = clean(tag.get_text(" "))
        if len(text) < 8 or _in_furniture(tag):
            continue
        rank = (0 if page_title.startswith(text.lower()) else 2) + (0 if tag.name == "h1" else 1)
        if tag.name != "h1" and rank > 1 and not _HEADLINE_CLASS.search(_attrs_text(tag)):
            continue
        if best is None or rank < best[0]:
            best = (rank, text)
    if best:
        return best[1], "heading"
    return _title_tag(doc), "title"


_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def _declared_date(doc: BeautifulSoup) -> date | None:
    """A publication date the page declares: article:published_time, itemprop=datePublished, or the
    first <time datetime> outside menus and sidebars."""
    candidates = [m.get("content") for m in doc.find_all("meta", attrs={"property": "article:published_time"})]
    candidates += [t.get("content") or t.get("datetime") for t in doc.find_all(attrs={"itemprop": "datePublished"})]
    candidates += [t.get("datetime") for t in doc.find_all("time") if t.get("datetime") and not _in_furniture(t)]
    for value in candidates:
        m = _ISO_DAY.match(str(value or ""))
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def published_on(html: str, doc: BeautifulSoup | None = None) -> date | None:
    """The page's own publication date from its markup: what it declares, else htmldate (which
    reads markup and URL, without guessing from the text)."""
    declared = _declared_date(doc if doc is not None else soup(html))
    if declared:
        return declared
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=False, original_date=True)
    except (ValueError, TypeError):  # htmldate raises on odd markup
        return None
    return date.fromisoformat(found) if found else None


def _own_text(doc: BeautifulSoup) -> str:
    node = main_node(doc)
    strip_furniture(node)
    return block_text(node)


def read_page(html: str, url: str | None = None) -> Page:
    """Headline, main text and publication date of an article page. The main text is trafilatura's
    (recall-oriented, tables kept, comments dropped); the project's own main-content rules stand in
    when trafilatura keeps less than half of what they find (table layouts, very short pages)."""
    doc = soup(html)
    title, source = headline(doc)
    own = _own_text(soup(html))
    text = ""
    import trafilatura

    try:
        text = trafilatura.extract(html, url=url, favor_recall=True, include_comments=False,
                                   include_tables=True, deduplicate=False) or ""
    except (ValueError, TypeError):  # a document trafilatura cannot parse: the own rules stand
        text = ""
    if len(text) < 0.5 * len(own):
        text = own
    return Page(title=title, text=text, published=published_on(html, doc), title_source=source)


def main_text(html: str) -> tuple[str, str]:
    """(title, main text) of an article page with page furniture removed."""
    page = read_page(html)
    return page.title, page.text


def blocks_as_sentences(text: str) -> str:
    """HTML blocks are units of meaning: a block without end punctuation (a headline, a dateline, a
    caption, a table row) ends its sentence."""
    return "\n".join(ln if ln.rstrip()[-1:] in ".!?:;" else ln.rstrip() + "." for ln in text.split("\n") if ln.strip())


def clean(text: str | None) -> str:
    """Collapse whitespace (markup and spacing changes must not look like content changes)."""
    return re.sub(r"\s+", " ", text or "").strip()
