"""Resolve OPD names as people write them ("Dinkes", "Dinas Kesehatan Kota Serang", "Kec. Curug")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, select

from nyengget.warehouse.schema import opds

_WORD = re.compile(r"[0-9a-z]+")
_EXPAND = {"kec": "kecamatan", "kel": "kelurahan", "din": "dinas", "dns": "dinas", "bdn": "badan"}
_CITY = ["kota", "serang"]


def opd_key(text: str) -> str:
    """Case/punctuation-insensitive key; `Kec.` -> kecamatan, a trailing `Kota Serang` is dropped."""
    words = [_EXPAND.get(w, w) for w in _WORD.findall(text.casefold().replace("&", " dan "))]
    if len(words) > 2 and words[-2:] == _CITY:
        words = words[:-2]
    if words[:1] == ["pemerintah"] and words[1:3] == _CITY:
        words = words[3:]
    return "".join(words)


class Directory:
    """Index of the OPD directory by code, full name and short name; ambiguous keys resolve to nothing."""

    def __init__(self, entries: Iterable[tuple[str, str, str | None]]) -> None:
        self._index: dict[str, set[str]] = defaultdict(set)
        for code, name, short_name in entries:
            for text in (code, name, short_name):
                if text and opd_key(text):
                    self._index[opd_key(text)].add(code)

    @classmethod
    def load(cls, conn: Connection) -> Directory:
        rows = conn.execute(select(opds.c.opd_code, opds.c.name, opds.c.short_name)).all()
        return cls((r.opd_code, r.name, r.short_name) for r in rows)

    def resolve(self, text: str) -> str | None:
        """The OPD code for a name as written, or None (unknown or ambiguous)."""
        codes = self._index.get(opd_key(text), set())
        return next(iter(codes)) if len(codes) == 1 else None
