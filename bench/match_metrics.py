"""Ranking metrics and the plain BM25 baseline shared by the matcher benchmarks."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd

K = 10


def qrels_dict(qrels: pd.DataFrame) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for inn, prog, grade in qrels[["innovation_id", "programme_id", "relevance"]].itertuples(index=False):
        out.setdefault(str(inn), {})[str(prog)] = int(grade)
    return out


def evaluate(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int = K) -> dict[str, float]:
    """Mean nDCG@k (gain 2^rel - 1), Recall@k and MRR over the innovations that have labels."""
    ndcg, recall, mrr = [], [], []
    for inn, labels in qrels.items():
        ids = ranked.get(inn, [])[:k]
        gains = [labels.get(p, 0) for p in ids]
        dcg = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(gains))
        ideal = sorted(labels.values(), reverse=True)[:k]
        idcg = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
        ndcg.append(dcg / idcg if idcg else 0.0)
        recall.append(sum(1 for p in ids if p in labels) / len(labels))
        mrr.append(next((1.0 / (r + 1) for r, p in enumerate(ids) if p in labels), 0.0))
    return {"ndcg@10": float(np.mean(ndcg)), "recall@10": float(np.mean(recall)), "mrr": float(np.mean(mrr))}


def ranked_lists(frame: pd.DataFrame) -> dict[str, list[str]]:
    """innovation_id -> programme ids in rank order, from a matcher output frame."""
    frame = frame.sort_values(["innovation_id", "rank"])
    return {str(k): list(g["programme_id"]) for k, g in frame.groupby("innovation_id", sort=False)}


def bm25_baseline(programmes: pd.DataFrame, innovations: pd.DataFrame, k: int = K,
                  k1: float = 1.2, b: float = 0.75) -> dict[str, list[str]]:
    """Plain BM25: lower-case word tokens over title+description+bidang+subbidang, the innovation's
    name+description as a set of query words; no stemming, dictionary or filters."""
    def tok(s: str) -> list[str]:
        return re.findall(r"\w+", s.lower())

    docs = [Counter(tok(" ".join(r))) for r in
            programmes[["title", "description", "bidang", "subbidang"]].astype(str).itertuples(index=False)]
    lengths = np.array([sum(d.values()) for d in docs], dtype=float)
    avg = lengths.mean()
    n = len(docs)
    df = Counter(t for d in docs for t in d)
    ids = programmes["programme_id"].astype(str).to_numpy()
    out = {}
    for inn, name, desc in innovations[["innovation_id", "name", "description"]].astype(str).itertuples(index=False):
        terms = set(tok(f"{name} {desc}"))
        scores = np.zeros(n)
        for t in terms:
            if t not in df:
                continue
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            tf = np.array([d.get(t, 0) for d in docs], dtype=float)
            scores += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths / avg))
        out[inn] = list(ids[np.argsort(-scores, kind="stable")[:k]])
    return out
