"""Reasons people can read (Bahasa Indonesia), one line per match, built only for the top-k pairs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse

from nyengget.fmt import sisa_hari, tanggal
from nyengget.matching.codes import KINDS
from nyengget.matching.text import Analyzer

MAX_WORDS = 4


def matched_terms(contrib: sparse.csr_matrix, limit: int = 8) -> list[np.ndarray]:
    """Per row, the term ids with the largest contributions (descending, ties by term id)."""
    rows = np.repeat(np.arange(contrib.shape[0]), np.diff(contrib.indptr))
    order = np.lexsort((contrib.indices, -contrib.data, rows))
    ids = contrib.indices[order]
    return [ids[s:e][:limit] for s, e in zip(contrib.indptr[:-1], contrib.indptr[1:], strict=True)]


def words_phrase(term_ids: np.ndarray, surface: dict[int, str], analyzer: Analyzer) -> str:
    """`jamban, tangki septik→SPALD-S`: words as the innovation wrote them, concepts with their label."""
    shown: list[str] = []
    seen: set[str] = set()
    for tid in (int(t) for t in term_ids):
        form, label = surface.get(tid), analyzer.concept_label(tid)
        if label is None and form is None:
            continue
        if label is None or form is None or form.lower() == label.lower():
            item = form if label is None else label
        else:
            item = f"{form}→{label}"
        key = (form or label).lower()
        if key in seen:
            continue
        shown.append(item)
        seen |= {key, *key.split()}
        if len(shown) == MAX_WORDS:
            break
    return ", ".join(shown)


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


def join_reason(parts: list[str]) -> str:
    """One line: non-empty parts separated by `; `."""
    return "; ".join(p for p in parts if p)
