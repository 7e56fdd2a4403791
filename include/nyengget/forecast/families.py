"""Which rounds belong together: the family of a programme title, and the year a round belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

_FILE = Path(__file__).with_name("recurring.yaml")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NOISE = re.compile(r"\b(?:t\s*a|tahun anggaran|tahun|periode|ta)\b")
_PUNCT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Recurring:
    shared_window: frozenset[str]
    names: tuple[tuple[str, str], ...]  # (normalised name, family key), longest names first
    labels: dict[str, str]


@lru_cache(maxsize=1)
def recurring() -> Recurring:
    doc = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    names = [(normalise(n), p["key"]) for p in doc["programmes"] for n in p["names"]]
    return Recurring(frozenset(doc.get("shared_window") or ()),
                     tuple(sorted(names, key=lambda x: -len(x[0]))),
                     {p["key"]: p["label"] for p in doc["programmes"]})


def normalise(title: str) -> str:
    """Lower case, no years, no "TA/tahun (anggaran)/periode", words separated by one space."""
    text = _YEAR.sub(" ", (title or "").lower().replace("t.a.", " "))
    text = _PUNCT.sub(" ", text)
    return " ".join(_NOISE.sub(" ", text).split())


def family(title: str, funding_type: str | None) -> str:
    """The family key: the funding type for shared-window types, a known recurring programme, or the
    title without its year (prefixed by the funding type so equal titles of two types stay apart)."""
    rec = recurring()
    if funding_type in rec.shared_window:
        return f"jenis:{funding_type}"
    text = f" {normalise(title)} "
    for name, key in rec.names:
        if f" {name} " in text:
            return key
    return f"{funding_type or '-'}:{text.strip()}"


def round_year(title: str, fiscal_year: int | None) -> int | None:
    """The round's year: its fiscal year, else the last year named in its title."""
    if fiscal_year:
        return int(fiscal_year)
    years = _YEAR.findall(title or "")
    return int(years[-1]) if years else None
