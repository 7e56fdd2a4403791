"""Resolve OPD names as people write them ("Dinkes", "Dinas Kesehatan <region name>", "Kec. Curug")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, select

from nyengget.warehouse.schema import opds

_WORD = re.compile(r"[0-9a-z]+")
_EXPAND = {"kec": "kecamatan", "kel": "kelurahan", "kab": "kabupaten", "prov": "provinsi", "din": "dinas",
           "dns": "dinas", "bdn": "badan"}


def _words(text: str) -> list[str]:
    return [_EXPAND.get(w, w) for w in _WORD.findall(text.casefold().replace("&", " dan "))]


def opd_key(text: str, region_name: str | None = None) -> str:
    """Case/punctuation-insensitive key; `Kec.` -> kecamatan; the region's own name (default: the default
    region's), trailing or after `Pemerintah`, is dropped: "Dinas Kesehatan Kota Serang" -> dinaskesehatan."""
    if region_name is None:
        from nyengget.regions import default_region

        region_name = default_region().name
    city = _words(region_name)
    words = _words(text)
    n = len(city)
    if n and len(words) > n and words[-n:] == city:
        words = words[:-n]
    if n and words[:1] == ["pemerintah"] and words[1:1 + n] == city:
        words = words[1 + n:]
    return "".join(words)


class Directory:
    """Index of the OPD directory by code, full name and short name; ambiguous keys resolve to nothing."""

    def __init__(self, entries: Iterable[tuple[str, str, str | None]], region_name: str | None = None) -> None:
        if region_name is None:
            from nyengget.regions import default_region

            region_name = default_region().name
        self.region_name = region_name
        self._index: dict[str, set[str]] = defaultdict(set)
        for code, name, short_name in entries:
            for text in (code, name, short_name):
                if text and opd_key(text, region_name):
                    self._index[opd_key(text, region_name)].add(code)

    @classmethod
    def load(cls, conn: Connection, region_code: str, region_name: str) -> Directory:
        """The directory of one region."""
        rows = conn.execute(select(opds.c.opd_code, opds.c.name, opds.c.short_name)
                            .where(opds.c.region_code == region_code)).all()
        return cls(((r.opd_code, r.name, r.short_name) for r in rows), region_name)

    def resolve(self, text: str) -> str | None:
        """The OPD code for a name as written, or None (unknown or ambiguous)."""
        codes = self._index.get(opd_key(text, self.region_name), set())
        return next(iter(codes)) if len(codes) == 1 else None
