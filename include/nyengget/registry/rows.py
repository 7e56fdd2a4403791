"""Row-level helpers shared by both imports: skipping blank/total rows and resolving duplicate keys."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from nyengget.registry import issues
from nyengget.registry.headers import Sheet
from nyengget.registry.quarantine import Rejected
from nyengget.registry.readers import Row

_FOOTER = re.compile(r"^(jumlah|total|sumber|keterangan|catatan|ket\.?)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^[\d.,\s%-]*$")


@dataclass
class Parsed:
    """A valid row: its key, normalised values and their content hash."""

    row: int
    key: str
    values: dict[str, object]
    hash: str
    raw: dict[str, str]


def is_skippable(sheet: Sheet, row: Row) -> bool:
    """Blank rows (no mapped field filled, e.g. only a pre-filled `No`) and total/footnote rows."""
    mapped = [sheet.value(row, f) for f in sheet.columns]
    if not any(mapped):
        return True
    texts = {c for c in row.cells if c and not _NUMBER.match(c)}
    first = next((c for c in row.cells if c and not _NUMBER.match(c)), "")
    return bool(_FOOTER.match(first)) and len(texts) <= 2


def resolve_duplicates(parsed: list[Parsed], field: str) -> tuple[list[Parsed], list[Rejected]]:
    """Exact copies of a key: keep the first. Same key with different content: reject them all."""
    groups: dict[str, list[Parsed]] = defaultdict(list)
    for item in parsed:
        groups[item.key].append(item)
    kept: list[Parsed] = []
    rejected: list[Rejected] = []
    for key, items in groups.items():
        first = items[0]
        if len({i.hash for i in items}) == 1:
            kept.append(first)
            rejected += [
                Rejected(i.row, issues.duplicate_copy(field, key, first.row), i.raw) for i in items[1:]
            ]
        else:
            where = [i.row for i in items]
            rejected += [Rejected(i.row, issues.duplicate_id(field, key, where), i.raw) for i in items]
    return kept, rejected


def count_rows(rejected: list[Rejected]) -> int:
    return len({r.row for r in rejected})
