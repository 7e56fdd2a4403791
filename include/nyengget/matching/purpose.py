"""Purpose signals (purpose.yaml): physical menus weigh less for an innovation that builds nothing, and an
assessed programme whose theme is the innovation's stated aim is lifted.

Both read what the texts mean to a planner rather than how many words they share:

- physical work: a programme is physical when its funding type always is (DAK Fisik) or, for the types
  read from text (bantuan, hibah), when its title or the first sentence of its description names
  physical work; an innovation builds when its name or description names physical work. For an
  innovation that builds nothing, the text scores of physical programmes are multiplied by 1 - damp.
- stated aim: the theme of an assessed programme (Insentif Fiskal) is the set of dictionary concepts its
  `subbidang` names itself (not the related ones); the innovation's stated aim is its name plus the
  sentences of its description with an aim marker ("tujuannya ..."). When the aim names a theme
  concept, the score becomes 1 - (1 - score) * (1 - lift).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from nyengget.matching import analysis
from nyengget.matching.arrays import nonzero_2d
from nyengget.matching.dictionary import CONCEPT_PREFIX
from nyengget.matching.text import Analyzer
from nyengget.matching.yamlfile import read_yaml

PURPOSE_PATH = Path(__file__).with_name("purpose.yaml")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Purpose:
    physical_types: frozenset[str]
    text_types: frozenset[str]  # funding types whose physical kind is read from the text
    work: tuple[str, ...]  # words naming physical work, as written
    damp: float
    aim_types: frozenset[str]
    markers: tuple[str, ...]
    lift: float


@lru_cache(maxsize=2)
def load_purpose(path: Path = PURPOSE_PATH) -> Purpose:
    data = read_yaml(path)
    phys, aim = data["physical"], data["stated_aim"]
    damp, lift = float(phys["damp"]), float(aim["lift"])
    if not (0.0 <= damp < 1.0 and 0.0 <= lift < 1.0):
        raise ValueError(f"{path.name}: damp and lift must be in [0, 1), got {damp} and {lift}")
    return Purpose(frozenset(phys["funding_types"]), frozenset(phys.get("read_text") or ()),
                   tuple(str(w).lower() for w in phys["work"]), damp, frozenset(aim["funding_types"]),
                   tuple(str(m).lower() for m in aim["markers"]), lift)


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def physical_programmes(an: Analyzer, programmes: pd.DataFrame, purpose: Purpose) -> np.ndarray:
    """bool per programme: it pays for physical work."""
    types = programmes["funding_type"].to_numpy()
    out = np.isin(types, list(purpose.physical_types))
    work = marks(an, purpose, physical=True, aim=False)["work"]
    for j in np.flatnonzero(np.isin(types, list(purpose.text_types))):
        text = f"{programmes['title'].iat[j]} {first_sentence(programmes['description'].iat[j])}"
        out[j] = bool(work.intersection(an.normalise(text)))
    return out


def marks(an: Analyzer, purpose: Purpose, *, physical: bool, aim: bool) -> dict[str, frozenset[str]]:
    """Stems the innovation reading flags (model.build_queries `marks`): "work" (physical work) and "aim" (aim
    markers), stopword forms included ("membangun" is a stopword)."""
    out = {}
    if physical:
        out["work"] = frozenset(an.stem(w) for w in purpose.work)
    if aim:
        out["aim"] = frozenset(an.stem(m) for m in purpose.markers)
    return out


class WordFinder:
    """Whether a text has one of `words` as a whole token (alphanumeric run), case-insensitively: a
    substring test finds the candidates (fast), a regex confirms them. Built once, used per text."""

    def __init__(self, words: set[str]) -> None:
        lower = sorted({w.lower() for w in words if w}, key=lambda w: (len(w), w))
        self.probes: list[str] = []
        for w in lower:  # shortest first: a word containing a probe needs no probe of its own
            if not any(p in w for p in self.probes):
                self.probes.append(w)
        self.pattern = re.compile(r"(?<![0-9A-Za-z])(?:" + "|".join(re.escape(w) for w in sorted(
            lower, key=len, reverse=True)) + r")(?![0-9A-Za-z])", re.IGNORECASE) if lower else None

    def __call__(self, texts: list[str]) -> np.ndarray:
        """bool per text."""
        out = np.zeros(len(texts), dtype=bool)
        if self.pattern is None:
            return out
        for i, text in enumerate(texts):
            low = text.lower()
            if any(p in low for p in self.probes):
                out[i] = self.pattern.search(text) is not None
        return out


def aim_texts(innovations: pd.DataFrame, markers: tuple[str, ...],
              candidates: np.ndarray | None = None) -> list[str]:
    """Name plus the description's sentences that carry an aim marker (a whole word as written, any case:
    "targetnya", not "target"), per innovation; `candidates`: the innovations whose texts have a marker's
    stem (model.build_queries marks), else all."""
    out = innovations["name"].tolist()
    if not markers:
        return out
    desc = innovations["description"].tolist()
    has_marker = WordFinder(set(markers))
    rows = np.flatnonzero(candidates) if candidates is not None else np.arange(len(desc))
    for i in rows.tolist():
        sentences = _SENTENCE_END.split(desc[i])
        keep = has_marker(sentences)
        if keep.any():
            out[i] = " ".join([out[i], *(s for s, k in zip(sentences, keep.tolist(), strict=True) if k)])
    return out


def _concepts(own: Analyzer, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text, concept term id) of the concepts each text names (own: an analyzer without related ones)."""
    batch = analysis.analyze_distinct(own, texts)
    concept = np.array([t.startswith(CONCEPT_PREFIX) for t in own.vocab.terms], dtype=bool)
    keep = concept[batch.term] if len(batch.term) else np.zeros(0, dtype=bool)
    return batch.doc[keep], batch.term[keep]


@dataclass(frozen=True)
class StatedAim:
    cols: np.ndarray  # programme columns with a theme
    hit: np.ndarray  # [n_inn x len(cols)] bool: the innovation's stated aim names the theme


def stated_aim(an: Analyzer, programmes: pd.DataFrame, innovations: pd.DataFrame, purpose: Purpose,
               skip: np.ndarray, candidates: np.ndarray | None = None, *,
               rows: np.ndarray | None = None) -> StatedAim:
    """Which innovations state the theme of which assessed programme as their aim; `skip`: programme
    columns left out (structural programmes, placed by their own evidence); `candidates`: aim_texts;
    `rows`: only these innovations are read (the others state no aim)."""
    assessed = np.isin(programmes["funding_type"].to_numpy(), list(purpose.aim_types)) & ~skip
    cols = np.flatnonzero(assessed)
    if len(cols) == 0 or len(innovations) == 0 or not an.dictionary.concepts:
        return StatedAim(cols[:0], np.zeros((len(innovations), 0), dtype=bool))
    own = an.without_related()
    theme_doc, theme_term = _concepts(own, [programmes["subbidang"].iat[j] for j in cols])
    names, theme_at = np.unique(theme_term, return_inverse=True)  # the theme concepts, as columns
    if not len(names):
        return StatedAim(cols[:0], np.zeros((len(innovations), 0), dtype=bool))
    theme = np.zeros((len(cols), len(names)), dtype=bool)
    theme[theme_doc, theme_at.ravel()] = True
    rows = np.arange(len(innovations)) if rows is None else np.asarray(rows, dtype=np.int64)
    part = innovations.iloc[rows]
    aim_doc, aim_term = _concepts(own, aim_texts(part, purpose.markers, None if candidates is None else candidates[rows]))
    column = np.searchsorted(names, aim_term)
    named = (column < len(names)) & (names[np.minimum(column, len(names) - 1)] == aim_term)
    aim = np.zeros((len(rows), len(names)), dtype=np.float32)
    aim[aim_doc[named], column[named]] = 1.0
    keep = theme.any(axis=1)
    hit = np.zeros((len(innovations), int(keep.sum())), dtype=bool)
    hit[rows] = (aim @ theme[keep].T.astype(np.float32)) > 0  # counts of 0/1 products: exact in float32
    return StatedAim(cols[keep], hit)


def adjust(score: np.ndarray, rows: slice, physical: np.ndarray | None, builds_: np.ndarray | None,
           aim: StatedAim | None, purpose: Purpose) -> None:
    """Apply both signals in place to the chunk `score` (innovations `rows`, all programme columns)."""
    if physical is not None and builds_ is not None and physical.any():
        idle = ~builds_[rows]
        if idle.any():  # one pass, in place: x * 1 is x, the physical columns of idle rows get x * (1 - damp)
            factor = np.where(physical, np.float32(1.0 - purpose.damp), np.float32(1.0)).astype(score.dtype)
            np.multiply(score, factor[np.newaxis, :], out=score, where=idle[:, np.newaxis])
    if aim is not None and len(aim.cols):
        hit = aim.hit[rows]
        r, c = nonzero_2d(hit)
        if len(r):
            cols = aim.cols[c]
            score[r, cols] = 1.0 - (1.0 - score[r, cols]) * np.float32(1.0 - purpose.lift)
