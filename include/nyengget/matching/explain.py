"""Reasons people can read (Bahasa Indonesia), one line per match, built only for the top-k pairs."""

from __future__ import annotations

import threading
from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse

from nyengget.fmt import sisa_hari, tanggal
from nyengget.matching.codes import KINDS

MAX_WORDS = 4
_COMBO_BASE = 1 << 31  # a (term, form) combination is term * _COMBO_BASE + form + 1 (forms may still grow)


def matched_terms(contrib: sparse.csr_matrix, limit: int = 8) -> np.ndarray:
    """[rows x limit] term ids with the largest contributions per row (descending, ties by term id), -1 padded."""
    counts = np.diff(contrib.indptr)
    rows = np.repeat(np.arange(contrib.shape[0], dtype=np.uint64), counts)
    contrib.sort_indices()
    if contrib.data.dtype == np.float32 and (contrib.data >= 0).all():  # bits of positive floats sort like them
        bits = np.ascontiguousarray(contrib.data).view(np.uint32).astype(np.uint64)
        order = np.argsort((rows << np.uint64(32)) | (np.uint64(0xFFFFFFFF) - bits), kind="stable")
    else:
        order = np.lexsort((contrib.indices, -contrib.data, rows))
    within = np.arange(len(order)) - np.repeat(contrib.indptr[:-1], counts)
    out = np.full((contrib.shape[0], limit), -1, dtype=np.int64)
    keep = within < limit
    out[rows[keep], within[keep]] = contrib.indices[order][keep]
    return out


class Items:
    """What a (term, form) combination shows in a reason (`tangki septik→SPALD-S`) and the words it covers,
    worked out once per combination (the same few thousand recur in every chunk); the chunk threads share it.

    `table`: the forms people see; `labels`: term id -> concept label (None for words)."""

    def __init__(self, table: list[str], labels: list[str | None]) -> None:
        self.table, self.labels = table, labels
        self._lock = threading.Lock()
        self._word_ids: dict[str, int] = {}
        self._keys = np.zeros(0, dtype=np.int64)  # combinations known, ascending ...
        self._at = np.zeros(0, dtype=np.int64)  # ... and their rows in _shown / _seen_ids
        self._shown = np.zeros(0, dtype=object)  # per item what it shows
        self._seen_ids = np.full((0, 1), -1, dtype=np.int64)  # word ids it adds to `seen`, its key first; -1 pad

    def combos(self, terms: np.ndarray, forms: np.ndarray) -> np.ndarray:
        """Combination per (term, form), -1 where there is no term."""
        return np.where(terms >= 0, terms * _COMBO_BASE + forms + 1, -1)

    def of(self, combos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(items as an object array, seen ids [len x width] -1 padded) for distinct combinations; each
        combination is worked out the first time it is asked for."""
        with self._lock:
            pos = self._positions(combos)
            if (pos < 0).any():
                self._learn(combos[pos < 0])
                pos = self._positions(combos)
            return self._shown[pos], self._seen_ids[pos]

    def _positions(self, combos: np.ndarray) -> np.ndarray:
        """Row of each combination in _shown / _seen_ids, -1 for one not worked out yet."""
        if len(self._keys) == 0:
            return np.full(len(combos), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._keys, combos), len(self._keys) - 1)
        return np.where(self._keys[at] == combos, self._at[at], -1)

    def _learn(self, combos: np.ndarray) -> None:
        """Add the rows of new combinations (and keep the keys sorted)."""
        made = [self._item(c) for c in combos.tolist()]
        width = max(self._seen_ids.shape[1], *(len(ids) for _, ids in made))
        seen = np.full((len(self._shown) + len(made), width), -1, dtype=np.int64)
        seen[:len(self._shown), :self._seen_ids.shape[1]] = self._seen_ids
        for r, (_, ids) in enumerate(made, start=len(self._shown)):
            seen[r, :len(ids)] = ids
        shown = np.empty(len(made), dtype=object)
        shown[:] = [text for text, _ in made]
        at = np.arange(len(self._shown), len(self._shown) + len(made))
        self._shown, self._seen_ids = np.concatenate([self._shown, shown]), seen
        keys = np.concatenate([self._keys, combos.astype(np.int64)])
        order = np.argsort(keys, kind="stable")
        self._keys, self._at = keys[order], np.concatenate([self._at, at])[order]

    def _item(self, combo: int) -> tuple[str, list[int]]:
        """(what the combination shows, the word ids it adds to `seen`, its key first; [-1]: shows nothing)."""
        tid, fid = divmod(combo, _COMBO_BASE) if combo >= 0 else (-1, 0)
        form = self.table[fid - 1] if fid > 0 else None
        label = self.labels[tid] if tid >= 0 else None
        if label is None and form is None:
            return "", [-1]
        if label is None or form is None or form.lower() == label.lower():
            text = form if label is None else label
        else:
            text = f"{form}→{label}"
        k = (form or label).lower()
        ids = self._word_ids
        return text, [ids.setdefault(w, len(ids)) for w in (k, *k.split())]


def words_phrases(terms: np.ndarray, forms: np.ndarray, items: Items) -> np.ndarray:
    """Per row `jamban, tangki septik→SPALD-S` (object array): up to MAX_WORDS of the row's terms (`terms`,
    -1 padded, best first), words as the innovation wrote them (`forms`: index into `items.table`, -1
    none), concepts with their label; a word already shown (alone or inside a shown phrase) is skipped."""
    n, width = terms.shape
    uniq, inverse = np.unique(items.combos(terms, forms), return_inverse=True)
    shown, seen_ids = items.of(uniq)
    slot = inverse.reshape(n, width)
    key = seen_ids[slot, 0]  # -1: nothing to show
    count = np.zeros(n, dtype=np.int64)
    seen = np.full((n, MAX_WORDS * seen_ids.shape[1]), -1, dtype=np.int64)  # the shown items' word ids
    out = np.full(n, "", dtype=object)
    following = np.array([", " + t for t in shown.tolist()], dtype=object)
    for j in range(width):
        k = key[:, j]
        show = (k >= 0) & (count < MAX_WORDS)
        if not show.any():
            break
        show &= ~(seen == k[:, None]).any(axis=1)
        at = np.flatnonzero(show)
        place = count[at, None] * seen_ids.shape[1] + np.arange(seen_ids.shape[1])
        seen[at[:, None], place] = seen_ids[slot[at, j]]
        first, later = np.flatnonzero(show & (count == 0)), np.flatnonzero(show & (count > 0))
        out[first] = shown[slot[first, j]]
        out[later] = out[later] + following[slot[later, j]]
        count += show
    return out


def code_phrase(urusan: str, kind: int, programme: dict, via_opd: str | None) -> str:
    """`urusan Kesehatan ↔ bidang Sanitasi` (or the subbidang / ministry that made the link)."""
    target = {1: f"bidang {programme['bidang']}", 2: f"subbidang {programme['subbidang']}",
              3: str(programme["ministry"])}[kind]
    source = f"OPD {via_opd} (urusan {urusan})" if via_opd else f"urusan {urusan}"
    return f"{source} ↔ {target}" if KINDS[kind] else source


def eligibility_phrase(programme: dict, *, level: str, as_of: date) -> str:
    """`terbuka untuk kota; TA 2027; ditutup 22 Agu 2026, 14 hari lagi` for one programme."""
    levels = programme["recipient_levels"].split(";")
    level_text = f"terbuka untuk {level}" if level in levels else f"tidak terbuka untuk {level}"
    fy = programme["fiscal_year"]
    year_text = f"TA {int(fy)}" if pd.notna(fy) else "TA -"
    closes = programme["closes_on"]
    opens = programme["opens_on"]
    window = sisa_hari(None if pd.isna(closes) else closes.date(), as_of)
    if pd.notna(opens) and opens.date() > as_of:
        window = f"dibuka {tanggal(opens.date())}; {window}"
    return f"{level_text}; {year_text}; {window}"


def join_reasons(parts: list[np.ndarray]) -> np.ndarray:
    """Per row one line: the non-empty parts (object arrays of str) separated by `; `."""
    out = parts[0].copy()
    for part in parts[1:]:
        has = np.flatnonzero(part != "")
        if len(has) == 0:
            continue
        empty = out[has] == ""
        out[has[empty]] = part[has[empty]]
        both = has[~empty]
        out[both] = out[both] + ("; " + part[both])
    return out
