"""Many texts analysed at once: each distinct token is stemmed once, term counts, dictionary phrases and
surfaces are found with array operations over all tokens (text.Analyzer.analyze is this for one text).

Sums run in the order the one-text reading used (words, then phrase concepts, then acronyms; per term in
order of occurrence), so term weights are the same bits whichever way a text is analysed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nyengget.matching.text import _has, display_form

if TYPE_CHECKING:
    from nyengget.matching.text import Analyzer


@dataclass
class Batch:
    """Per (text, term), in order of first occurrence within each text: weight; and, when asked, the
    surface (index into Analyzer.forms) people see for the term."""

    doc: np.ndarray
    term: np.ndarray
    tf: np.ndarray  # float64
    surface_doc: np.ndarray
    surface_term: np.ndarray
    surface_form: np.ndarray
    marked: dict[str, np.ndarray] | None = None  # per name of `marks`: bool per text, a token has one of its stems

    @staticmethod
    def empty_surfaces() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)

    def expand(self, of: np.ndarray) -> Batch:
        """The batch for texts `of[i]` of this one (a text repeated is read once)."""
        tf_rows = _gather(self.doc, len(of), of)
        sf_rows = _gather(self.surface_doc, len(of), of)
        return Batch(np.repeat(np.arange(len(of)), _counts(self.doc, of)), self.term[tf_rows], self.tf[tf_rows],
                     np.repeat(np.arange(len(of)), _counts(self.surface_doc, of)), self.surface_term[sf_rows],
                     self.surface_form[sf_rows],
                     None if self.marked is None else {k: v[of] for k, v in self.marked.items()})


def _counts(doc: np.ndarray, of: np.ndarray) -> np.ndarray:
    n = int(of.max()) + 1 if len(of) else 0
    return np.bincount(doc, minlength=n)[of] if len(doc) else np.zeros(len(of), np.int64)


def _gather(doc: np.ndarray, n: int, of: np.ndarray) -> np.ndarray:
    """Entry positions of texts of[0], of[1], ... in a doc-sorted array."""
    counts = _counts(doc, of)
    starts = np.searchsorted(doc, of, "left") if len(doc) else np.zeros(n, np.int64)
    return np.repeat(starts, counts) + (np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts))


def analyze_distinct(an: Analyzer, texts: list[str], *, surfaces: bool = False,
                     marks: dict[str, frozenset[str]] | None = None) -> Batch:
    """analyze_many over the distinct texts (in order of first appearance), spread back to all texts."""
    of, distinct = pd.factorize(pd.Series(texts, dtype=object), sort=False)
    if len(distinct) == len(texts):
        return analyze_many(an, texts, surfaces=surfaces, marks=marks)
    return analyze_many(an, distinct.tolist(), surfaces=surfaces, marks=marks).expand(of.astype(np.int64))


@dataclass
class _Tokens:
    codes: np.ndarray  # token -> distinct token
    doc: np.ndarray  # token -> text
    begin: np.ndarray  # token -> start of its text
    end: np.ndarray  # token -> end of its text (exclusive)
    stem: np.ndarray  # token -> stem id
    term: np.ndarray  # token -> word term id or -1 (stopword)
    form: np.ndarray  # token -> display form id


class _Accumulator:
    """(doc, term, value) contributions in summation order, and surface candidates (doc, term, form, class)."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = []
        self.surfaces: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, doc, term, value, *, discount: bool = False) -> None:
        self.parts.append((np.asarray(doc, np.int64), np.asarray(term, np.int64), np.asarray(value, np.float64),
                           discount))

    def surface(self, doc, term, form, klass: int) -> None:
        doc = np.asarray(doc, np.int64)
        self.surfaces.append((doc, np.asarray(term, np.int64), np.asarray(form, np.int64),
                              np.full(len(doc), klass, np.int64)))


def analyze_many(an: Analyzer, texts: list[str], *, surfaces: bool = False,
                 marks: dict[str, frozenset[str]] | None = None) -> Batch:
    """Term weights (words and concepts) of every text; with surfaces, the form people see per term;
    with `marks` (name -> stems), which texts have a token of those stems (stopwords included)."""
    tok, distinct = _tokens(an, texts)
    acc = _Accumulator()
    if an._phrases:
        _phrases(an, tok, distinct, acc, surfaces)
    if an._acronyms:
        _acronyms(an, tok, distinct, acc, surfaces)
    out = _collect(tok, acc, surfaces)
    if marks is not None:
        out.marked = {}
        for name, stems in marks.items():
            ids = [an._stem_ids[s] for s in stems if s in an._stem_ids]
            flag = np.zeros(len(texts), dtype=bool)
            flag[tok.doc[np.isin(tok.stem, ids)]] = True
            out.marked[name] = flag
    return out


def _tokens(an: Analyzer, texts: list[str]) -> tuple[_Tokens, list[str]]:
    codes, lengths, distinct = token_codes(texts)
    entries = [an._entry(t) for t in distinct]  # vocabulary ids assigned in reading order
    stem_id = an._stem_ids
    u_stem = np.fromiter((stem_id.setdefault(e[0], len(stem_id)) for e in entries), np.int64, len(entries))
    u_term = np.fromiter((e[1] for e in entries), np.int64, len(entries))
    u_form = np.fromiter((an.form_id(display_form(t)) for t in distinct), np.int64, len(entries))
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    ends = np.cumsum(lengths)
    return _Tokens(codes, doc, (ends - lengths)[doc], ends[doc], u_stem[codes], u_term[codes], u_form[codes]), distinct


_ALNUM = np.zeros(256, dtype=bool)
_ALNUM[[ord(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]] = True
_SHORT = 16  # tokens up to this many bytes are compared as two 64-bit words
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)  # the first k bytes of a word


def token_codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(distinct-token index per token in reading order, tokens per text, the distinct tokens in order of
    first appearance): text.tokenize over all texts, on the UTF-8 bytes (tokens are ASCII alphanumerics,
    so every other byte separates)."""
    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.cumsum([0] + [len(e) + 1 for e in encoded])
    buf = b"\x00".join(encoded) + b"\x00" * (_SHORT + 8)
    data = np.frombuffer(buf, dtype=np.uint8)
    edge = np.diff(np.r_[np.int8(0), _ALNUM[data].view(np.int8)])
    start, end = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    lengths = np.diff(np.searchsorted(start, offsets))
    codes, _ = pd.factorize(_token_ids(data, start, end - start), sort=False)
    rep = np.flatnonzero(_first_seen(codes))
    distinct = [buf[a:b].decode("ascii") for a, b in zip(start[rep].tolist(), end[rep].tolist(), strict=True)]
    return codes.astype(np.int64), lengths, distinct


def _token_ids(data: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """An id per token, equal exactly when the tokens are equal: up to 16 bytes as two 64-bit words
    (alphanumeric bytes are never 0, so the zero padding tells lengths apart), longer ones as strings."""
    words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))  # 8 bytes at each offset
    w0 = words[start] & _MASKS[np.minimum(length, 8)]
    w1 = words[start + 8] & _MASKS[np.clip(length - 8, 0, 8)]
    c0, u0 = pd.factorize(w0, sort=False)
    c1, u1 = pd.factorize(w1, sort=False)
    ids = c0.astype(np.int64) * len(u1) + c1
    long_ = np.flatnonzero(length > _SHORT)
    if len(long_):  # rare
        raw = data.tobytes()
        text = pd.Series([raw[a:a + n] for a, n in zip(start[long_].tolist(), length[long_].tolist(), strict=True)],
                         dtype=object)
        ids[long_] = len(u0) * len(u1) + pd.factorize(text, sort=False)[0]
    return ids


def _phrases(an: Analyzer, tok: _Tokens, distinct: list[str], acc: _Accumulator, surfaces: bool) -> None:
    """Longest dictionary phrase at each position, left to right without overlap (as Analyzer did)."""
    flags = np.fromiter((an._entries[t][2] for t in distinct), bool, len(distinct))
    starts = np.flatnonzero(flags[tok.codes])
    if len(starts) == 0:
        return
    pos, cand = _longest_phrase(an, tok, starts)
    length = an._phrase_len[cand]
    keep = _greedy(pos, pos + length, tok.doc[pos])
    pos, cand, length = pos[keep], cand[keep], length[keep]
    if an.phrase_word_weight != 1.0:
        span = np.repeat(pos, length) + _within(length)
        span = span[(np.repeat(length, length) > 1) & (tok.term[span] >= 0)]
        acc.add(tok.doc[span], tok.term[span], np.full(len(span), -(1.0 - an.phrase_word_weight)), discount=True)
    n_conc = an._phrase_nconc[cand]
    which = np.repeat(an._phrase_conc_start[cand], n_conc) + _within(n_conc)
    docs = np.repeat(tok.doc[pos], n_conc)
    terms, weights = an._conc_term[which], an._conc_weight[which]
    acc.add(docs, terms, weights)
    if surfaces:
        shown = np.repeat(_shown(an, tok, pos, length), n_conc)
        own = weights >= 1.0
        acc.surface(docs[own], terms[own], shown[own], 1)  # the term's own concepts first ...
        acc.surface(docs[~own], terms[~own], shown[~own], 2)  # ... related ones only when no own one


def _longest_phrase(an: Analyzer, tok: _Tokens, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position, phrase) where a phrase starts: at each of `starts` the first of the phrases of its stem
    (longest first) whose stems follow within the text; positions where none does are left out."""
    first = tok.stem[starts]
    count = an._cand_count[first]
    which = np.repeat(np.arange(len(starts)), count)  # one pair per position and candidate, in order
    cand = np.repeat(an._cand_start[first], count) + _within(count)
    pos = starts[which]
    length = an._phrase_len[cand]
    ok = pos + length <= tok.end[pos]
    left = np.flatnonzero(ok & (length > 1))  # pairs whose next stems are still to compare
    for j in range(1, an._phrase_stems.shape[1]):
        left = left[length[left] > j]
        differ = tok.stem[pos[left] + j] != an._phrase_stems[cand[left], j]
        ok[left[differ]] = False
        left = left[~differ]
    at = np.flatnonzero(ok)
    first_ok = at[np.r_[True, which[at[1:]] != which[at[:-1]]]] if len(at) else at
    return pos[first_ok], cand[first_ok]


def _first_seen(codes: np.ndarray) -> np.ndarray:
    """bool per entry: the first of its code, for codes numbered in order of first appearance (pd.factorize,
    sort=False); their positions are in code order."""
    if len(codes) == 0:
        return np.zeros(0, dtype=bool)
    return codes > np.maximum.accumulate(np.r_[-1, codes[:-1]])


def _within(counts: np.ndarray) -> np.ndarray:
    """0..c-1 for each count c, concatenated."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)


def _greedy(start: np.ndarray, end: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Matches (sorted by start) kept left to right: one starting inside a kept match is dropped. Texts
    whose matches never start inside an earlier one keep all; the others are walked one by one."""
    keep = np.ones(len(start), dtype=bool)
    if len(start) < 2:
        return keep
    clash = np.flatnonzero(start[1:] < np.maximum.accumulate(end)[:-1]) + 1  # earlier texts end before
    docs = np.unique(doc[clash])
    starts, ends = start.tolist(), end.tolist()
    for a, b in zip(np.searchsorted(doc, docs, "left").tolist(), np.searchsorted(doc, docs, "right").tolist(),
                    strict=True):
        covered = -1
        for i in range(a, b):
            if starts[i] < covered:
                keep[i] = False
            else:
                covered = ends[i]
    return keep


def _shown(an: Analyzer, tok: _Tokens, pos: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Form id of each matched span as written (`tangki septik`); each distinct span joined once."""
    out = tok.form[pos].copy()
    forms = an.forms
    for k in np.unique(length[length > 1]).tolist():
        m = np.flatnonzero(length == k)
        spans = tok.form[pos[m][:, None] + np.arange(k)]
        width = len(forms) + 1
        span = spans[:, 0]
        for j in range(1, k):  # one code per distinct span, in order of first occurrence
            span = pd.factorize(span * width + spans[:, j], sort=False)[0].astype(np.int64)
        first = np.flatnonzero(_first_seen(span))  # in code order
        ids = np.array([an.form_id(" ".join(forms[f] for f in row)) for row in spans[first].tolist()], dtype=np.int64)
        out[m] = ids[span]
    return out


def _acronyms(an: Analyzer, tok: _Tokens, distinct: list[str], acc: _Accumulator, surfaces: bool) -> None:
    """KIA, KK, APE: the concept the surrounding words point to (see Analyzer._resolve_acronyms)."""
    is_acr = np.fromiter((t.isupper() and t in an._acronyms for t in distinct), bool, len(distinct))
    at = np.flatnonzero(is_acr[tok.codes])
    if len(at) == 0:
        return
    stems = an.stem_strings()
    docs, terms, forms = [], [], []
    at_doc = tok.doc[at]
    docs_with = np.unique(at_doc)
    lo, hi = np.searchsorted(at_doc, docs_with, "left"), np.searchsorted(at_doc, docs_with, "right")
    for d, a, b in zip(docs_with.tolist(), lo.tolist(), hi.tolist(), strict=True):
        s, e = int(tok.begin[at[a]]), int(tok.end[at[a]])
        doc_stems = tuple(stems[i] for i in tok.stem[s:e].tolist())
        present = set(doc_stems)
        seen = dict.fromkeys(distinct[c] for c in tok.codes[at[a:b]].tolist())
        for acronym in seen:
            for cid in _chosen(an, an._acronyms[acronym], doc_stems, present):
                docs.append(d)
                terms.append(an._concept_ids[cid])
                forms.append(an.form_id(acronym))
    acc.add(docs, terms, np.ones(len(docs)))
    if surfaces:
        acc.surface(docs, terms, forms, 3)


def _chosen(an: Analyzer, options, stems: tuple[str, ...], present: set[str]) -> list[str]:
    if not an.acronym_context:
        return [c for c, _ in options]
    hits = [sum(_has(stems, present, term) for term in context) for _c, context in options]
    best = max(range(len(options)), key=lambda k: (hits[k], -k))
    return [options[best][0]] if hits[best] > 0 else []


def _collect(tok: _Tokens, acc: _Accumulator, surfaces: bool) -> Batch:
    """Words (counted per text in order of first occurrence, the form of their first occurrence), then
    concepts (phrase weights, then acronyms), per text; word and concept term ids never coincide."""
    words = np.flatnonzero(tok.term >= 0)
    w_doc, w_term = tok.doc[words], tok.term[words]
    width = int(max(w_term.max(initial=0), *(int(p[1].max(initial=0)) for p in acc.parts), 0)) + 1
    discounts = [p for p in acc.parts if p[3]]
    w_keys = w_doc * width + w_term
    # one factorisation for the words and the discounted entries: a word key's code is its position
    # among the words' keys (first occurrence order, texts in order), since the words come first
    all_codes, uniques = pd.factorize(np.concatenate([w_keys, *(p[0] * width + p[1] for p in discounts)]),
                                      sort=False)
    codes = all_codes[:len(w_keys)]
    keys = uniques[:int(codes.max()) + 1 if len(codes) else 0]
    w_tf = np.bincount(codes, minlength=len(keys)).astype(np.float64)
    at = len(w_keys)
    for d_doc, _d_term, d_value, _ in discounts:  # Analyzer's phrase_word_weight < 1: after the counts
        where = all_codes[at:at + len(d_doc)]
        at += len(d_doc)
        np.add.at(w_tf, np.where(where < len(keys), where, -1), d_value)  # as get_indexer: -1 if absent
    concepts = [p for p in acc.parts if not p[3]]
    c_doc = np.concatenate([p[0] for p in concepts] + [np.zeros(0, np.int64)])
    c_term = np.concatenate([p[1] for p in concepts] + [np.zeros(0, np.int64)])
    c_value = np.concatenate([p[2] for p in concepts] + [np.zeros(0, np.float64)])
    by_doc = np.argsort(c_doc, kind="stable")  # phrases then acronyms within a text, each in reading order
    c_codes, c_keys = pd.factorize(c_doc[by_doc] * width + c_term[by_doc], sort=False)
    c_tf = np.bincount(c_codes, weights=c_value[by_doc], minlength=len(c_keys))  # sequential per term
    all_keys = np.concatenate([keys, c_keys]).astype(np.int64)
    order = np.argsort(all_keys // width, kind="stable")
    out = Batch(all_keys[order] // width, all_keys[order] % width, np.concatenate([w_tf, c_tf])[order],
                *Batch.empty_surfaces())
    if surfaces:
        first = _first_seen(codes)
        s_doc, s_term, s_form = first_surface(*(np.concatenate([c[i] for c in acc.surfaces] + [np.zeros(0, np.int64)])
                                                for i in range(4)))
        s_doc = np.concatenate([w_doc[first], s_doc])
        by_doc = np.argsort(s_doc, kind="stable")  # two sorted runs: words, concepts
        out.surface_doc = s_doc[by_doc]
        out.surface_term = np.concatenate([w_term[first], s_term])[by_doc]
        out.surface_form = np.concatenate([tok.form[words][first], s_form])[by_doc]
    return out


def first_surface(doc: np.ndarray, term: np.ndarray, form: np.ndarray, klass: np.ndarray):
    """Per (doc, term): the form of the lowest class, earliest within it (candidates in reading order)."""
    if len(doc) == 0:
        return doc, term, form
    order = np.lexsort((np.arange(len(doc)), klass, term, doc))
    d, t = doc[order], term[order]
    first = np.r_[True, (d[1:] != d[:-1]) | (t[1:] != t[:-1])]
    pick = order[first]
    return doc[pick], term[pick], form[pick]
