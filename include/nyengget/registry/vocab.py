"""Controlled vocabularies (tahapan, jenis, bentuk, urusan) and lenient value matching."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

VOCAB_FILE = Path(__file__).with_name("vocab.yaml")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def value_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive key: `Non-Digital` and `non digital` -> `nondigital`."""
    return _NON_ALNUM.sub("", text.casefold().replace("&", "dan"))


class Vocabulary:
    """One controlled list: canonical values, each with aliases."""

    def __init__(self, name: str, entries: dict[str, list[str] | None]) -> None:
        self.name = name
        self.values = tuple(entries)
        self._lookup: dict[str, str] = {}
        for canonical, aliases in entries.items():
            for text in (canonical, *(aliases or ())):
                self._lookup[value_key(text)] = canonical

    def canonical(self, text: str) -> str | None:
        """The canonical value for `text`, or None when it is not in the list."""
        return self._lookup.get(value_key(text))


@lru_cache(maxsize=1)
def _load() -> dict[str, Vocabulary]:
    data = yaml.safe_load(VOCAB_FILE.read_text(encoding="utf-8"))
    return {name: Vocabulary(name, entries) for name, entries in data.items()}


def vocab(name: str) -> Vocabulary:
    """The vocabulary `name` (tahapan, jenis, bentuk or urusan)."""
    return _load()[name]
