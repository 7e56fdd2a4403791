"""Indonesian text normalisation: tokens, stopwords, cached Sastrawi stemming and dictionary concepts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from nyengget.matching.dictionary import CONCEPT_PREFIX, Dictionary, PhraseEntry, load_dictionary

_TOKEN = re.compile(r"[0-9A-Za-z]+")
_YEAR = re.compile(r"(19|20)\d\d")
_MAX_PHRASE = 8


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
        self._stems: dict[str, str] = {}
        self._entries: dict[str, tuple[str, int, bool]] = {}
        self.vocab = Vocabulary()
        self.phrase_word_weight = phrase_word_weight  # words inside a multi-word dictionary phrase
        self._phrases: dict[str, list[PhraseEntry]] = (
            d.phrase_index(self.normalise, self._stopwords) if use_dictionary else {})
        self._concept_ids = {cid: self.vocab.id(CONCEPT_PREFIX + cid) for cid in d.concepts} if use_dictionary else {}
        self._acronyms = {a: tuple((o.concept, tuple(self.normalise(w) for w in o.when)) for o in opts)
                          for a, opts in d.acronyms.items()} if use_dictionary else {}

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

    # -- texts ----------------------------------------------------------------------------------
    def analyze(self, text: str, *, surfaces: bool = False) -> Analysis:
        """Term frequencies (words and concepts) of `text`; with surfaces, the first form seen per term."""
        tokens = tokenize(text) if text else []
        entries = [self._entry(t) for t in tokens]
        tf: dict[int, float] = {}
        surface: dict[int, str] = {}
        for token, (_stem, tid, _flag) in zip(tokens, entries, strict=True):
            if tid >= 0:
                tf[tid] = tf.get(tid, 0.0) + 1.0
                if surfaces and tid not in surface:
                    surface[tid] = display_form(token)
        if self._phrases:
            self._add_concepts(tokens, entries, tf, surface if surfaces else None)
        if self._acronyms:
            self._resolve_acronyms(tokens, entries, tf, surface if surfaces else None)
        return Analysis(tf, surface)

    def _resolve_acronyms(self, tokens: list[str], entries: list, tf: dict[int, float], surface: dict | None) -> None:
        """KIA, KK, APE: the concept the surrounding words point to (most context hits), none without context.
        With acronym_context off, every candidate concept (the old reading of the acronym alone)."""
        found = [t for t in dict.fromkeys(tokens) if t.isupper() and t in self._acronyms]
        if not found:
            return
        stems = tuple(e[0] for e in entries)
        present = set(stems)
        for acronym in found:
            options = self._acronyms[acronym]
            if self.acronym_context:
                hits = [sum(_has(stems, present, term) for term in context) for _c, context in options]
                best = max(range(len(options)), key=lambda k: (hits[k], -k))
                chosen = [options[best][0]] if hits[best] > 0 else []
            else:
                chosen = [c for c, _ in options]
            for cid in chosen:
                tid = self._concept_ids[cid]
                tf[tid] = tf.get(tid, 0.0) + 1.0
                if surface is not None:
                    surface.setdefault(tid, acronym)

    def _add_concepts(self, tokens: list[str], entries: list, tf: dict[int, float], surface: dict | None) -> None:
        covered = 0
        n = len(entries)
        related: dict[int, str] = {}
        for i in (i for i, e in enumerate(entries) if e[2]):
            if i < covered:
                continue
            match = self._longest(entries, i, n)
            if match is None:
                continue
            covered = i + len(match.tokens)
            if covered - i > 1 and self.phrase_word_weight != 1.0:
                self._discount_words(entries[i:covered], tf)
            shown = " ".join(display_form(t) for t in tokens[i:covered])
            for cid, weight in match.concepts:
                tid = self._concept_ids[cid]
                tf[tid] = tf.get(tid, 0.0) + weight
                if surface is not None:
                    (surface if weight >= 1.0 else related).setdefault(tid, shown)
        if surface is not None:
            for tid, shown in related.items():
                surface.setdefault(tid, shown)

    def _discount_words(self, span: list, tf: dict[int, float]) -> None:
        """A word that is part of a phrase (`gula darah`) counts less on its own (`darah`)."""
        for _stem, tid, _flag in span:
            if tid >= 0:
                tf[tid] -= 1.0 - self.phrase_word_weight

    def _longest(self, entries: list, i: int, n: int) -> PhraseEntry | None:
        for cand in self._phrases[entries[i][0]]:
            k = len(cand.tokens)
            if i + k <= n and all(entries[i + j][0] == cand.tokens[j] for j in range(1, k)):
                return cand
        return None

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
