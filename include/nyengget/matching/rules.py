"""Attribute rules (rules.yaml) for programmes that reward innovations as such (index, competition, ...).

A rule gives *evidence* per innovation (NONE, ATTRIBUTES, BOOSTED, MENTIONED); structural.py turns that
evidence into a score placed inside the innovation's own topical score distribution.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from nyengget.matching.codes import norm
from nyengget.matching.yamlfile import read_yaml

RULES_PATH = Path(__file__).with_name("rules.yaml")
NONE, ATTRIBUTES, BOOSTED, MENTIONED = 0, 1, 2, 3  # evidence levels, weakest first


@dataclass(frozen=True)
class Rule:
    id: str
    subbidang: tuple[str, ...]
    title: tuple[str, ...]
    require: dict[str, tuple[str, ...]]
    score: float
    reason: str
    boost_urusan: tuple[str, ...] = ()
    boost_score: float = 0.0
    boost_reason: str = ""
    mentions: tuple[str, ...] = ()  # normalised phrases (lower case), matched as whole words
    mention_acronyms: tuple[str, ...] = ()  # written in capitals in rules.yaml: matched case-sensitively
    mention_reason: str = ""
    mention_regex: re.Pattern | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mention_regex", self.mention_pattern)

    def matches_programme(self, subbidang: str, title: str) -> bool:
        sub, tit = f" {norm(subbidang)} ", f" {norm(title)} "
        return any(f" {p} " in sub for p in self.subbidang) or any(f" {p} " in tit for p in self.title)

    def passes(self, innovations: pd.DataFrame, normed: dict[str, pd.Series] | None = None) -> np.ndarray:
        """Innovations meeting every requirement: `=value` is an exact match, other values are phrases
        found inside the attribute (both compared lower case without punctuation). `normed` caches
        `" " + norm(attribute) + " "` per attribute across rules."""
        ok = np.ones(len(innovations), dtype=bool)
        normed = {} if normed is None else normed
        for attr, values in self.require.items():
            if attr not in normed:  # each distinct value normalised once
                codes, distinct = pd.factorize(innovations[attr], sort=False)
                padded = np.array([f" {norm(v)} " for v in distinct] + [""], dtype=object)[:-1]
                normed[attr] = pd.Series(padded[codes], index=innovations.index, dtype=object)
            col = normed[attr]
            hits = [(col == f" {norm(v[1:])} ") if v.startswith("=") else col.str.contains(f" {norm(v)} ", regex=False)
                    for v in values]
            ok &= np.logical_or.reduce([h.to_numpy(dtype=bool) for h in hits])
        return ok

    @property
    def mention_pattern(self) -> re.Pattern | None:
        """One regex for all mentions: acronyms case-sensitive, phrases case-insensitive with any
        punctuation between their words ("Smart-City"), whole words only."""
        parts = [re.escape(a) for a in self.mention_acronyms]
        parts += ["(?i:" + r"[^0-9a-z]+".join(re.escape(w) for w in p.split()) + ")" for p in self.mentions]
        return re.compile(rf"(?<![0-9A-Za-z])(?:{'|'.join(parts)})(?![0-9A-Za-z])") if parts else None

    def may_mention(self, text: str, low: str) -> bool:
        """Cheap pre-filter (a superset of `mentioned`): an acronym as a substring of the text, or every word
        of a phrase as a substring of the lower-cased text."""
        return any(a in text for a in self.mention_acronyms) or any(
            all(w in low for w in p.split()) for p in self.mentions)

    def mentioned(self, text: str) -> str | None:
        """The first mention of this programme (award won, finalist, ...) in an innovation's text, as written."""
        hit = self.mention_regex.search(text) if self.mention_regex else None
        return hit.group(0) if hit else None


def _rule(raw: dict) -> Rule:
    prog = raw.get("programme") or {}
    boost = raw.get("boost") or {}
    return Rule(
        id=str(raw["id"]),
        subbidang=tuple(norm(s) for s in prog.get("subbidang") or ()),
        title=tuple(norm(s) for s in prog.get("title") or ()),
        require={k: tuple(str(v).lower() for v in vs) for k, vs in (raw.get("require") or {}).items()},
        score=float(raw["score"]),
        reason=str(raw["reason"]),
        boost_urusan=tuple(boost.get("urusan") or ()),
        boost_score=float(boost.get("score", 0.0)),
        boost_reason=str(boost.get("reason", "")),
        mentions=tuple(norm(str(m)) for m in raw.get("mentions") or () if not _is_acronym(str(m))),
        mention_acronyms=tuple(str(m) for m in raw.get("mentions") or () if _is_acronym(str(m))),
        mention_reason=str(raw.get("mention_reason", "")),
    )


def _is_acronym(term: str) -> bool:
    return term.isupper() and " " not in term


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> tuple[Rule, ...]:
    return tuple(_rule(r) for r in read_yaml(path)["rules"])


def programme_rules(rules: tuple[Rule, ...], programmes: pd.DataFrame) -> np.ndarray:
    """Index of the first rule matching each programme, -1 for none."""
    out = np.full(len(programmes), -1, dtype=np.int16)
    for p, (sub, title) in enumerate(zip(programmes["subbidang"], programmes["title"], strict=True)):
        for r, rule in enumerate(rules):
            if rule.matches_programme(sub, title):
                out[p] = r
                break
    return out


def innovation_scores(rules: tuple[Rule, ...], innovations: pd.DataFrame,
                      urusan: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(score [n_inn x n_rules], boosted [n_inn x n_rules]) from each rule's requirements."""
    scores = np.zeros((len(innovations), len(rules)), dtype=np.float32)
    boosted = np.zeros(scores.shape, dtype=bool)
    normed: dict[str, pd.Series] = {}
    for r, rule in enumerate(rules):
        ok = rule.passes(innovations, normed)
        scores[ok, r] = rule.score
        if rule.boost_urusan:
            wanted = set(rule.boost_urusan)
            boost = ok & np.array([bool(wanted & set(us)) for us in urusan], dtype=bool)
            scores[boost, r] = rule.boost_score
            boosted[boost, r] = True
    return scores, boosted


def innovation_evidence(rules: tuple[Rule, ...], innovations: pd.DataFrame, urusan: list[tuple[str, ...]],
                        *, mentions: bool = True, scored: tuple[np.ndarray, np.ndarray] | None = None,
                        ) -> tuple[np.ndarray, list[dict[int, str]]]:
    """(evidence level [n_inn x n_rules] int8, per innovation {rule index: mention as written}).

    A mention in the name or description ("Top 45 KIPP", "finalis IGA") is the strongest evidence and
    counts even when the attributes do not meet the rule (a finalist has evidently been implemented).
    `scored`: innovation_scores() already computed by the caller."""
    scores, boosted = scored if scored is not None else innovation_scores(rules, innovations, urusan)
    level = np.where(boosted, BOOSTED, np.where(scores > 0, ATTRIBUTES, NONE)).astype(np.int8)
    found: list[dict[int, str]] = [{} for _ in range(len(innovations))]
    patterns = [r.mention_regex for r in rules] if mentions else []
    if any(patterns):
        texts = (innovations["name"] + " " + innovations["description"]).tolist()
        joined, lower = _Joined(texts), _Joined([t.lower() for t in texts])
        for r, (rule, pattern) in enumerate(zip(rules, patterns, strict=True)):
            for i in np.flatnonzero(_may_mention(rule, joined, lower)) if pattern else ():
                hit = pattern.search(texts[i])
                if hit:
                    level[i, r] = MENTIONED
                    found[i][r] = hit.group(0)
    return level, found


class _Joined:
    """Texts joined by NUL: which texts contain a substring, one `find` per text that does (cached)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.text = "\x00".join(texts)
        self.starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        self.n = len(texts)
        self._found: dict[str, np.ndarray] = {}

    def containing(self, sub: str) -> np.ndarray:
        found = self._found.get(sub)
        if found is None:
            found = self._found[sub] = np.zeros(self.n, dtype=bool)
            text, starts = self.text, self.starts
            pos = text.find(sub)
            while pos >= 0:
                d = bisect.bisect_right(starts, pos) - 1
                found[d] = True
                if d + 1 >= self.n:
                    break
                pos = text.find(sub, starts[d + 1])
        return found

    def containing_all(self, words: list[str]) -> np.ndarray:
        """Texts containing every word: the longest (likely the rarest) scanned for, the others tested in
        those texts only."""
        words = sorted(words, key=len, reverse=True)
        found = self.containing(words[0]).copy()
        for w in words[1:]:
            at = np.flatnonzero(found)
            found[at] = np.fromiter((w in self.texts[i] for i in at.tolist()), dtype=bool, count=len(at))
        return found


def _may_mention(rule: Rule, texts: _Joined, lower: _Joined) -> np.ndarray:
    """Rule.may_mention for all texts at once."""
    out = np.zeros(texts.n, dtype=bool)
    for a in rule.mention_acronyms:
        out |= texts.containing(a)
    for phrase in rule.mentions:
        out |= lower.containing_all(phrase.split())
    return out
