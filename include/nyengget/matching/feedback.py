"""Planners' feedback: dismissed pairs are removed; pursued programmes lift similar innovations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

SAME_URUSAN_SIMILARITY = 0.5


@dataclass
class Feedback:
    removed: set[tuple[int, int]]  # (innovation row, programme column)
    sources: np.ndarray  # innovation rows that pursued something
    pursued: dict[int, list[int]]  # programme column -> positions in `sources`

    @property
    def empty(self) -> bool:
        return not self.removed and not self.pursued


def prepare(fb: pd.DataFrame, inn_index: dict[str, int], prog_index: dict[str, int]) -> Feedback:
    """Map feedback ids to rows/columns; rows naming unknown innovations or programmes are ignored."""
    removed: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    removing, lifting = _statuses() if len(fb) else (frozenset(), frozenset())
    for inn, prog, status in zip(fb["innovation_id"], fb["programme_id"], fb["status"], strict=True):
        i, p = inn_index.get(inn), prog_index.get(prog)
        if i is None or p is None:
            continue
        if status in removing:
            removed.add((i, p))
        elif status in lifting:
            pairs.add((i, p))
    sources = np.array(sorted({i for i, _ in pairs}), dtype=np.int64)
    pos = {int(s): k for k, s in enumerate(sources)}
    pursued: dict[int, list[int]] = {}
    for i, p in sorted(pairs):
        pursued.setdefault(p, []).append(pos[i])
    return Feedback(removed, sources, pursued)


def _statuses() -> tuple[frozenset[str], frozenset[str]]:
    """(statuses that remove a pair, statuses that lift similar innovations); decisions (and the warehouse
    it reads) is imported only when there is feedback, so `match` without feedback never loads it."""
    from nyengget.decisions import DISMISSED, PURSUED

    return frozenset({DISMISSED}), frozenset({"relevan", "didanai"}) | PURSUED


def similarity(chunk_q: sparse.csr_matrix, source_q: sparse.csr_matrix, chunk_urusan: list[frozenset],
               source_urusan: list[frozenset]) -> np.ndarray:
    """Cosine text similarity, raised to SAME_URUSAN_SIMILARITY for innovations sharing an urusan."""
    sim = np.asarray((chunk_q @ source_q.T).todense(), dtype=np.float32)
    for k, us in enumerate(source_urusan):
        if us:
            same = np.fromiter((bool(us & c) for c in chunk_urusan), dtype=bool, count=len(chunk_urusan))
            sim[same, k] = np.maximum(sim[same, k], SAME_URUSAN_SIMILARITY)
    return sim


def lift(sim: np.ndarray, fb: Feedback, chunk_rows: np.ndarray, n_prog: int, *, weight: float,
         min_similarity: float) -> tuple[np.ndarray, np.ndarray]:
    """(lift [chunk x n_prog], source position of the strongest lift or -1) for pursued programmes."""
    out = np.zeros((len(chunk_rows), n_prog), dtype=np.float32)
    who = np.full(out.shape, -1, dtype=np.int32)
    is_source = chunk_rows[:, None] == fb.sources[None, :]
    sim = np.where(is_source, 1.0, sim)
    for p, srcs in fb.pursued.items():
        s = sim[:, srcs]
        best = s.argmax(axis=1)
        val = s[np.arange(len(s)), best]
        ok = val >= min_similarity
        out[ok, p] = weight * val[ok]
        who[ok, p] = np.asarray(srcs)[best[ok]]
    return out, who
