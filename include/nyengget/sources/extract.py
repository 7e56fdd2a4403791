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
from datetime import date
from typing import Any

from nyengget.funding import LEVELS
from nyengget.sources.charset import decode
from nyengget.sources.cues import (
    CLOSE,
    CLOSED,
    EVENT,
    EXTENDED,
    NOW,
    OPEN,
    OPENED,
    PAST,
    REPLACED_BY,
    SUBMIT_STRONG,
    SUBMIT_WEAK,
    WAS,
)
from nyengget.sources.pages import blocks_as_sentences, clean, read_page
from nyengget.sources.textdates import (  # noqa: F401 - MONTHS and mentions are used by other adapters
    DATE_RE,
    FULL,
    MONTHS,
    OPEN_TAIL,
    Mention,
    default_year,
    document_date,
    line_of,
    mentions,
    sentence,
    sentence_bounds,
)


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
    strong, weak, event = _nearest(SUBMIT_STRONG, context), _nearest(SUBMIT_WEAK, context), _nearest(EVENT, context)
    if strong < event:
        last = list(SUBMIT_STRONG.finditer(context))[-1]
        if re.search(rf"{EVENT.pattern}\W+(?:\w+\W+)?$", context[:last.start()], re.I):
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
    if submit == 0 and len(context.strip()) <= 30 and not EVENT.search(context):
        prev_start, _ = sentence_bounds(text, max(0, s_start - 2))
        prev = text[prev_start:s_start].strip()
        if len(prev) <= 60 and not DATE_RE.search(prev):  # a label block: "Batas Waktu Pengusulan." "15 Mei"
            submit = _submission(prev)
        elif CLOSE.search(context):  # "... mengajukan berkas. Jadwal: s.d. 22 Mei"
            submit = 2 if _submission(prev) == 3 else 0
    if submit == 0 and OPENED.search(context) and not EVENT.search(context):
        submit = 2  # "Lomba ... dibuka 1 - 31 Desember": a programme opened on dates is a call's window
    line_start, _ = line_of(text, mention.start)
    after = _label_after(text, mention)
    if after and not text[line_start:mention.start].strip():  # a schedule line "DATE : label"
        first = re.search(rf"{SUBMIT_STRONG.pattern}|{EVENT.pattern}", after, re.I)
        submit = 3 if first and SUBMIT_STRONG.fullmatch(first.group(0)) else 0
    was = list(WAS.finditer(context))
    _, s_end = sentence_bounds(text, mention.start)
    after = text[mention.end:min(s_end, mention.end + 80)]
    replaced = bool(REPLACED_BY.match(after)) and bool(DATE_RE.search(after))
    superseded = replaced or (bool(was) and not NOW.search(context[was[-1].end():]))
    extended = bool(EXTENDED.search(context)) and (not re.search(r"menjadi\W+(?:\w+\W+){0,4}$", context, re.I)
                                                    or bool(was) or bool(DATE_RE.search(context)))
    past = bool(PAST.match(text[mention.end:mention.end + 12]) or CLOSED.search(context))
    open_only = mention.first is None and bool(OPEN_TAIL.match(text[mention.end:mention.end + 12]))
    return _Candidate(mention, submit, _nearest(CLOSE, context[-45:]), _nearest(OPEN, context[-60:]),
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
    no_dates = re.sub(FULL, " ", text, flags=re.I)
    counted = Counter(int(y) for y in re.findall(r"\b(20\d\d)\b", no_dates))
    if counted:
        year, _ = max(counted.items(), key=lambda kv: (kv[1], kv[0]))
        pos = re.search(rf"\b{year}\b", no_dates)
        return year, sentence(no_dates, pos.start()) if pos else None
    if published:
        return published.year, None
    dated = default_year(text, None)
    return (dated, None) if dated else (None, None)


def call_sentence(text: str) -> str | None:
    """The first sentence that opens or extends a submission process, if any."""
    for part in _sentences(text):
        verb = _CALL_VERB.search(part)
        if (verb and _CALL_PROCESS.search(part) and not EVENT.search(part[:verb.start()][-40:])) or \
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
