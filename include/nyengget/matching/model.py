"""Sparse lexical model: field-weighted BM25 over programmes, log-tf queries for innovations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from nyengget.matching import analysis
from nyengget.matching.text import Analyzer

PROGRAMME_FIELDS = ("title", "description", "bidang", "subbidang")


@dataclass
class TextModel:
    programmes: sparse.csr_matrix  # BM25 weights, n_prog x V
    queries: sparse.csr_matrix  # query weights, n_inn x V
    idf: np.ndarray  # V
    purpose_idf: np.ndarray  # V; 0 for terms no programme uses (names, places): for innovation similarity
    surfaces: Surfaces  # per innovation and term: the form as written
    marked: dict[str, np.ndarray] | None = None  # build_queries(marks=...): per name, bool per innovation


@dataclass
class Surfaces:
    """(innovation, term) -> form people see, keyed innovation * width + term (keys sorted)."""

    keys: np.ndarray  # int64, ascending
    forms: np.ndarray  # index into `table`, per key
    table: list[str]
    width: int

    def lookup(self, rows: np.ndarray, terms: np.ndarray) -> np.ndarray:
        """Form index per (row, term), -1 where the innovation has no surface for the term."""
        wanted = rows.astype(np.int64) * self.width + terms
        if len(wanted) == 0:
            return np.full(0, -1, dtype=np.int64)
        # the keys of these rows only (a chunk's rows are few and contiguous): a search that stays in cache
        lo, hi = np.searchsorted(self.keys, [wanted.min(), wanted.max()], side="left")
        keys, forms = self.keys[lo:hi + 1], self.forms[lo:hi + 1]
        if len(keys) == 0:
            return np.full(len(wanted), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return np.where(keys[at] == wanted, forms[at], -1)


def _matrix(batch: analysis.Batch, n_rows: int, n_terms: int) -> sparse.csr_matrix:
    """float64 term weights of a batch (one entry per text and term)."""
    mat = sparse.csr_matrix((batch.tf, (batch.doc, batch.term)), shape=(n_rows, n_terms))
    mat.sort_indices()
    return mat


def _row_sums(batch: analysis.Batch, n_rows: int) -> np.ndarray:
    """Per text, the sum of its term weights in order of first occurrence (as sum(dict.values()) did)."""
    out = np.zeros(n_rows, dtype=np.float64)
    if len(batch.doc) == 0:
        return out
    starts = np.r_[0, np.flatnonzero(np.diff(batch.doc)) + 1]
    within = np.arange(len(batch.doc)) - np.repeat(starts, np.diff(np.r_[starts, len(batch.doc)]))
    for j in range(int(within.max()) + 1):
        at = within == j
        out[batch.doc[at]] += batch.tf[at]  # one entry per text and step: sequential per text
    return out


def programme_tf(analyzer: Analyzer, programmes: pd.DataFrame,
                 field_weights: dict[str, float]) -> tuple[list[analysis.Batch], np.ndarray]:
    """Per field its analysed batch (fields in order), and the weighted document lengths."""
    batches = []
    lengths = np.zeros(len(programmes), dtype=np.float64)
    for fieldname in PROGRAMME_FIELDS:
        batch = analysis.analyze_distinct(analyzer, list(programmes[fieldname]))
        batches.append(batch)
        lengths += field_weights.get(fieldname, 1.0) * _row_sums(batch, len(programmes))
    return batches, lengths


def programme_matrix(batches: list[analysis.Batch], n_rows: int, n_terms: int,
                     field_weights: dict[str, float]) -> sparse.csr_matrix:
    """Weighted term frequencies summed over fields (in field order)."""
    total = sparse.csr_matrix((n_rows, n_terms), dtype=np.float64)
    for fieldname, batch in zip(PROGRAMME_FIELDS, batches, strict=True):
        total = total + field_weights.get(fieldname, 1.0) * _matrix(batch, n_rows, n_terms)
    return total


def innovation_tf(analyzer: Analyzer, innovations: pd.DataFrame,
                  marks: dict[str, frozenset[str]] | None = None) -> analysis.Batch:
    """Description and name of each innovation, read in turn (texts 2i and 2i + 1), with surfaces (and
    `marks`, analysis.analyze_many)."""
    texts = [t for pair in zip(innovations["description"].tolist(), innovations["name"].tolist(), strict=True)
             for t in pair]
    return analysis.analyze_distinct(analyzer, texts, surfaces=True, marks=marks)


def innovation_matrix(batch: analysis.Batch, n_rows: int, n_terms: int, name_weight: float) -> sparse.csr_matrix:
    """Description + name_weight * name (names are often word plays, so they may weigh less)."""
    desc, name = batch.doc % 2 == 0, batch.doc % 2 == 1
    part = analysis.Batch(batch.doc[desc] // 2, batch.term[desc], batch.tf[desc], *batch.empty_surfaces())
    named = analysis.Batch(batch.doc[name] // 2, batch.term[name], batch.tf[name], *batch.empty_surfaces())
    return _matrix(part, n_rows, n_terms) + name_weight * _matrix(named, n_rows, n_terms)


def innovation_surfaces(analyzer: Analyzer, batch: analysis.Batch, n_terms: int) -> Surfaces:
    """The description's form of a term, else the name's (a text's entries precede the next text's, and
    each text has one entry per term: a stable sort by key puts the description's first)."""
    keys = batch.surface_doc.astype(np.int64) // 2 * n_terms + batch.surface_term
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
    return Surfaces(keys[first], batch.surface_form[order][first], analyzer.forms, n_terms)


def bm25(tf: sparse.csr_matrix, lengths: np.ndarray, *, k1: float, b: float) -> tuple[sparse.csr_matrix, np.ndarray]:
    """BM25 document weights idf * tf*(k1+1)/(tf + k1*(1-b+b*len/avg)) and the idf vector."""
    n = tf.shape[0]
    df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float64)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    avg = lengths.mean() if n and lengths.mean() > 0 else 1.0
    norm = k1 * (1.0 - b + b * lengths / avg)
    row_norm = np.repeat(norm, np.diff(tf.indptr))
    data = idf[tf.indices] * tf.data * (k1 + 1.0) / (tf.data + row_norm)
    out = sparse.csr_matrix((data.astype(np.float32), tf.indices.copy(), tf.indptr.copy()), shape=tf.shape)
    return out, idf.astype(np.float32)


def query_weights(tf: sparse.csr_matrix) -> sparse.csr_matrix:
    """Sub-linear query term weights: log2(1 + tf), so one mention weighs 1."""
    out = tf.copy()
    out.data = (np.log1p(out.data) / np.log(2.0)).astype(np.float32)
    return out


@dataclass
class ProgrammeModel:
    """The programme side of the model: what every innovation is compared with."""

    weights: sparse.csr_matrix  # BM25 weights, n_prog x V
    idf: np.ndarray  # V
    purpose_idf: np.ndarray  # V; 0 for terms no programme uses

    @property
    def n_terms(self) -> int:
        return self.weights.shape[1]


def build_programmes(analyzer: Analyzer, programmes: pd.DataFrame, *, field_weights: dict[str, float],
                     k1: float, b: float) -> ProgrammeModel:
    """BM25 weights of the programmes; V is the vocabulary once they are read (concepts included)."""
    prog_batches, lengths = programme_tf(analyzer, programmes, field_weights)
    n_terms = len(analyzer.vocab)
    tf = programme_matrix(prog_batches, len(programmes), n_terms, field_weights).astype(np.float32)
    tf.sort_indices()
    weights, idf = bm25(tf, lengths, k1=k1, b=b)
    purpose = np.where(np.bincount(tf.indices, minlength=n_terms) > 0, idf, 0.0).astype(np.float32)
    return ProgrammeModel(weights, idf, purpose)


def build_queries(analyzer: Analyzer, progs: ProgrammeModel, innovations: pd.DataFrame,
                  rows: np.ndarray | None = None, *, name_weight: float = 1.0,
                  marks: dict[str, frozenset[str]] | None = None) -> TextModel:
    """Queries and surfaces of the innovations at `rows` (all when None; other rows stay empty), over the
    programmes' V terms: a word no programme uses never scores, so the queries need not hold it, and
    texts analysed in another process (whose new words get other ids) give the same rows. `marks` (name
    -> stems): which innovations' name or description has a token of those stems (False off `rows`)."""
    part = innovations if rows is None else innovations.iloc[rows]
    batch = innovation_tf(analyzer, part, marks)
    if rows is not None:  # texts 2i, 2i + 1 of the part are those of innovation rows[i]
        batch = analysis.Batch(_to_rows(batch.doc, rows), batch.term, batch.tf, _to_rows(batch.surface_doc, rows),
                               batch.surface_term, batch.surface_form, batch.marked)
    known = batch.term < progs.n_terms
    kept = analysis.Batch(batch.doc[known], batch.term[known], batch.tf[known], *_known_surfaces(batch, progs.n_terms))
    queries = innovation_matrix(kept, len(innovations), progs.n_terms, name_weight).astype(np.float32)
    queries.sort_indices()
    return TextModel(progs.weights, query_weights(queries), progs.idf, progs.purpose_idf,
                     innovation_surfaces(analyzer, kept, progs.n_terms), _marked(batch, len(innovations), rows))


def _marked(batch: analysis.Batch, n_rows: int, rows: np.ndarray | None) -> dict[str, np.ndarray] | None:
    """Per mark, bool per innovation: its description or name (texts 2i, 2i + 1) has one."""
    if batch.marked is None:
        return None
    out = {}
    for name, per_text in batch.marked.items():
        flag = per_text.reshape(-1, 2).any(axis=1) if len(per_text) else np.zeros(0, dtype=bool)
        if rows is not None:
            flag, part = np.zeros(n_rows, dtype=bool), flag
            flag[rows] = part
        out[name] = flag
    return out


def _to_rows(doc: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Text numbers of a part (2i, 2i + 1) as those of innovation rows[i]."""
    return 2 * np.asarray(rows, dtype=np.int64)[doc // 2] + doc % 2


def _known_surfaces(batch: analysis.Batch, n_terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    known = batch.surface_term < n_terms
    return batch.surface_doc[known], batch.surface_term[known], batch.surface_form[known]


def unit_rows(queries: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Queries weighted by idf and scaled to unit length: cosine similarity between innovations."""
    q = queries.multiply(idf[np.newaxis, :]).tocsr()
    norms = np.sqrt(np.asarray(q.multiply(q).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ q).astype(np.float32).tocsr()
