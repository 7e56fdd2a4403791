"""Urusan pemerintahan (and OPD) -> bidang, subbidang and ministry links (codes.yaml): the code signal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from nyengget.matching.yamlfile import read_yaml

CODES_PATH = Path(__file__).with_name("codes.yaml")
KINDS = ("", "bidang", "subbidang", "kementerian")  # index stored in the kind matrix
# Words that do not change what a bidang/urusan name means, and spellings of the same word.
_FILLER = frozenset({"dan", "bidang", "sub", "subbidang", "urusan", "daerah", "pemerintahan", "kab", "kabupaten",
                     "kota", "serta", "the", "of"})
_SAME = {"ukm": "umkm", "kumkm": "umkm", "umk": "umkm", "olah": "olahraga", "raga": "", "kb": "keluarga berencana",
         "perlindungan": "pelindungan", "ketentraman": "ketenteraman", "ikm": "industri kecil menengah",
         "pu": "pekerjaan umum", "lh": "lingkungan hidup", "infrastruktur": ""}
FUZZY_WEIGHT = 0.8  # a typo link (`_typo`) counts this share of the table's weight
TYPO_MIN_LENGTH = 5  # shorter names (acronyms) are never typos of each other


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
    permendagri90: dict[str, str] = field(default_factory=dict)  # code -> urusan name
    unsur: tuple[str, ...] = ()
    unmapped: dict[str, str] = field(default_factory=dict)  # urusan -> why it has no funding link
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
        """(urusan names, weights [n_urusan x n_prog], kind index [n_urusan x n_prog]) for these programmes.
        Each distinct field value is compared once per urusan (catalogues repeat a few bidang names)."""
        names = list(self.urusan)
        weights = np.zeros((len(names), len(programmes)), dtype=np.float32)
        kinds = np.zeros(weights.shape, dtype=np.int8)
        for k, col in enumerate(("bidang", "subbidang", "ministry"), start=1):
            codes, uniques = pd.factorize(programmes[col].map(norm), sort=False)
            keys = [_Key.of(v) for v in uniques]
            for r, name in enumerate(names):
                table = self._tables(name)[k - 1]
                w = np.array([_best(table, key) for key in keys], dtype=np.float32)[codes] if keys else \
                    np.zeros(len(programmes), dtype=np.float32)
                better = w > weights[r]
                weights[r, better] = w[better]
                kinds[r, better] = k
        return names, weights, kinds

    def _tables(self, name: str) -> tuple[tuple[tuple[_Key, float], ...], ...]:
        """Meaning keys of one urusan's bidang (with its own name), subbidang and ministry tables, cached."""
        key = ("tables", name)
        if key not in self._cache:
            u = self.urusan[name]
            self._cache[key] = tuple(tuple((_Key.of(n), w) for n, w in t.items())
                                     for t in (_with_self(u.bidang, name), u.subbidang, u.ministries))
        return self._cache[key]


@dataclass(frozen=True)
class _Key:
    text: str
    words: frozenset[str]

    @staticmethod
    def of(value: str) -> _Key:
        text = meaning_key(value)
        return _Key(text, frozenset(text.split()))


def _best(table: tuple[tuple[_Key, float], ...], target: _Key) -> float:
    """Equal meaning keys, else every word of a two-word-or-longer table name inside the value
    (`Tata Kelola Keuangan` ~ `Tata Kelola Keuangan Daerah`), else a typo of it (x FUZZY_WEIGHT). A value
    the table names itself takes that weight (`Kesehatan dan KB: 0.5` next to `Keluarga Berencana: 1.0`)."""
    best = 0.0
    if not target.words:
        return best
    exact = [weight for key, weight in table if key.text == target.text]
    if exact:
        return max(exact)
    for key, weight in table:
        if weight <= best or not key.words:
            continue
        if key.text == target.text or (len(key.words) >= 2 and key.words <= target.words):
            best = weight
        elif FUZZY_WEIGHT * weight > best and _typo(key.text, target.text):
            best = FUZZY_WEIGHT * weight
    return best


def _typo(a: str, b: str) -> bool:
    """`b` is `a` with two neighbouring letters swapped or one letter dropped or doubled (`Hiudp`, `Kesehatn`).
    A changed letter is not a typo: Kemenkes (health) and Kemenkeu (finance), Kemendag and Kemendagri, or
    Transportasi Perdesaan and Perairan are other bodies and lines that are spelt alike."""
    if a == b or min(len(a), len(b)) < TYPO_MIN_LENGTH:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = sorted((a, b), key=len)
    if len(long_) - len(short) != 1:
        return False
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def meaning_key(text: str) -> str:
    """`Koperasi dan UKM` and `Koperasi, Usaha Mikro (UMKM)` -> comparable keys: normalised words without
    fillers, known spellings unified, sorted."""
    words: list[str] = []
    for w in norm(text).split():
        w = _SAME.get(w, w)
        words += [x for x in w.split() if x and x not in _FILLER]
    return " ".join(sorted(set(words)))


def lookup(table: dict[str, float], value: str) -> float:
    """Weight of one field value in a {name: weight} link table, compared by meaning (see `_best`)."""
    return _best(tuple((_Key.of(n), w) for n, w in table.items()), _Key.of(value)) if value else 0.0


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
    listed = {str(k): str(v) for k, v in (data.get("permendagri90") or {}).items()}
    unsur = tuple(str(u) for u in data.get("unsur") or ())
    unmapped = {str(k): str(v) for k, v in (data.get("unmapped") or {}).items()}
    unknown = sorted({*listed.values(), *unsur, *unmapped} - set(urusan))
    if unknown:
        raise ValueError(f"codes.yaml permendagri90/unsur/unmapped: unknown urusan {unknown}")
    return Codes(urusan, aliases, tuple(patterns), float(data.get("opd_weight", 0.6)), listed, unsur, unmapped)


@lru_cache(maxsize=4)
def load_codes(path: Path = CODES_PATH) -> Codes:
    return parse_codes(read_yaml(path))
