"""Attribute rules (rules.yaml) for programmes that reward innovations as such (index, competition, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from nyengget.matching.codes import norm

RULES_PATH = Path(__file__).with_name("rules.yaml")


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

    def matches_programme(self, subbidang: str, title: str) -> bool:
        sub, tit = f" {norm(subbidang)} ", f" {norm(title)} "
        return any(f" {p} " in sub for p in self.subbidang) or any(f" {p} " in tit for p in self.title)

    def passes(self, innovations: pd.DataFrame) -> np.ndarray:
        """Innovations meeting every requirement: `=value` is an exact match, other values are phrases
        found inside the attribute (both compared lower case without punctuation)."""
        ok = np.ones(len(innovations), dtype=bool)
        for attr, values in self.require.items():
            col = " " + innovations[attr].map(norm) + " "
            hits = [(col == f" {norm(v[1:])} ") if v.startswith("=") else col.str.contains(f" {norm(v)} ", regex=False)
                    for v in values]
            ok &= np.logical_or.reduce([h.to_numpy(dtype=bool) for h in hits])
        return ok


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
    )


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> tuple[Rule, ...]:
    with open(path, encoding="utf-8") as fh:
        return tuple(_rule(r) for r in yaml.safe_load(fh)["rules"])


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
    for r, rule in enumerate(rules):
        ok = rule.passes(innovations)
        scores[ok, r] = rule.score
        if rule.boost_urusan:
            wanted = set(rule.boost_urusan)
            boost = ok & np.array([bool(wanted & set(us)) for us in urusan], dtype=bool)
            scores[boost, r] = rule.boost_score
            boosted[boost, r] = True
    return scores, boosted
