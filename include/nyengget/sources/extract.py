"""What an announcement says, read the way a planner reads it: is it a call, its window, ceiling,
applicants, fiscal year, and the sentence each of these came from.

Works on text, not on one site's markup: HTML is reduced to its main text first (`pages.read_page`).
Rules (own regular expressions on top of the page's own date, deterministic and cue-preserving):

* A window needs a submission cue (pendaftaran, pengusulan, pelaporan, penginputan, batas waktu ...)
  nearer to the date than any event cue: verification, field visits, assessments, meetings, awards
  and announcements of results have dates too, and they are not windows.
* Extensions ("semula ... menjadi ...", "diperpanjang sampai ...") give the new deadline; the old
  one is kept as `extended_from`.
* Dates without a year take the year of the document's own date (letter date, dateline, page date).
* Levels count when named as levels: addressees, "pemerintah provinsi", "kabupaten/kota", or one
  item of an enumeration of categories; names ("Kota Serang") never. "Selain itu" is not a negation.
* A ceiling is a per-recipient maximum; national totals and allocations never are.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from nyengget.sources.charset import decode
from nyengget.sources.pages import blocks_as_sentences, clean, read_page
from nyengget.sources.records import LEVELS

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "pebruari": 2, "feb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d\d)"
_FULL = rf"(\d{{1,2}})\s+{_MONTH}\s+{_YEAR}"
_DAYMONTH = rf"(?<![\w-])(\d{{1,2}})\s+{_MONTH}(?!\s*\d)"
_NUMERIC = r"(\d{1,2})[/.-](\d{1,2})[/.-](20\d\d)"
_ISO = r"(20\d\d)-(\d{2})-(\d{2})"
_END_OF_MONTH = rf"\bakhir\s+(?:bulan\s+)?{_MONTH}(?:\s+{_YEAR})?"
_SEP = r"\s*(?:-|–|—|s\.?\s?d\.?|s/d|sd|sampai\s+dengan|sampai|hingga|until|to)\s*(?:tanggal\s+|tgl\.?\s*)?"
_DATE_RE = re.compile(rf"{_FULL}|{_ISO}|{_NUMERIC}|{_DAYMONTH}|{_END_OF_MONTH}", re.I)
_SHORT_RANGE = re.compile(rf"\b(\d{{1,2}}){_SEP}{_FULL}", re.I)
_RANGE_GAP = re.compile(rf"^(?:,?\s*(?:pukul|jam)\s*[\d.:]+\s*(?:WIB|WITA|WIT)?)?{_SEP}$", re.I)
_OPEN_TAIL = re.compile(rf"^{_SEP}\S", re.I)  # "01 Mei – M2 Juni": a start whose end is not a date

_FURNITURE = re.compile(
    r"(diposting|diposkan|dipos|diunggah|diterbitkan|dipublikasikan|dipublikasi|publikasi|posted|published|"
    r"updated|diperbarui|pembaruan terakhir|ditulis|dibuat|tanggal terbit|terbit|dibaca|views|oleh\s*:|"
    r"sumber\s*:|editor\s*:|redaktur|last modified|tertanggal)\W*[^\n]{0,40}$", re.I)
_DEADLINE_WORDS = re.compile(r"paling\s+lambat|selambat|batas|sebelum|hingga|sampai|mulai|dibuka|ditutup",
                             re.I)
_DAY = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"
_DATELINE = re.compile(
    rf"^\W*(?:{_DAY}\s*,?\s*)?(?:{_FULL}|{_NUMERIC}|{_ISO})"
    r"(?:\s*(?:pukul|\||-|/)?\s*[\d:.]+\s*(?:WIB|WITA|WIT)?)?(?:\s+[A-Z]{2,}\w*)?\W*$", re.I)
_CITY_DATELINE = re.compile(rf"^\W*[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?(?:\s*\([^)]{{1,30}}\))?\s*,\s*"
                            rf"(?:{_DAY}\s*,?\s*)?{_FULL}", re.I)
_LETTER_HEAD = re.compile(r"^\W*(nomor|no\.?)\s*:", re.I)

# -- cue vocabulary (one place) -------------------------------------------------------------------
_CLOSE = re.compile(r"(paling\s+lambat|selambat-lambatnya|batas\s+(?:akhir|waktu)|tenggat|deadline|ditutup|menutup|"
                    r"penutupan|berakhir|terakhir|sebelum|hingga|sampai\s+dengan|sampai|s\.?\s?d\.?|s/d)", re.I)
_OPEN = re.compile(r"(dibuka|mulai|pembukaan|sejak|dimulai|terhitung)", re.I)
# submission processes addressed to applicants: these alone make a date a window date
_SUBMIT_STRONG = re.compile(
    r"(pendaftaran|mendaftar|didaftarkan|pengusulan|mengusulkan|diusulkan|pengajuan|mengajukan|diajukan|"
    r"penyampaian\s+(?:usulan|proposal|berkas|dokumen|data|laporan)|pengiriman|registrasi|submit|"
    r"unggah|upload|pelaporan|melaporkan|dilaporkan|penginputan|penginput|menginput|input\s+data|"
    r"pengisian|mengisi|penjaringan|penerimaan\s+(?:usulan|proposal|berkas)|batas\s+(?:waktu|akhir)|"
    r"(?:penilaian|evaluasi|asesmen)\s+mandiri|self[- ]assessment)", re.I)
# objects of a submission: count only when no event word is in the clause
_SUBMIT_WEAK = re.compile(r"(usulan|proposal|permohonan|berkas|dokumen|disampaikan|dikirim|pendaftar)", re.I)
_EVENT = re.compile(
    r"(penilaian(?!\s+mandiri)|menilai|verifikasi|visitasi|kunjungan|peninjauan|lapangan|asesmen|assesment|"
    r"assessment|asessment|wawancara|presentasi|penjurian|seleksi|evaluasi(?!\s+mandiri)|pembahasan|"
    r"sinkronisasi|harmonisasi|fgd|rapat|undangan|hadir|pertemuan|sosialisasi|sosialiasi|bimtek|webinar|"
    r"pelatihan|penganugerahan|anugerah|malam\s+puncak|pengumuman|diumumkan|penetapan|ditetapkan|"
    r"pencairan|penyaluran|diluncurkan|peluncuran|musrenbang|hari,\s*tanggal|peraturan|nomor|keputusan|"
    r"surat\s+edaran)", re.I)
_EXTENDED = re.compile(r"(diperpanjang|perpanjangan|memperpanjang|diundur|pengunduran|menambah\s+waktu|"
                       r"penambahan\s+waktu|menjadi)\W+(?:\w+\W+){0,4}$", re.I)
# "31 Januari menjadi 15 Februari", "2 Mei, diperpanjang sampai 6 Mei": the first date is the old one
_REPLACED_BY = re.compile(r"^\W*(?:[\w.:]+\W+){0,3}?(menjadi|diperpanjang|diundur|ditambah)\b", re.I)
_PAST = re.compile(r"^\W{0,3}(?:yang\s+)?lalu\b")
_CLOSED = re.compile(r"\b(?:telah|sudah)\s+(?:ditutup|berakhir|selesai|usai)\b", re.I)
_OPENED = re.compile(rf"\b(?:dibuka|dibukanya)\s+(?:kembali\s+)?(?:(?:mulai|pada|sejak|tanggal|tgl\.?|per)\s+)*"
                     rf"(?:hari\s+ini\s+)?(?:{_DAY}\s*,?\s*)?$", re.I)
_WAS = re.compile(r"\bsemula\b", re.I)
_NOW = re.compile(r"\b(menjadi|diperpanjang|diundur)\b", re.I)
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


def _line_of(text: str, pos: int) -> tuple[int, str]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, text[start:end if end >= 0 else len(text)]


def _is_furniture(text: str, m: re.Match[str]) -> bool:
    line_start, line = _line_of(text, m.start())
    left = text[line_start:m.start()]
    posted = _FURNITURE.search(left[-60:])
    if posted and _DEADLINE_WORDS.search(posted.group(0)[len(posted.group(1)):]):
        posted = None  # "wajib diunggah paling lambat 30 Juni": a deadline, not the post's date
    dateline = bool(_DATELINE.match(line)) and not _labelled(text, line_start)
    return bool(dateline or posted or (_CITY_DATELINE.match(line) and m.start() - line_start < 40))


def _labelled(text: str, line_start: int) -> bool:
    """A date alone on its line under a short label naming a submission ("Batas Waktu Pengusulan")
    is that label's value, not a dateline."""
    prev = text[:max(0, line_start - 1)].rsplit("\n", 1)[-1].strip()
    return 0 < len(prev) <= 60 and not _DATE_RE.search(prev) and bool(_SUBMIT_STRONG.search(prev))


def document_date(text: str) -> date | None:
    """The document's own date from its head: a dateline, "Jakarta, 23 April 2019", a letter's
    "Nomor : ... 28 April 2023" line."""
    for m in re.finditer(_FULL, text[:800], re.I):
        _, line = _line_of(text, m.start())
        if _DATELINE.match(line) or _CITY_DATELINE.match(line) or _LETTER_HEAD.match(line) or \
                line.rstrip().endswith(m.group(0)):
            return _mk(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def _default_year(text: str, published: date | None) -> int | None:
    if published:
        return published.year
    years = [int(t[-1]) for t in re.findall(_FULL, text, re.I)] or [int(y) for y in re.findall(r"\b(20\d\d)\b", text)]
    return Counter(years).most_common(1)[0][0] if years else None


def mentions(text: str, published: date | None = None) -> list[Mention]:
    """Dates in `text` that are not page furniture, with adjacent dates joined into ranges."""
    default_year = _default_year(text, published)
    singles: list[Mention] = []
    for m in _DATE_RE.finditer(text):
        day, inferred = _parse(m, default_year)
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


# -- windows --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    opens: date | None = None
    closes: date | None = None
    extended_from: date | None = None
    evidence_open: str | None = None
    evidence_close: str | None = None
    past: bool = False  # "10 Maret lalu", "telah ditutup": a report of a window, not an open one


def _nearest(pattern: re.Pattern[str], context: str) -> int:
    """Distance from the end of `context` to the last match of `pattern` (large when none)."""
    found = list(pattern.finditer(context))
    return len(context) - found[-1].end() if found else 10**6


_NONE = 10**6


def _submission(context: str) -> int:
    """3 for a submission process nearer than any event, 2 for a submission object in a clause
    without events, 0 otherwise (events, meetings, results, or no cue at all)."""
    strong, weak, event = _nearest(_SUBMIT_STRONG, context), _nearest(_SUBMIT_WEAK, context), _nearest(_EVENT, context)
    if strong < event:
        last = list(_SUBMIT_STRONG.finditer(context))[-1]
        if re.search(rf"{_EVENT.pattern}\W+(?:\w+\W+)?$", context[:last.start()], re.I):
            return 0  # "sosialisasi pengisian ...", "verifikasi pengusulan ...": the event is the head
        return 3
    if weak < _NONE and event == _NONE:
        return 2
    return 0


def _label_after(text: str, mention: Mention) -> str:
    """The label of a schedule line written "01 Mei – M2 Juni : Pengusulan ...": text after the colon."""
    tail = text[mention.end:mention.end + 120]
    m = re.match(r"^[^:\n.]{0,25}:\s*", tail)
    return tail[m.end():] if m else ""


@dataclass
class _Candidate:
    mention: Mention
    submit: int
    close_d: int
    open_d: int
    extended: bool
    superseded: bool
    past: bool
    open_only: bool


def _candidate(text: str, mention: Mention) -> _Candidate:
    s_start, _ = sentence_bounds(text, mention.start)
    context = text[max(s_start, mention.start - 220):mention.start]
    submit = _submission(context)
    if submit == 0 and len(context.strip()) <= 30 and not _EVENT.search(context):
        prev_start, _ = sentence_bounds(text, max(0, s_start - 2))
        prev = text[prev_start:s_start].strip()
        if len(prev) <= 60 and not _DATE_RE.search(prev):  # a label block: "Batas Waktu Pengusulan." "15 Mei"
            submit = _submission(prev)
        elif _CLOSE.search(context):  # "... mengajukan berkas. Jadwal: s.d. 22 Mei"
            submit = 2 if _submission(prev) == 3 else 0
    if submit == 0 and _OPENED.search(context) and not _EVENT.search(context):
        submit = 2  # "Lomba ... dibuka 1 - 31 Desember": a programme opened on dates is a call's window
    line_start, _ = _line_of(text, mention.start)
    after = _label_after(text, mention)
    if after and not text[line_start:mention.start].strip():  # a schedule line "DATE : label"
        first = re.search(rf"{_SUBMIT_STRONG.pattern}|{_EVENT.pattern}", after, re.I)
        submit = 3 if first and _SUBMIT_STRONG.fullmatch(first.group(0)) else 0
    was = list(_WAS.finditer(context))
    _, s_end = sentence_bounds(text, mention.start)
    after = text[mention.end:min(s_end, mention.end + 80)]
    replaced = bool(_REPLACED_BY.match(after)) and bool(_DATE_RE.search(after))
    superseded = replaced or (bool(was) and not _NOW.search(context[was[-1].end():]))
    extended = bool(_EXTENDED.search(context)) and (not re.search(r"menjadi\W+(?:\w+\W+){0,4}$", context, re.I)
                                                    or bool(was) or bool(_DATE_RE.search(context)))
    past = bool(_PAST.match(text[mention.end:mention.end + 12]) or _CLOSED.search(context))
    open_only = mention.first is None and bool(_OPEN_TAIL.match(text[mention.end:mention.end + 12]))
    return _Candidate(mention, submit, _nearest(_CLOSE, context[-45:]), _nearest(_OPEN, context[-60:]),
                      extended, superseded, past, open_only)


def window(text: str, published: date | None = None) -> tuple[date | None, date | None]:
    """(opens_on, closes_on) of the application window the text announces, or Nones."""
    found = read_window(text, published)
    return found.opens, found.closes


def read_window(text: str, published: date | None = None) -> Window:
    """The application / submission / reporting window the text announces, with its sentences."""
    closes: tuple[tuple[int, int], _Candidate] | None = None
    opens: tuple[int, _Candidate] | None = None
    old: date | None = None
    for mention in mentions(text, published):
        c = _candidate(text, mention)
        if c.submit == 0:
            continue
        if c.superseded:
            old = mention.last
            continue
        is_open = c.open_only or (mention.first is None and c.open_d < c.close_d)
        if is_open and not c.extended:
            if opens is None or c.submit > opens[0]:
                opens = (c.submit, c)
            continue
        if mention.first is None and c.close_d == _NONE and not c.extended and c.submit < 3:
            continue  # "proposal ... 12 Mei": an object and a date, no deadline
        score = (c.submit + (2 if mention.first is not None or c.close_d < _NONE else 0) + (3 if c.extended else 0),
                 mention.last.toordinal() if c.extended else -mention.start)
        if closes is None or score > closes[0]:
            closes = (score, c)
    result = Window(extended_from=old if closes and old and old < closes[1].mention.last else None)
    if closes:
        best = closes[1]
        result = Window(best.mention.first, best.mention.last, result.extended_from,
                        sentence(text, best.mention.start) if best.mention.first else None,
                        sentence(text, best.mention.start), best.past)
        for mention in mentions(text, published):  # a stated range ending on the deadline gives its start
            if result.opens is None and mention.first and mention.last == best.mention.last \
                    and _candidate(text, mention).submit:
                result = Window(mention.first, result.closes, result.extended_from,
                                sentence(text, mention.start), result.evidence_close, result.past)
    if opens and result.opens is None and (result.closes is None or opens[1].mention.last <= result.closes):
        result = Window(opens[1].mention.last, result.closes, result.extended_from,
                        sentence(text, opens[1].mention.start), result.evidence_close, result.past)
    return result


# -- ceilings -------------------------------------------------------------------------------------
_SCALE = {"triliun": 10**12, "t": 10**12, "miliar": 10**9, "milyar": 10**9, "m": 10**9, "juta": 10**6,
          "jt": 10**6, "ribu": 10**3, "rb": 10**3}
_AMOUNT = re.compile(
    r"(?:\b(?:Rp|IDR)\.?\s*(\d[\d.,]*)(?:\s*(triliun|miliar|milyar|juta|jt|ribu|rb|M|T)\b)?)"
    r"|(?:\b(\d[\d.,]*)\s*(triliun|miliar|milyar|juta)\s+rupiah)", re.I)
_CEILING_CUE = re.compile(r"(paling\s+banyak|maksimal|maksimum|setinggi-tingginya|plafon|batas\s+atas|"
                          r"nilai\s+(?:bantuan|hibah|hadiah|insentif)|besaran|pagu\s+(?:bantuan|hibah|per)|"
                          r"hadiah|bantuan\s+(?:dana|stimulan|hibah)|sebesar|senilai|hingga|mencapai|"
                          r"diberikan)", re.I)
_STRONG_CUE = re.compile(r"(paling\s+banyak|maksimal|maksimum|setinggi-tingginya|plafon|batas\s+atas)", re.I)
_PER = re.compile(r"^\W{0,3}(per|untuk\s+(setiap|masing-masing|tiap)|bagi\s+(setiap|masing-masing|tiap)|setiap|"
                  r"masing-masing|tiap)\b", re.I)
_PER_LEFT = re.compile(r"\b(per|setiap|masing-masing|tiap)\s+\w+", re.I)
_NOT_CEILING = re.compile(r"(paling\s+sedikit|minimal|sekurang-kurangnya|minimum|pendamping|kontribusi|swadaya)",
                          re.I)
# national totals and allocations: anywhere in the clause before the amount
_NATIONAL = re.compile(r"(dialokasikan|alokasi|total|keseluruhan|nasional|seluruh|secara\s+total|"
                       r"jumlah\s+(?:anggaran|dana)|anggaran\s+(?:sebesar|senilai)|pagu\s+indikatif|"
                       r"sebanyak|terdiri\s+atas|kategori\s+kinerja)", re.I)


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


def ceiling_with_evidence(text: str) -> tuple[int | None, str | None]:
    """The per-recipient ceiling in rupiah ("paling banyak Rp2,5 miliar per kabupaten/kota") and its
    sentence. An amount needs a ceiling word or a per-recipient marker; totals never count."""
    best: tuple[int, int, int] | None = None
    for m in _AMOUNT.finditer(text):
        amount = parse_amount(m.group(1) or m.group(3), m.group(2) or m.group(4))
        if amount is None or amount < 1000:
            continue
        s_start, _ = sentence_bounds(text, m.start())
        clause = text[max(s_start, m.start() - 200):m.start()]
        left, right = clause[-60:], text[m.end():m.end() + 30]
        per = bool(_PER.search(right) or _PER_LEFT.search(clause))
        cue = _nearest(_CEILING_CUE, left) < 45
        strong = _nearest(_STRONG_CUE, left) < 45
        if _nearest(_NOT_CEILING, left) < 40 or _nearest(_NATIONAL, clause) < _NONE:
            continue
        if not (strong or (per and cue)):
            continue
        score = (3 if strong else 0) + (2 if per else 0) + (1 if cue else 0)
        if best is None or score > best[0]:
            best = (score, amount, m.start())
    return (best[1], sentence(text, best[2])) if best else (None, None)


def ceiling(text: str) -> int | None:
    return ceiling_with_evidence(text)[0]


# -- recipient levels -----------------------------------------------------------------------------
_WORD = r"(provinsi|kabupaten|kota|kab|prov|pemprov|pemkab|pemkot|gubernur|bupati|wali\s*kota|walikota)"
_PREFIX = r"(?:pemerintah(?:\s+daerah)?|pemda|pemerintahan|daerah)"
_JOIN = r"(?:\s*[/,&]\s*(?:(?:dan|atau|serta|maupun)\s+)?|\s+(?:dan|atau|serta|maupun)\s+)"
_PHRASE = re.compile(rf"\b(?:{_PREFIX}\s+)?{_WORD}\b\.?(?:{_JOIN}(?:{_PREFIX}\s+)?{_WORD}\b)*", re.I)
_MAP = {"provinsi": "provinsi", "prov": "provinsi", "pemprov": "provinsi", "gubernur": "provinsi",
        "kabupaten": "kabupaten", "kab": "kabupaten", "pemkab": "kabupaten", "bupati": "kabupaten",
        "kota": "kota", "pemkot": "kota", "walikota": "kota"}
_OFFICIAL = {"pemprov", "pemkab", "pemkot", "gubernur", "bupati", "walikota"}
_ELIGIBLE = re.compile(r"\b(penerima|sasaran|diperuntukkan|ditujukan|dapat\s+diusulkan|diusulkan\s+oleh|pengusul|"
                       r"peserta|yang\s+dapat|berhak|dapat\s+mengajukan|mengundang|diundang|bagi|kepada|yth|"
                       r"kriteria|persyaratan|syarat|terbuka\s+untuk|diikuti)\b", re.I)
_ENUMERATION = re.compile(r"\b(kategori|klaster|cluster|kelompok|yakni|yaitu|terdiri|meliputi|tingkat|jenjang|"
                          r"masing-masing)\b", re.I)
_NEGATION = re.compile(r"((?:tidak|bukan|kecuali)\W+(?:\w+\W+){0,3}|\bselain\s+(?!itu\b)(?:pemerintah\s+)?)$", re.I)


def _words(phrase: str) -> list[str]:
    return [w.lower().replace(" ", "") for w in re.findall(_WORD, phrase, re.I)]


def _named(sentence_text: str, m: re.Match[str]) -> bool:
    """'Provinsi Banten', 'Kota Serang', 'Kab. Bintan': a place name, not a level."""
    after = sentence_text[m.end():m.end() + 3]
    return bool(re.match(r"\.?\s[A-Z]", after)) and not re.search(r"[/,]|dan|atau", m.group(0))


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:!?])\s+|\n", text) if s.strip()]


def levels_with_evidence(text: str) -> tuple[list[str], str | None]:
    """Which levels of government may apply (a subset of provinsi/kabupaten/kota, in that order)
    and the first sentence that names them."""
    found: set[str] = set()
    removed: set[str] = set()
    evidence: str | None = None
    for part in _sentences(text):
        eligible = bool(_ELIGIBLE.search(part))
        bare: set[str] = set()
        first_bare: int | None = None
        got: set[str] = set()
        for m in _PHRASE.finditer(part):
            if _named(part, m):
                continue
            words = _words(m.group(0))
            has_prefix = re.match(_PREFIX, m.group(0), re.I) is not None
            levels = {_MAP[w] for w in words}
            if _NEGATION.search(part[:m.start()]):
                removed.update(levels)
                continue
            if has_prefix or len(words) > 1 or _OFFICIAL & set(words) or (eligible and words != ["kota"]):
                got.update(levels)
            else:
                bare.update(levels)
                first_bare = m.start() if first_bare is None else first_bare
        if len(bare | got) >= 2 and first_bare is not None and _ENUMERATION.search(part[:first_bare]):
            got.update(bare)  # "kategori, yakni provinsi ..., kabupaten ..., kota ...": an enumeration
        if got - found and evidence is None:
            evidence = clean(part)
        found |= got
    chosen = found - removed
    return [level for level in LEVELS if level in chosen], (evidence if chosen else None)


def recipient_levels(text: str) -> list[str]:
    return levels_with_evidence(text)[0]


# -- the document as a whole ----------------------------------------------------------------------
_TYPES = (
    ("DAK Non-Fisik", r"\b(dak|dana\s+alokasi\s+khusus)\s*\(?(?:dak)?\)?\s*non[- ]?fisik\b"),
    ("DAK Fisik", r"\b(dak|dana\s+alokasi\s+khusus)\s*(?:\(dak\)\s*)?fisi?k\b"),
    ("Insentif Fiskal", r"\binsentif\s+fiskal\b"),
    ("Hibah Daerah", r"\bhibah\b"),
    ("Kompetisi/Penghargaan", r"\b(penghargaan|kompetisi|award|anugerah|lomba|nugraha|adipura|tantra|kalpataru|"
                              r"swasti\s+saba|proklim|iga|kipp|ppd|adwi|kla|stbm|layak\s+anak|sinovik|"
                              r"indeks\s+inovasi\s+daerah)\b"),
    ("Bantuan Pemerintah", r"\bbantuan\b"),
)
_FY_TA = re.compile(r"(?:\bT\.?\s?A\.?|tahun\s+anggaran)\s*\(?(?:TA)?\)?\s*((?:20|2O)[\dO]{2})\b", re.I)
# a call opens, extends or announces a submission window: the verb and the process in one sentence
_CALL_VERB = re.compile(r"(dibuka|dibukanya|membuka|diperpanjang|perpanjangan|memperpanjang|diundur|"
                        r"batas\s+waktu|paling\s+lambat|selambat-lambatnya)", re.I)
# an invitation to act now: "Pemda diminta segera melaporkan ...", "silakan mendaftar melalui ..."
_INVITE = re.compile(r"\b(?:segera|silakan|silahkan|dipersilakan|diminta|dimohon|diharapkan)\s+(?:untuk\s+)?(?:segera\s+)?"
                     r"(?:mendaftar|mendaftarkan|mengusulkan|mengajukan|melaporkan|menginput|mengisi|menyampaikan\s+usulan)",
                     re.I)
_CALL_PROCESS = re.compile(r"(pendaftaran|pengusulan|usulan|proposal|kesempatan|penjaringan|pelaporan|pengajuan|"
                           r"registrasi|penginputan|pengisian)", re.I)


def funding_type(title: str, text: str, default: str | None = None) -> str | None:
    """The kind of funding the title (else the opening of the text) names, else the source's."""
    for chunk in (title, text[:600]):
        for name, pattern in _TYPES:
            if re.search(pattern, chunk, re.I):
                return name
    return default


def _year(value: str) -> int:
    return int(value.upper().replace("O", "0"))


def fiscal_year(title: str, text: str, published: date | None = None) -> tuple[int | None, str | None]:
    """The programme's year: "TA/tahun anggaran YYYY", else the title's year, else the year most
    named outside dates, else the document's year. Returns (year, evidence sentence)."""
    ta = list(_FY_TA.finditer(f"{title}\n{text}"))
    if ta:
        joined = f"{title}\n{text}"
        return _year(ta[0].group(1)), sentence(joined, ta[0].start())
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", title)]
    if years:
        return max(years), clean(title)
    no_dates = re.sub(_FULL, " ", text, flags=re.I)
    counted = Counter(int(y) for y in re.findall(r"\b(20\d\d)\b", no_dates))
    if counted:
        year, _ = max(counted.items(), key=lambda kv: (kv[1], kv[0]))
        pos = re.search(rf"\b{year}\b", no_dates)
        return year, sentence(no_dates, pos.start()) if pos else None
    if published:
        return published.year, None
    dated = _default_year(text, None)
    return (dated, None) if dated else (None, None)


def call_sentence(text: str) -> str | None:
    """The first sentence that opens or extends a submission process, if any."""
    for part in _sentences(text):
        verb = _CALL_VERB.search(part)
        if (verb and _CALL_PROCESS.search(part) and not _EVENT.search(part[:verb.start()][-40:])) or \
                _INVITE.search(part):
            return clean(part)
    return None


def text_title(text: str) -> str:
    """A plain-text document's headline: a letter's "Hal/Perihal" (with its continuation lines), else
    its first line without the issuing institution ("Kementerian X – Judul")."""
    m = re.search(r"^\s*(?:hal|perihal)\s*:\s*(.+(?:\n(?!\s*\n)(?!\s*(?:kepada|yth|lampiran|nomor|sifat)\b).+)*)",
                  text, re.I | re.M)
    if m:
        return clean(m.group(1))
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    parts = [p for p in re.split(r"\s+[–—|-]\s+", first) if p.strip()]
    keep = [p for p in parts if not re.match(r"\s*(kementerian|badan|direktorat|sekretariat|dinas|pemerintah|"
                                             r"deputi|biro|lembaga)\b", p, re.I)]
    return clean(max(keep or parts or [""], key=len)).strip(" ,")


def extract_text(text: str, title: str = "", published: date | None = None) -> dict[str, Any]:
    """Every field of one announcement's text, with the sentence each came from (`evidence`)."""
    published = published or document_date(text)
    body = f"{title}.\n{text}" if title and title not in text[:len(title) + 200] else text
    win = read_window(body, published)
    amount, amount_ev = ceiling_with_evidence(body)
    levels, levels_ev = levels_with_evidence(body)
    year, year_ev = fiscal_year(title, text, published)
    call_ev = call_sentence(body)
    closed = win.past or bool(win.closes and published and win.closes < published)
    is_call = not closed and bool(win.opens or win.closes or call_ev)  # a closed window is reported, not called
    return {
        "is_call": is_call,
        "title": title or None,
        "funding_type": funding_type(title, text),
        "opens_on": win.opens.isoformat() if win.opens else None,
        "closes_on": win.closes.isoformat() if win.closes else None,
        "extended_from": win.extended_from.isoformat() if win.extended_from else None,
        "ceiling_idr": amount,
        "recipient_levels": levels,
        "fiscal_year": year,
        "published_on": published.isoformat() if published else None,
        "evidence": {"is_call": win.evidence_close or win.evidence_open or call_ev, "title": title or None,
                     "opens_on": win.evidence_open, "closes_on": win.evidence_close, "ceiling_idr": amount_ev,
                     "recipient_levels": levels_ev, "fiscal_year": year_ev},
    }


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<") and any(t in head for t in ("<html", "<!doctype", "<body", "<div", "<p", "<head"))


def extract_document(data: bytes, content_type: str | None = None, url: str | None = None) -> dict[str, Any]:
    """`extract_text` on an HTML page (headline, main text and date from `pages.read_page`) or a
    plain-text document (headline from its "Hal" line or first line)."""
    text, _ = decode(data, content_type)
    if looks_like_html(text):
        page = read_page(text, url)
        body = blocks_as_sentences(page.text)
        return extract_text(body, page.title, page.published or document_date(body))
    return extract_text(text, text_title(text))
