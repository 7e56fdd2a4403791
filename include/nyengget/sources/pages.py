"""HTML helpers shared by adapters: error/login page detection and main-content text."""

from __future__ import annotations

import re

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


def soup(html: str) -> BeautifulSoup:
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


def main_text(html: str) -> tuple[str, str]:
    """(title, main text) of an article page with page furniture removed."""
    doc = soup(html)
    title = ""
    if doc.h1:
        title = doc.h1.get_text(" ", strip=True)
    elif doc.title:
        title = doc.title.get_text(" ", strip=True)
    node = main_node(doc)
    strip_furniture(node)
    return title, block_text(node)


def clean(text: str | None) -> str:
    """Collapse whitespace (markup and spacing changes must not look like content changes)."""
    return re.sub(r"\s+", " ", text or "").strip()
