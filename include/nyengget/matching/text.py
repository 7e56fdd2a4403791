"""Indonesian text normalisation: tokens, stopwords, cached Sastrawi stemming and dictionary concepts."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeVar

import numpy as np
from scipy import sparse

from nyengget.matching.dictionary import CONCEPT_PREFIX, Dictionary, PhraseEntry, load_dictionary

_TOKEN = re.compile(r"[0-9A-Za-z]+")
_YEAR = re.compile(r"(19|20)\d\d")
_MAX_PHRASE = 8
T = TypeVar("T")


@lru_cache(maxsize=1)
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return StemmerFactory().create_stemmer(), frozenset(StopWordRemoverFactory().get_stop_words())


def tokenize(text: str) -> list[str]:
    """Alphanumeric runs as written (`SPALD-S` -> `SPALD`, `S`; numbers and acronyms kept)."""
    return _TOKEN.findall(text)


def display_form(token: str) -> str:
    """How a matched word is shown to people: acronyms as written, other words in lower case."""
    return token if len(token) > 1 and token.isupper() and len(token) <= 6 else token.lower()


class Vocabulary:
    """Term string -> column id, growing as texts are analysed."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []

    def id(self, term: str) -> int:
        tid = self.ids.get(term)
        if tid is None:
            tid = self.ids[term] = len(self.terms)
            self.terms.append(term)
        return tid

    def __len__(self) -> int:
        return len(self.terms)

    def continues(self, terms: list[str]) -> bool:
        """`terms` start with this vocabulary's own terms."""
        return terms[:len(self.terms)] == self.terms

    def continue_with(self, terms: list[str]) -> None:
        """Become `terms` (which `continues` this vocabulary)."""
        self.terms[:] = terms  # in place: Analyzer.forms is this list
        self.ids = {t: i for i, t in enumerate(terms)}


@dataclass
class Analysis:
    """Term frequencies of one text and the first surface form of each term (for reasons)."""

    tf: dict[int, float]
    surface: dict[int, str]


class Analyzer:
    """Turns texts into weighted term ids: stemmed content words plus dictionary concept tokens."""

    def __init__(self, *, stemming: bool = True, dictionary: Dictionary | None = None, use_dictionary: bool = True,
                 phrase_word_weight: float = 0.5, stem_guards: bool = True, acronym_context: bool = True):
        stemmer, stopwords = _sastrawi()
        self._stemmer = stemmer if stemming else None
        self.dictionary = dictionary or load_dictionary()
        d = self.dictionary
        self._guards = d.stem_guards if stem_guards else {}
        self.acronym_context = acronym_context
        self._stopwords = (stopwords - d.not_stopwords) | d.extra_stopwords
        self._derived = d.derived.setdefault((stemming, stem_guards), {})  # what depends only on these
        self._stems: dict[str, str] = self._derived.setdefault("stems", {})
        self._entries: dict[str, tuple[str, int, bool]] = {}
        self.vocab = Vocabulary()
        self.phrase_word_weight = phrase_word_weight  # words inside a multi-word dictionary phrase
        self._phrases: dict[str, list[PhraseEntry]] = self._derived_once(
            "phrases", lambda: d.phrase_index(self.normalise, self._stopwords)) if use_dictionary else {}
        self._concept_ids = {cid: self.vocab.id(CONCEPT_PREFIX + cid) for cid in d.concepts} if use_dictionary else {}
        self._acronyms = {a: tuple((o.concept, tuple(self.normalise(w) for w in o.when)) for o in opts)
                          for a, opts in d.acronyms.items()} if use_dictionary else {}
        self._forms = Vocabulary()  # forms people see, interned like terms
        self.forms: list[str] = self._forms.terms
        self._phrase_tables()

    # -- single words -------------------------------------------------------------------------
    def stem(self, word: str) -> str:
        """Lower-case stem of one word, cached; numbers, acronyms with digits and kept words are left alone."""
        lower = word.lower()
        cached = self._stems.get(lower)
        if cached is None:
            cached = self._stems[lower] = self._stem_uncached(lower)
        return cached

    def _stem_uncached(self, lower: str) -> str:
        d = self.dictionary
        if lower in self._guards:
            return self._guards[lower]
        if lower in d.stem_overrides:
            return d.stem_overrides[lower]
        if self._stemmer is None or lower in d.keep_unstemmed or not lower.isalpha() or len(lower) <= 3:
            return lower
        stem = self._stemmer.stem(lower) or lower
        return self._colloquial(lower) if stem == lower else stem

    def _colloquial(self, lower: str) -> str:
        """Jakarta-style affixes Sastrawi does not know: `bersihin`, `diusulin`, `ngecek`."""
        bases = [lower[:-2]] if lower.endswith("in") and len(lower) > 5 else []
        bases += [b[3:] for b in [lower, *bases] if b.startswith("nge") and len(b) > 5]
        roots = self._stemmer.delegatedStemmer.dictionary
        for b in bases:
            stem = self._stemmer.stem(b)
            if roots.contains(stem):
                return stem
        return lower

    def normalise(self, text: str) -> tuple[str, ...]:
        """Stems of all tokens (stopwords included): the form dictionary phrases are matched in."""
        return tuple(self.stem(t) for t in tokenize(text))

    def is_stopword(self, lower: str, stem: str) -> bool:
        return len(lower) < 2 or lower in self._stopwords or stem in self._stopwords or bool(_YEAR.fullmatch(lower))

    def _entry(self, token: str) -> tuple[str, int, bool]:
        """(stem, word term id or -1 for stopwords, may start a dictionary phrase) for a token as written."""
        entry = self._entries.get(token)
        if entry is None:
            lower = token.lower()
            stem = self.stem(lower)
            tid = -1 if self.is_stopword(lower, stem) else self.vocab.id(stem)
            entry = self._entries[token] = (stem, tid, stem in self._phrases)
        return entry

    def without_related(self) -> Analyzer:
        """An analyzer reading like this one whose phrases add only their own concepts (weight 1, no related
        ones). It shares this one's stems, token entries, vocabulary and forms: the phrases are the same
        (so are the entries' phrase flags), only the concept weights differ."""
        d = self.dictionary
        twin = copy.copy(self)
        twin.dictionary = self._derived_once(
            "without_related", lambda: replace(d, concepts={k: replace(c, related={}) for k, c in d.concepts.items()}))
        twin._phrases = self._derived_once(
            "without_related_phrases", lambda: twin.dictionary.phrase_index(self.normalise, self._stopwords)
        ) if self._phrases else {}
        twin._phrase_tables("without_related")
        return twin

    def _derived_once(self, key: str, make: Callable[[], T]) -> T:
        """`make()` once per dictionary and reading settings (Dictionary.derived)."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    # -- what reading texts added (matching/catalogue.py keeps it on disk) ---------------------------
    def reading_state(self) -> dict[str, list]:
        """What reading texts added to this analyzer: terms, forms, token entries and stem ids (lists of str,
        int and bool only)."""
        entries = list(self._entries.items())
        return {"terms": list(self.vocab.terms), "forms": list(self.forms), "stem_ids": list(self._stem_ids),
                "tokens": [t for t, _ in entries], "entry_stems": [e[0] for _, e in entries],
                "entry_terms": [e[1] for _, e in entries], "entry_phrase": [e[2] for _, e in entries]}

    def continue_reading(self, state: dict[str, list]) -> None:
        """Continue from the `reading_state()` of an analyzer of the same settings and dictionary, as if this
        one had read the same texts (ValueError, and this one unchanged, when its own start is not the state's)."""
        own_stems = list(self._stem_ids)
        for name, ok in (("stem ids", state["stem_ids"][:len(own_stems)] == own_stems),
                         ("terms", self.vocab.continues(state["terms"])), ("forms", self._forms.continues(state["forms"]))):
            if not ok:
                raise ValueError(f"the saved {name} do not start with this analyzer's")
        self.vocab.continue_with(list(state["terms"]))
        self._forms.continue_with(list(state["forms"]))
        self._stem_ids = {s: i for i, s in enumerate(state["stem_ids"])}
        self._entries = {t: (s, int(i), bool(f)) for t, s, i, f in zip(
            state["tokens"], state["entry_stems"], state["entry_terms"], state["entry_phrase"], strict=True)}

    # -- tables for analysis.py ------------------------------------------------------------
    def form_id(self, form: str) -> int:
        """Index of a form people see (a word as written, a phrase) in `forms`."""
        return self._forms.id(form)

    def stem_strings(self) -> list[str]:
        """Stem id -> stem (ids as analysis.py assigns them)."""
        return list(self._stem_ids)

    def _phrase_tables(self, variant: str = "") -> None:
        """Dictionary phrases as arrays, numbered by first stem and then longest first: per first stem id,
        its first phrase and how many it has; per phrase its stem ids (-1 padded), its length and its
        concepts' term ids and weights. Made once per dictionary, reading settings and `variant` (the arrays
        are shared, read only); each analyzer gets its own stem ids, which analysis extends."""
        stem_ids, tables = self._derived_once(f"phrase_tables{variant}:{bool(self._phrases)}", self._make_phrase_tables)
        self._stem_ids: dict[str, int] = dict(stem_ids)
        (self._cand_count, self._cand_start, self._phrase_stems, self._phrase_len, self._phrase_nconc,
         self._phrase_conc_start, self._conc_term, self._conc_weight) = tables

    def _make_phrase_tables(self) -> tuple[dict[str, int], tuple[np.ndarray, ...]]:
        stem_ids: dict[str, int] = {}
        firsts, stems, n_conc, terms, weights = [], [], [], [], []
        for first, entries in self._phrases.items():
            firsts.append(stem_ids.setdefault(first, len(stem_ids)))
            for entry in entries:
                stems.append([stem_ids.setdefault(t, len(stem_ids)) for t in entry.tokens])
                n_conc.append(len(entry.concepts))
                terms += [self._concept_ids[cid] for cid, _ in entry.concepts]
                weights += [w for _, w in entry.concepts]
        counts = np.array([len(entries) for entries in self._phrases.values()], dtype=np.int64)
        cand_count = np.zeros(len(stem_ids), dtype=np.int64)  # phrases are numbered in this order
        cand_count[firsts] = counts
        cand_start = np.zeros(len(stem_ids), dtype=np.int64)
        cand_start[firsts] = np.cumsum(counts) - counts
        lengths = [len(s) for s in stems]
        phrase_stems = np.full((len(stems), max(lengths, default=1)), -1, dtype=np.int64)
        for p, s in enumerate(stems):
            phrase_stems[p, :len(s)] = s
        nconc = np.array(n_conc, dtype=np.int64)
        return stem_ids, (cand_count, cand_start, phrase_stems, np.array(lengths, dtype=np.int64), nconc,
                          np.cumsum(nconc) - nconc, np.array(terms, dtype=np.int64), np.array(weights, dtype=np.float64))

    # -- texts ----------------------------------------------------------------------------------
    def analyze(self, text: str, *, surfaces: bool = False) -> Analysis:
        """Term frequencies (words and concepts) of `text`; with surfaces, the first form seen per term."""
        from nyengget.matching.analysis import analyze_many

        batch = analyze_many(self, [text], surfaces=surfaces)
        tf = dict(zip(batch.term.tolist(), batch.tf.tolist(), strict=True))
        surface = {int(t): self.forms[f] for t, f in zip(batch.surface_term, batch.surface_form, strict=True)}
        return Analysis(tf, surface)

    def concepts_of(self, text: str) -> set[str]:
        """Concept ids found in a text (own and related), e.g. for tests and explanations."""
        names = {tid: cid for cid, tid in self._concept_ids.items()}
        return {names[t] for t in self.analyze(text).tf if t in names}

    def concept_label(self, term_id: int) -> str | None:
        """The people-facing label if `term_id` is a concept token."""
        term = self.vocab.terms[term_id]
        return self.dictionary.label(term[1:]) if term.startswith(CONCEPT_PREFIX) else None


def _has(stems: tuple[str, ...], present: set[str], term: tuple[str, ...]) -> bool:
    """Whether the normalised `term` occurs in `stems` (contiguously for phrases)."""
    if not term:
        return False
    if len(term) == 1:
        return term[0] in present
    k = len(term)
    return term[0] in present and any(stems[i:i + k] == term for i in range(len(stems) - k + 1))


def to_csr(rows: list[dict[int, float]], n_cols: int) -> sparse.csr_matrix:
    """Sparse matrix (float32) from per-row {column: value} dicts."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((k for r in rows for k in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.fromiter((v for r in rows for v in r.values()), dtype=np.float32, count=int(indptr[-1]))
    mat = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))
    mat.sort_indices()
    return mat
