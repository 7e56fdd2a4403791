"""Structural programmes (index, award, competition, smart city) placed inside each innovation's own
topical ranking, from the evidence rules.py finds, instead of a flat score.

Scores come from the innovation's topical score distribution: with s(r) the r-th best topical score,
an item "placed after rank r" gets the midpoint of s(r) and s(r+1), so it lands at position r+1 whatever
the scale of the text scores (catalogue texts score higher than real ones). Weak evidence (attributes
only) lands after the best few topical items (or higher when the topical scores fall off steeply: no
lower than a share of the best topical score, never above it), at most `len(WEAK_AFTER)` such items per innovation and
`max_per_opd` distinct structural rules per OPD in the top list; the rest sink below the k-th topical
item, k the length of the list an OPD sees (`LIST_LENGTH`, or `top_k` when shorter), so a longer
ranking (the CLI's top 10) orders them right below that list (not listed when the innovation has
fewer than k topical candidates). Strong evidence (boost, a mention) lands right after the best topical item. A structural
programme whose own text already ranks it higher keeps that (the text supports it). When even the best
topical score is thin (below `THIN_TEXT`: the innovation's topic has no funding line of its own), the
structural items lead instead: strong evidence and the first weak item above the best topical item, the
second right after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nyengget.matching import LIST_LENGTH
from nyengget.matching.arrays import nonzero_2d
from nyengget.matching.rules import ATTRIBUTES, BOOSTED

WEAK_AFTER = (3, 5)  # the first weak structural item no lower than after topical rank 3, the second rank 5
WEAK_RATIO = (0.6, 0.5)  # ... and no lower than 60% / 50% of the best topical score (a steep fall-off)
STRONG_AFTER = 1
WEAK_FLOOR = 0.05  # when the innovation has no topical candidate at all
STRONG_FLOOR = 0.3
# a best topical score below this is a thin text match (under half the text floor: the innovation's topic has no
# funding line of its own, as for adminduk, complaint or data-portal innovations): its structural items lead
THIN_TEXT = 0.5
THIN_AFTER = (0, 1)  # ... weak evidence first and right after the best topical item; strong evidence first
LEAD = 0.01  # how far above the best topical item a leading structural item is placed
MIN_GAP = 1e-3  # items outside the list move up under it only when the gap there is at least this (10 quanta)


@dataclass(frozen=True)
class Placement:
    weak_after: tuple[int, ...] = WEAK_AFTER
    weak_ratio: tuple[float, ...] = WEAK_RATIO
    strong_after: int = STRONG_AFTER
    weak_floor: float = WEAK_FLOOR
    strong_floor: float = STRONG_FLOOR
    list_length: int = LIST_LENGTH  # capped items sink below topical rank min(top_k, list_length)
    thin_text: float = THIN_TEXT
    thin_after: tuple[int, ...] = THIN_AFTER
    cap: bool = True
    below_list: bool = True  # placed items outside the list come right below it (right_below_the_list)


def opd_allowed(level: np.ndarray, opds: list[str], max_per_opd: int) -> np.ndarray:
    """[n_inn x n_rules] bool: weak evidence may enter the top list only for the `max_per_opd` rules
    most innovations of the same OPD meet (ties: rules.yaml order). Strong evidence is always allowed."""
    allowed = level > ATTRIBUTES
    groups: dict[str, list[int]] = {}
    for i, opd in enumerate(opds):
        groups.setdefault(opd, []).append(i)
    for rows in groups.values():
        counts = (level[rows] >= ATTRIBUTES).sum(axis=0)
        order = sorted((r for r in range(level.shape[1]) if counts[r] > 0), key=lambda r: (-counts[r], r))
        keep = np.zeros(level.shape[1], dtype=bool)
        keep[order[:max_per_opd]] = True
        allowed[np.ix_(rows, np.flatnonzero(keep))] |= level[np.ix_(rows, np.flatnonzero(keep))] >= ATTRIBUTES
    return allowed


def order_statistics(topical: np.ndarray, depth: int, *, overwrite: bool = False) -> np.ndarray:
    """[n x depth+1] best topical scores per row, descending (zero-padded); with `overwrite` the input is
    partitioned in place instead of copied (it is large)."""
    n, m = topical.shape
    out = np.zeros((n, depth + 1), dtype=np.float32)
    take = min(depth + 1, m)
    if take == 0:
        return out
    if take < m:
        work = topical if overwrite else topical.copy()
        work.partition(m - take, axis=1)
        best = work[:, m - take:]
    else:
        best = topical
    out[:, :take] = np.maximum(-np.sort(-best, axis=1)[:, :take], 0.0)
    return out


def depth(top_k: int, placement: Placement = Placement()) -> int:
    """How many best topical scores (plus one) `place` reads: order_statistics(topical, depth(...))."""
    return max(*placement.weak_after, placement.strong_after, top_k) + 1


def place(topical: np.ndarray | None, own: np.ndarray, level: np.ndarray, allowed: np.ndarray, *, top_k: int,
          placement: Placement = Placement(), overwrite: bool = False, stats: np.ndarray | None = None) -> np.ndarray:
    """Scores [n x j] for j structural columns (in priority order) of n innovations.

    topical: [n x m] scores of the non-structural columns; own: [n x j] the structural programmes' own
    text/code scores; level: [n x j] evidence (rules.NONE..MENTIONED); allowed: [n x j] may enter the list.
    Structural columns may stay in `topical` if they hold 0. With `overwrite`, `topical` is scratch space.
    `stats`: order_statistics(topical, depth(top_k, placement)) when the caller has them (topical unused)."""
    sink_after = min(top_k, placement.list_length)
    if stats is None:
        stats = order_statistics(topical, depth(top_k, placement), overwrite=overwrite)
    n_pos = np.maximum((stats > 0).sum(axis=1), 1)
    rows_all = np.arange(len(stats))
    empty = stats[:, 0] <= 0

    def after_rank(r: int) -> np.ndarray:  # midpoint of s(r) and s(r+1), r 1-based, capped at the last candidate
        if r == 0:  # before the best topical item
            return np.minimum(1.0, stats[:, 0] + LEAD)
        rr = np.minimum(r, n_pos)
        return 0.5 * (stats[rows_all, rr - 1] + stats[rows_all, rr])

    def below_weak(r: int) -> np.ndarray:  # after rank r, below a weak item placed there (between it and s(r+1))
        rr = np.minimum(r, n_pos)
        return 0.5 * (after_rank(r) + stats[rows_all, rr])

    out = np.zeros(level.shape, dtype=np.float32)
    strong = level >= BOOSTED
    thin = ~empty & (stats[:, 0] < placement.thin_text)
    lead = np.minimum(1.0, stats[:, 0] + 2 * LEAD)  # strong evidence of a thin row: above its weak items
    first = np.where(thin, lead, after_rank(placement.strong_after))
    out[strong] = np.where(empty, placement.strong_floor, first)[nonzero_2d(strong)[0]]
    weak = level == ATTRIBUTES
    listed = weak & (allowed if placement.cap else True)
    slot = np.cumsum(listed, axis=1) - 1  # 0 = the innovation's first weak structural item
    # capped items go below the k-th topical item; with fewer than k topical candidates that place would
    # still be inside the list, so they are not listed at all (the cap means "at most a couple")
    sink = np.where(empty, placement.weak_floor * 0.5, below_weak(sink_after))
    below = np.where(empty | (n_pos >= sink_after), sink, 0.0)
    for q, r in enumerate(placement.weak_after):
        here = listed & ((slot == q) if (placement.cap or q < len(placement.weak_after) - 1) else (slot >= q))
        rows = nonzero_2d(here)[0]
        ratio = placement.weak_ratio[q] * stats[:, 0]
        anchor = np.minimum(np.maximum(after_rank(r), ratio), after_rank(placement.strong_after))
        anchor = np.where(thin, after_rank(placement.thin_after[min(q, len(placement.thin_after) - 1)]), anchor)
        out[here] = np.where(empty, placement.weak_floor, anchor)[rows]
    rest = weak & ~(out > 0)
    out[rest] = below[nonzero_2d(rest)[0]]
    supported = (level >= ATTRIBUTES) & ~rest & (own > out)
    out[supported] = own[supported]
    # a capped item whose own text beats the k-th topical item is listed; in the top few only if its text
    # beats the place of the last weak slot (it is supported), otherwise no higher than after that slot
    last = np.where(empty, placement.weak_floor, anchor)[:, None]
    ceiling = np.broadcast_to(after_rank(placement.weak_after[-1])[:, None], out.shape)
    lifted = rest & (own > sink[:, None])
    out[lifted] = np.where(own > last, own, np.minimum(own, ceiling))[lifted]
    return right_below_the_list(out, stats, sink_after) if placement.below_list else out


def right_below_the_list(out: np.ndarray, stats: np.ndarray, k: int) -> np.ndarray:
    """Placed structural items (`out` > 0) that stay outside the k-item list (the cap, a second weak item)
    come right after it, in their order, above the topical items below it: the cap keeps them out of the
    list an OPD sees, not below weaker topical matches in a longer ranking. `stats`: the best topical
    scores, descending. Rows where the gap below the k-th item is thinner than MIN_GAP keep `out`."""
    both = np.concatenate([stats[:, :k], out], axis=1)
    if k <= 0 or both.shape[1] < k:
        return out
    kth = np.partition(both, both.shape[1] - k, axis=1)[:, both.shape[1] - k]  # the k-th best item of the row
    outside = (out > 0) & (out < kth[:, None])
    below = np.where(stats < kth[:, None], stats, 0.0).max(axis=1)  # the best topical score under the list
    outside &= (kth - below >= MIN_GAP)[:, None]
    rows, cols = nonzero_2d(outside)
    if len(rows) == 0:
        return out
    rows, cols = _by_row_score_desc(rows, cols, out[rows, cols])
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    counts = np.diff(np.r_[starts, len(rows)])
    j = np.arange(len(rows)) - np.repeat(starts, counts)
    m = np.repeat(counts, counts)
    out = out.copy()
    out[rows, cols] = below[rows] + (kth[rows] - below[rows]) * (m - j) / (m + 1)
    return out


def _by_row_score_desc(rows: np.ndarray, cols: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) ordered by row, then score descending, ties in their given (column) order. Positive
    float32 scores sort like their bits: one stable argsort of a 64-bit key instead of a lexsort."""
    if score.dtype != np.float32:
        order = np.lexsort((np.arange(len(rows)), -score, rows))
    else:
        bits = np.ascontiguousarray(score).view(np.uint32).astype(np.uint64)
        order = np.argsort((rows.astype(np.uint64) << np.uint64(32)) | (np.uint64(0xFFFFFFFF) - bits), kind="stable")
    return rows[order], cols[order]
