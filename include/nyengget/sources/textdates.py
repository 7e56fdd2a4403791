"""Dates in Indonesian official text: "1 - 15 Desember 2026", "20 Juni sampai dengan 23 Agustus 2025",
"akhir Maret", datelines and post metadata (never windows), the document's own date, and sentences.

Own regular expressions (not dateparser): deterministic, fast, and they keep the words around a date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from nyengget.sources.cues import DAY, DEADLINE_WORDS, SUBMIT_STRONG
from nyengget.sources.pages import clean

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "pebruari": 2, "feb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d\d)"
FULL = rf"(\d{{1,2}})\s+{_MONTH}\s+{_YEAR}"
_DAYMONTH = rf"(?<![\w-])(\d{{1,2}})\s+{_MONTH}(?!\s*\d)"
_NUMERIC = r"(\d{1,2})[/.-](\d{1,2})[/.-](20\d\d)"
_ISO = r"(20\d\d)-(\d{2})-(\d{2})"
_END_OF_MONTH = rf"\bakhir\s+(?:bulan\s+)?{_MONTH}(?:\s+{_YEAR})?"
_SEP = r"\s*(?:-|–|—|s\.?\s?d\.?|s/d|sd|sampai\s+dengan|sampai|hingga|until|to)\s*(?:tanggal\s+|tgl\.?\s*)?"
DATE_RE = re.compile(rf"{FULL}|{_ISO}|{_NUMERIC}|{_DAYMONTH}|{_END_OF_MONTH}", re.I)
_SHORT_RANGE = re.compile(rf"\b(\d{{1,2}}){_SEP}{FULL}", re.I)
_RANGE_GAP = re.compile(rf"^(?:,?\s*(?:pukul|jam)\s*[\d.:]+\s*(?:WIB|WITA|WIT)?)?{_SEP}$", re.I)
OPEN_TAIL = re.compile(rf"^{_SEP}\S", re.I)  # "01 Mei – M2 Juni": a start whose end is not a date

_FURNITURE = re.compile(
    r"(diposting|diposkan|dipos|diunggah|diterbitkan|dipublikasikan|dipublikasi|publikasi|posted|published|"
    r"updated|diperbarui|pembaruan terakhir|ditulis|dibuat|tanggal terbit|terbit|dibaca|views|oleh\s*:|"
    r"sumber\s*:|editor\s*:|redaktur|last modified|tertanggal)\W*[^\n]{0,40}$", re.I)
_DATELINE = re.compile(
    rf"^\W*(?:{DAY}\s*,?\s*)?(?:{FULL}|{_NUMERIC}|{_ISO})"
    r"(?:\s*(?:pukul|\||-|/)?\s*[\d:.]+\s*(?:WIB|WITA|WIT)?)?(?:\s+[A-Z]{2,}\w*)?\W*$", re.I)
_CITY_DATELINE = re.compile(rf"^\W*[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?(?:\s*\([^)]{{1,30}}\))?\s*,\s*"
                            rf"(?:{DAY}\s*,?\s*)?{FULL}", re.I)
_LETTER_HEAD = re.compile(r"^\W*(nomor|no\.?)\s*:", re.I)

_ABBREV = re.compile(r"(?:\b(?:s\.d|s/d|no|tgl|rp|jl|kab|prov|kel|kec|dr|drs|ir|st|dll|dsb|yth|a\.n|u\.p)|\b[A-Z])\.$",
                     re.I)



@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    first: date | None  # start of a range, or None for a single date
    last: date
    inferred_year: bool = False


def _mk(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _end_of_month(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _parse(m: re.Match[str], default_year: int | None) -> tuple[date | None, bool]:
    """(date, year inferred) of one date match."""
    g = m.groups()
    if g[0]:
        return _mk(int(g[2]), MONTHS[g[1].lower()], int(g[0])), False
    if g[3]:
        return _mk(int(g[3]), int(g[4]), int(g[5])), False
    if g[6]:
        return _mk(int(g[8]), int(g[7]), int(g[6])), False
    if g[9]:
        return (_mk(default_year, MONTHS[g[10].lower()], int(g[9])), True) if default_year else (None, True)
    if g[11]:
        year = int(g[12]) if g[12] else default_year
        return (_end_of_month(year, MONTHS[g[11].lower()]), not g[12]) if year else (None, True)
    return None, False


def line_of(text: str, pos: int) -> tuple[int, str]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, text[start:end if end >= 0 else len(text)]


def _is_furniture(text: str, m: re.Match[str]) -> bool:
    line_start, line = line_of(text, m.start())
    left = text[line_start:m.start()]
    posted = _FURNITURE.search(left[-60:])
    if posted and DEADLINE_WORDS.search(posted.group(0)[len(posted.group(1)):]):
        posted = None  # "wajib diunggah paling lambat 30 Juni": a deadline, not the post's date
    dateline = bool(_DATELINE.match(line)) and not _labelled(text, line_start)
    return bool(dateline or posted or (_CITY_DATELINE.match(line) and m.start() - line_start < 40))


def _labelled(text: str, line_start: int) -> bool:
    """A date alone on its line under a short label naming a submission ("Batas Waktu Pengusulan")
    is that label's value, not a dateline."""
    prev = text[:max(0, line_start - 1)].rsplit("\n", 1)[-1].strip()
    return 0 < len(prev) <= 60 and not DATE_RE.search(prev) and bool(SUBMIT_STRONG.search(prev))


def document_date(text: str) -> date | None:
    """The document's own date from its head: a dateline, "Jakarta, 23 April 2019", a letter's
    "Nomor : ... 28 April 2023" line."""
    for m in re.finditer(FULL, text[:800], re.I):
        _, line = line_of(text, m.start())
        if _DATELINE.match(line) or _CITY_DATELINE.match(line) or _LETTER_HEAD.match(line) or \
                line.rstrip().endswith(m.group(0)):
            return _mk(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def default_year(text: str, published: date | None) -> int | None:
    if published:
        return published.year
    years = [int(t[-1]) for t in re.findall(FULL, text, re.I)] or [int(y) for y in re.findall(r"\b(20\d\d)\b", text)]
    return Counter(years).most_common(1)[0][0] if years else None


def mentions(text: str, published: date | None = None) -> list[Mention]:
    """Dates in `text` that are not page furniture, with adjacent dates joined into ranges."""
    year = default_year(text, published)
    singles: list[Mention] = []
    for m in DATE_RE.finditer(text):
        day, inferred = _parse(m, year)
        if day is None or _is_furniture(text, m):
            continue
        singles.append(Mention(m.start(), m.end(), None, day, inferred_year=inferred))
    for m in _SHORT_RANGE.finditer(text):  # "1 - 15 Desember 2026", "1 s.d. 15 Desember 2026"
        last = _mk(int(m.group(4)), MONTHS[m.group(3).lower()], int(m.group(2)))
        first = _mk(last.year, last.month, int(m.group(1))) if last else None
        if first and last and first <= last and not _is_furniture(text, m):
            singles = [s for s in singles if not (m.start() <= s.start < m.end())]
            singles.append(Mention(m.start(), m.end(), first, last))
    singles.sort(key=lambda s: s.start)
    return _join_ranges(text, singles)


def _join_ranges(text: str, singles: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for mention in singles:
        prev = out[-1] if out else None
        if prev and prev.first is None and mention.first is None and _RANGE_GAP.match(text[prev.end:mention.start]):
            first = prev.last
            if prev.inferred_year:  # "1 Oktober s.d. 22 Agustus 2027": the year comes from the end
                first = _mk(mention.last.year, first.month, first.day) or first
                if first > mention.last:
                    first = _mk(first.year - 1, first.month, first.day) or first
            if first <= mention.last:
                out[-1] = Mention(prev.start, mention.end, first, mention.last)
                continue
        out.append(mention)
    return out


# -- sentences ------------------------------------------------------------------------------------
def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence around `pos` (blank lines, line-ending colons and sentence
    punctuation end a sentence; "s.d.", "No.", "Rp." and initials do not)."""
    start = 0
    for m in re.finditer(r"[.!?;:](?=[\"'”’)]?\s)|\n\s*\n", text[:pos]):
        if m.group(0)[0] == "." and _ABBREV.search(text[max(0, m.start() - 6):m.end()]):
            continue
        if m.group(0)[0] == ":" and "\n" not in text[m.end():m.end() + 3]:
            continue  # "Hari, tanggal : Senin": a label, not the end of a sentence
        start = m.end()
    end_m = re.compile(r"[.!?;](?=[\"'”’)]?\s|$)|\n\s*\n|:\s*\n").search(text, pos)
    end = end_m.end() if end_m else len(text)
    return start, end


def sentence(text: str, pos: int) -> str:
    start, end = sentence_bounds(text, pos)
    return clean(text[start:end])
