"""Sparse lexical model: field-weighted BM25 over programmes, log-tf queries for innovations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from nyengget.matching.text import Analyzer, to_csr

PROGRAMME_FIELDS = ("title", "description", "bidang", "subbidang")


@dataclass
class TextModel:
    programmes: sparse.csr_matrix  # BM25 weights, n_prog x V
    queries: sparse.csr_matrix  # query weights, n_inn x V
    idf: np.ndarray  # V
    purpose_idf: np.ndarray  # V; 0 for terms no programme uses (names, places): for innovation similarity
    surfaces: list[dict[int, str]]  # per innovation: term id -> form as written


def programme_tf(analyzer: Analyzer, programmes: pd.DataFrame,
                 field_weights: dict[str, float]) -> tuple[list[dict[int, float]], np.ndarray]:
    """Weighted term frequencies summed over fields, and weighted document lengths."""
    rows: list[dict[int, float]] = [{} for _ in range(len(programmes))]
    lengths = np.zeros(len(programmes), dtype=np.float64)
    for fieldname in PROGRAMME_FIELDS:
        w = field_weights.get(fieldname, 1.0)
        for i, text in enumerate(programmes[fieldname]):
            tf = analyzer.analyze(text).tf
            row = rows[i]
            for t, v in tf.items():
                row[t] = row.get(t, 0.0) + w * v
            lengths[i] += w * sum(tf.values())
    return rows, lengths


def innovation_tf(analyzer: Analyzer, innovations: pd.DataFrame,
                  name_weight: float = 1.0) -> tuple[list[dict[int, float]], list[dict]]:
    """Term frequencies of description + name (names are often word plays, so they may weigh less),
    and the surface forms (description first)."""
    rows, surfaces = [], []
    for desc, name in zip(innovations["description"], innovations["name"], strict=True):
        a = analyzer.analyze(desc, surfaces=True)
        if name:
            n = analyzer.analyze(name, surfaces=True)
            for t, v in n.tf.items():
                a.tf[t] = a.tf.get(t, 0.0) + name_weight * v
            for t, form in n.surface.items():
                a.surface.setdefault(t, form)
        rows.append(a.tf)
        surfaces.append(a.surface)
    return rows, surfaces


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


def build(analyzer: Analyzer, programmes: pd.DataFrame, innovations: pd.DataFrame, *,
          field_weights: dict[str, float], k1: float, b: float, name_weight: float = 1.0) -> TextModel:
    """Analyse both sides with one vocabulary and weight them."""
    prog_rows, lengths = programme_tf(analyzer, programmes, field_weights)
    inn_rows, surfaces = innovation_tf(analyzer, innovations, name_weight)
    n_terms = len(analyzer.vocab)
    tf = to_csr(prog_rows, n_terms)
    weights, idf = bm25(tf, lengths, k1=k1, b=b)
    purpose = np.where(np.bincount(tf.indices, minlength=n_terms) > 0, idf, 0.0).astype(np.float32)
    return TextModel(weights, query_weights(to_csr(inn_rows, n_terms)), idf, purpose, surfaces)


def unit_rows(queries: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Queries weighted by idf and scaled to unit length: cosine similarity between innovations."""
    q = queries.multiply(idf[np.newaxis, :]).tocsr()
    norms = np.sqrt(np.asarray(q.multiply(q).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ q).astype(np.float32).tocsr()
