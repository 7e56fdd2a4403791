"""Urusan pemerintahan (and OPD) -> bidang, subbidang and ministry links (codes.yaml): the code signal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

CODES_PATH = Path(__file__).with_name("codes.yaml")
KINDS = ("", "bidang", "subbidang", "kementerian")  # index stored in the kind matrix


def norm(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: `Koperasi, Usaha Kecil` -> `koperasi usaha kecil`."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


@dataclass(frozen=True)
class Urusan:
    name: str
    bidang: dict[str, float]
    subbidang: dict[str, float]
    ministries: dict[str, float]
    funding_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codes:
    urusan: dict[str, Urusan]
    aliases: dict[str, str]
    opd_patterns: tuple[tuple[str, tuple[str, ...]], ...]
    opd_weight: float
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def resolve_urusan(self, text: str) -> tuple[str, ...]:
        """Canonical urusan names in a `;`-separated field; unknown names are skipped."""
        found = (self._resolve_one(part) for part in text.split(";") if part.strip())
        return tuple(dict.fromkeys(u for u in found if u))

    def _resolve_one(self, part: str) -> str | None:
        key = norm(part)
        if key not in self._cache:
            self._cache[key] = self.aliases.get(key) or _closest(key, self.aliases)
        return self._cache[key]

    def opd_urusan(self, opd: str) -> tuple[str, ...]:
        """Urusan implied by an OPD name (whole-word patterns)."""
        padded = f" {norm(opd)} "
        hits = (u for pattern, us in self.opd_patterns if f" {pattern} " in padded for u in us)
        return tuple(dict.fromkeys(hits))

    def programme_links(self, programmes: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(urusan names, weights [n_urusan x n_prog], kind index [n_urusan x n_prog]) for these programmes."""
        names = list(self.urusan)
        cols = [programmes[c].map(norm).to_numpy() for c in ("bidang", "subbidang", "ministry")]
        weights = np.zeros((len(names), len(programmes)), dtype=np.float32)
        kinds = np.zeros(weights.shape, dtype=np.int8)
        for r, name in enumerate(names):
            u = self.urusan[name]
            tables = (_with_self(u.bidang, name), u.subbidang, u.ministries)
            for k, (values, table) in enumerate(zip(cols, tables, strict=True), start=1):
                w = np.array([table.get(v, 0.0) for v in values], dtype=np.float32)
                better = w > weights[r]
                weights[r, better] = w[better]
                kinds[r, better] = k
        return names, weights, kinds


def _with_self(bidang: dict[str, float], name: str) -> dict[str, float]:
    return {norm(name): 1.0, **bidang} if norm(name) not in bidang else bidang


def _closest(key: str, aliases: dict[str, str]) -> str | None:
    """Best alias by word overlap (Jaccard >= 0.5), for spelling variants like `Kepemudaan dan Olah Raga`."""
    words = set(key.split()) - {"dan", "urusan"}
    best, score = None, 0.5
    for alias, name in sorted(aliases.items()):
        other = set(alias.split()) - {"dan", "urusan"}
        if words and other:
            j = len(words & other) / len(words | other)
            if j > score or (j == score and best is None):
                best, score = name, j
    return best


def _norm_table(raw: dict | None) -> dict[str, float]:
    return {norm(str(k)): float(v) for k, v in (raw or {}).items()}


def parse_codes(data: dict) -> Codes:
    urusan: dict[str, Urusan] = {}
    aliases: dict[str, str] = {}
    for name, raw in data["urusan"].items():
        raw = raw or {}
        urusan[name] = Urusan(
            name, _norm_table(raw.get("bidang")), _norm_table(raw.get("subbidang")),
            _norm_table(raw.get("ministries")), tuple(raw.get("funding_lines") or ()),
        )
        for alias in [name, *(raw.get("aliases") or ())]:
            aliases.setdefault(norm(str(alias)), name)
    patterns = []
    for row in data.get("opd") or ():
        unknown = [u for u in row["urusan"] if u not in urusan]
        if unknown:
            raise ValueError(f"codes.yaml opd {row['match']}: unknown urusan {unknown}")
        patterns += [(norm(m), tuple(row["urusan"])) for m in row["match"]]
    return Codes(urusan, aliases, tuple(patterns), float(data.get("opd_weight", 0.6)))


@lru_cache(maxsize=4)
def load_codes(path: Path = CODES_PATH) -> Codes:
    with open(path, encoding="utf-8") as fh:
        return parse_codes(yaml.safe_load(fh))
