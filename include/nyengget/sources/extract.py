"""What an announcement says about its window, ceiling and applicants, from free Indonesian text.

Works on text, not on one site's markup: HTML is reduced to its main text first (menus, sidebars,
post metadata removed), and dates are only taken for a window when the words around them say so
("dibuka mulai", "paling lambat", "s.d."); datelines and "Diposting 3 Februari 2026" are ignored.
Own regular expressions (not dateparser): deterministic, fast, and they keep the cue words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nyengget.sources.charset import decode
from nyengget.sources.pages import main_text

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "pebruari": 2, "feb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_FULL = rf"(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})"
_DAYMONTH = rf"(\d{{1,2}})\s+{_MONTH}(?!\s+\d)"
_NUMERIC = r"(\d{1,2})[/.-](\d{1,2})[/.-](20\d\d)"
_ISO = r"(20\d\d)-(\d{2})-(\d{2})"
_SEP = r"\s*(?:-|–|—|s\.?\s?d\.?|s/d|sd|sampai\s+dengan|sampai|hingga|until|to)\s*(?:tanggal\s+|tgl\.?\s*)?"
_DATE_RE = re.compile(rf"{_FULL}|{_ISO}|{_NUMERIC}|{_DAYMONTH}", re.I)
_SHORT_RANGE = re.compile(rf"\b(\d{{1,2}}){_SEP}{_FULL}", re.I)
_RANGE_GAP = re.compile(rf"^(?:,?\s*(?:pukul|jam)\s*[\d.:]+\s*(?:WIB|WITA|WIT)?)?{_SEP}$", re.I)

_FURNITURE = re.compile(
    r"(diposting|diposkan|dipos|diunggah|diterbitkan|dipublikasikan|dipublikasi|publikasi|posted|published|"
    r"updated|diperbarui|pembaruan terakhir|ditulis|dibuat|tanggal terbit|terbit|dibaca|views|oleh\s*:|"
    r"sumber\s*:|editor\s*:|redaktur|last modified)\W*[^\n]{0,40}$", re.I)
_DATELINE = re.compile(
    rf"^\W*(?:(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)\s*,?\s*)?(?:{_FULL}|{_NUMERIC}|{_ISO})"
    r"(?:\s*(?:pukul|\||-|/)?\s*[\d:.]+\s*(?:WIB|WITA|WIT)?)?\W*$", re.I)
_CITY_DATELINE = re.compile(rf"^\W*[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?\s*\(?[A-Za-z ]*\)?,\s*{_FULL}", re.I)
_CLOSE = re.compile(r"(paling\s+lambat|selambat-lambatnya|batas\s+(?:akhir|waktu)|tenggat|deadline|ditutup|"
                    r"penutupan|berakhir|terakhir|sebelum|hingga|sampai\s+dengan|sampai|s\.?\s?d\.?|s/d)", re.I)
_OPEN = re.compile(r"(dibuka|mulai|pembukaan|sejak|dimulai|terhitung)", re.I)
_SUBMIT = re.compile(r"(pendaftaran|mendaftar|pengusulan|usulan|diusulkan|pengajuan|mengajukan|penyampaian|"
                     r"disampaikan|pengiriman|dikirim|registrasi|submit|unggah|upload|proposal|permohonan|"
                     r"berkas|dokumen|pendaftar|penerimaan|pengisian|input)", re.I)
_EVENT = re.compile(r"(penilaian|verifikasi|pengumuman|penganugerahan|visitasi|wawancara|presentasi|"
                    r"penjurian|seleksi\s+administrasi|pelaksanaan|penetapan|ditetapkan|rapat|sosialisasi|"
                    r"bimtek|webinar|pencairan|penyaluran|peraturan|nomor|keputusan|surat\s+edaran)", re.I)


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


def _parse(m: re.Match[str], default_year: int | None) -> date | None:
    g = m.groups()
    if g[0]:
        return _mk(int(g[2]), MONTHS[g[1].lower()], int(g[0]))
    if g[3]:
        return _mk(int(g[3]), int(g[4]), int(g[5]))
    if g[6]:
        return _mk(int(g[8]), int(g[7]), int(g[6]))
    if g[9] and default_year:
        return _mk(default_year, MONTHS[g[10].lower()], int(g[9]))
    return None


def _line_of(text: str, pos: int) -> tuple[int, str]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, text[start:end if end >= 0 else len(text)]


def _is_furniture(text: str, m: re.Match[str]) -> bool:
    line_start, line = _line_of(text, m.start())
    left = text[line_start:m.start()]
    return bool(_DATELINE.match(line) or _FURNITURE.search(left[-60:])
                or (_CITY_DATELINE.match(line) and m.start() - line_start < 40))


def mentions(text: str) -> list[Mention]:
    """Dates in `text` that are not page furniture, with adjacent dates joined into ranges."""
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", text)]
    default_year = max(years) if years else None
    singles: list[Mention] = []
    for m in _DATE_RE.finditer(text):
        day = _parse(m, default_year)
        if day is None or _is_furniture(text, m):
            continue
        singles.append(Mention(m.start(), m.end(), None, day, inferred_year=bool(m.group(10))))
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


def _nearest(pattern: re.Pattern[str], context: str) -> int:
    """Distance from the end of `context` to the last match of `pattern` (large when none)."""
    found = list(pattern.finditer(context))
    return len(context) - found[-1].end() if found else 10**6


def _score(text: str, mention: Mention) -> tuple[int, int, int]:
    """(submission score, close cue distance, open cue distance) from the words before a date."""
    line_start, _ = _line_of(text, mention.start)
    para_start = max(text.rfind("\n\n", 0, mention.start), line_start - 200, 0)
    context = text[max(para_start, mention.start - 160):mention.start]
    submit, event = _nearest(_SUBMIT, context), _nearest(_EVENT, context)
    score = 3 if submit < event else (-3 if event < 10**6 else 0)
    return score, _nearest(_CLOSE, context[-40:]), _nearest(_OPEN, context[-60:])


def window(text: str) -> tuple[date | None, date | None]:
    """(opens_on, closes_on) of the application window the text announces, or Nones."""
    best_close: tuple[int, Mention] | None = None
    best_open: tuple[int, date] | None = None
    for mention in mentions(text):
        score, close_d, open_d = _score(text, mention)
        if mention.first is not None:
            candidate = score + 2 + (1 if open_d < 10**6 else 0)
        elif close_d < open_d:
            candidate = score + 2
        elif open_d < 10**6:
            if best_open is None or score + 2 > best_open[0]:
                best_open = (score + 2, mention.last)
            continue
        elif score > 0:
            candidate = score - 1
        else:
            continue
        if candidate > 0 and (best_close is None or candidate > best_close[0]):
            best_close = (candidate, mention)
    closes = best_close[1].last if best_close else None
    opens = best_close[1].first if best_close and best_close[1].first else None
    if opens is None and best_open and (closes is None or best_open[1] <= closes):
        opens = best_open[1]
    return opens, closes


# -- ceilings -------------------------------------------------------------------------------------
_SCALE = {"triliun": 10**12, "t": 10**12, "miliar": 10**9, "milyar": 10**9, "m": 10**9, "juta": 10**6,
          "jt": 10**6, "ribu": 10**3, "rb": 10**3}
_AMOUNT = re.compile(
    r"(?:\b(?:Rp|IDR)\.?\s*(\d[\d.,]*)(?:\s*(triliun|miliar|milyar|juta|jt|ribu|rb|M|T)\b)?)"
    r"|(?:\b(\d[\d.,]*)\s*(triliun|miliar|milyar|juta)\s+rupiah)", re.I)
_CEILING_CUE = re.compile(r"(paling\s+banyak|maksimal|maksimum|setinggi-tingginya|pagu|plafon|nilai\s+bantuan|"
                          r"besaran|sebesar|senilai|hingga|sampai\s+dengan|s\.?d\.?|mencapai|alokasi|bantuan\s+"
                          r"(?:dana|stimulan|hibah)?)", re.I)
_PER = re.compile(r"^\W{0,3}(per|untuk\s+(setiap|masing-masing|tiap)|setiap|masing-masing|tiap)\b", re.I)
_NOT_CEILING = re.compile(r"(paling\s+sedikit|minimal|sekurang-kurangnya|minimum|pendamping|kontribusi|"
                          r"swadaya|total|keseluruhan|nasional|seluruh|secara\s+total)", re.I)


def parse_amount(number: str, scale: str | None) -> int | None:
    """`2,5` + `miliar` -> 2_500_000_000; `2.500.000.000,00` -> 2_500_000_000."""
    number = re.sub(r"[,.]-*$", "", number.strip())
    number = re.sub(r",0{1,2}$", "", number)
    factor = _SCALE.get((scale or "").lower(), 1)
    if factor > 1 and re.fullmatch(r"\d+[.,]\d{1,3}", number) and not re.fullmatch(r"\d+\.\d{3}", number):
        value = float(number.replace(",", "."))
    else:
        parts = number.replace(".", "").split(",")
        try:
            value = float(parts[0] + ("." + parts[1] if len(parts) > 1 else ""))
        except ValueError:
            return None
    return int(round(value * factor)) if value > 0 else None


def ceiling(text: str) -> int | None:
    """The per-recipient ceiling in rupiah ("paling banyak Rp2,5 miliar per kabupaten/kota")."""
    best: tuple[int, int] | None = None
    for m in _AMOUNT.finditer(text):
        amount = parse_amount(m.group(1) or m.group(3), m.group(2) or m.group(4))
        if amount is None or amount < 1000:
            continue
        left = text[max(0, m.start() - 60):m.start()]
        right = text[m.end():m.end() + 30]
        score = (3 if _nearest(_CEILING_CUE, left) < 40 else 0) + (2 if _PER.search(right) else 0)
        if _nearest(_NOT_CEILING, left) < 40:
            score -= 5
        if best is None or score > best[0]:
            best = (score, amount)
    return best[1] if best and best[0] >= 0 else None


# -- recipient levels -----------------------------------------------------------------------------
LEVELS = ("provinsi", "kabupaten", "kota")
_WORD = r"(provinsi|kabupaten|kota|pemprov|pemkab|pemkot|gubernur|bupati|wali\s*kota|walikota)"
_PREFIX = r"(?:pemerintah(?:\s+daerah)?|pemda|pemerintahan)"
_JOIN = r"(?:\s*[/,&]\s*(?:(?:dan|atau|serta|maupun)\s+)?|\s+(?:dan|atau|serta|maupun)\s+)"
_PHRASE = re.compile(rf"(?:{_PREFIX}\s+)?{_WORD}(?:{_JOIN}(?:{_PREFIX}\s+)?{_WORD})*", re.I)
_MAP = {"provinsi": "provinsi", "pemprov": "provinsi", "gubernur": "provinsi", "kabupaten": "kabupaten",
        "pemkab": "kabupaten", "bupati": "kabupaten", "kota": "kota", "pemkot": "kota", "walikota": "kota"}
_ELIGIBLE = re.compile(r"(penerima|sasaran|diperuntukkan|ditujukan|dapat\s+diusulkan|diusulkan\s+oleh|pengusul|"
                       r"peserta|yang\s+dapat|berhak|dapat\s+mengajukan|mengundang|diundang|bagi|kepada|"
                       r"kriteria|persyaratan|syarat|terbuka\s+untuk|diikuti)", re.I)
_NEGATION = re.compile(r"(tidak|bukan|kecuali|selain)\W+(?:\w+\W+){0,3}$", re.I)


def _phrase_levels(phrase: str, eligible_sentence: bool) -> set[str]:
    words = [w.lower().replace(" ", "") for w in re.findall(_WORD, phrase, re.I)]
    has_prefix = re.match(_PREFIX, phrase, re.I) is not None
    official = {"pemprov", "pemkab", "pemkot", "gubernur", "bupati", "walikota"}
    if not (has_prefix or len(words) > 1 or official & set(words)):
        if not eligible_sentence or words == ["kota"]:
            return set()
    return {_MAP[w] for w in words}


def recipient_levels(text: str) -> list[str]:
    """Which levels of government may apply: a subset of provinsi/kabupaten/kota, in that order."""
    found: set[str] = set()
    removed: set[str] = set()
    general: set[str] = set()
    for sentence in re.split(r"(?<=[.;:!?])\s+|\n", text):
        eligible = bool(_ELIGIBLE.search(sentence))
        for m in _PHRASE.finditer(sentence):
            after = sentence[m.end():m.end() + 2]
            if re.match(r"\s[A-Z]", after) and not re.search(r"[/,]|dan|atau", m.group(0)):
                continue  # "Provinsi Banten", "Kota Serang", "Kota Cerdas": a name, not a level
            levels = _phrase_levels(m.group(0), eligible)
            if _NEGATION.search(sentence[:m.start()]):
                removed.update(levels)
            else:
                (found if eligible else general).update(levels)
    chosen = (found or general) - removed
    return [level for level in LEVELS if level in chosen]


# -- whole documents ------------------------------------------------------------------------------
def extract_text(text: str) -> dict[str, object]:
    """The four fields the announcements adapter takes from a text."""
    opens, closes = window(text)
    return {
        "opens_on": opens.isoformat() if opens else None,
        "closes_on": closes.isoformat() if closes else None,
        "ceiling_idr": ceiling(text),
        "recipient_levels": recipient_levels(text),
    }


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<") and any(t in head for t in ("<html", "<!doctype", "<body", "<div", "<p", "<head"))


def document_text(data: bytes, content_type: str | None = None) -> str:
    """Main text of an HTML or plain-text document (bytes in any charset)."""
    text, _ = decode(data, content_type)
    if looks_like_html(text):
        title, body = main_text(text)
        return f"{title}\n{body}" if title and title not in body else body
    return text


def extract_document(data: bytes, content_type: str | None = None) -> dict[str, object]:
    return extract_text(document_text(data, content_type))
