"""Stemming many new words on more than one core: the word list is cut in parts, the first part is stemmed
here and the others in forked processes (which inherit the analyzer, so nothing large is pickled); the parts
come back in order. Below MIN_WORDS, or where fork is not available, everything is stemmed here."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nyengget.matching.text import Analyzer

MIN_WORDS = 8_000  # below this a fork costs more than it saves
_forked: Analyzer | None = None  # the analyzer a forked worker stems with


def _stem_part(words: list[str]) -> list[str]:
    return [_forked._stem_uncached(w) for w in words]


def stem_all(analyzer: Analyzer, words: list[str], workers: int) -> list[str]:
    """analyzer._stem_uncached of each word, in order."""
    global _forked
    parts = max(1, min(workers, len(words) // (MIN_WORDS // 2)))
    if parts == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [analyzer._stem_uncached(w) for w in words]
    size = -(-len(words) // parts)
    chunks = [words[k:k + size] for k in range(0, len(words), size)]
    _forked = analyzer
    try:
        with ProcessPoolExecutor(max_workers=len(chunks) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            later = [pool.submit(_stem_part, c) for c in chunks[1:]]
            out = _stem_part(chunks[0])
            for future in later:
                out.extend(future.result())
    finally:
        _forked = None
    return out
