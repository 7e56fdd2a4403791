"""Bad rows go to the `quarantine` table; a re-import replaces that file's previous rows."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from nyengget.registry.issues import Issue
from nyengget.warehouse.schema import quarantine
from nyengget.weeks import week_start


@dataclass(frozen=True)
class Rejected:
    """One problem of one row: the row number a person sees, the issue, and the row's cells."""

    row: int
    issue: Issue
    raw: dict[str, str]

    def line(self, source: str) -> str:
        """`innovations.csv:12 tahapan: unknown tahapan 'Selesai'; allowed: ...`."""
        return f"{source}:{self.row} {self.issue.field or 'row'}: {self.issue.reason_en}"


def raw_json(raw: dict[str, str]) -> str:
    return json.dumps(raw, ensure_ascii=False, sort_keys=True)


def _record(kind: str, source: str, item: Rejected, now: datetime) -> dict:
    raw = raw_json(item.raw)
    return {
        "kind": kind,
        "source": source,
        "row_number": item.row,
        "field": item.issue.field,
        "reason_id": item.issue.reason_id,
        "reason_en": item.issue.reason_en,
        "raw": raw,
        "raw_sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        "week_start": week_start(now),
        "created_at": now,
    }


_KEY = ("row_number", "field", "reason_id", "reason_en", "raw_sha256")


def replace_quarantine(
    conn: Connection, kind: str, source: str, rejected: list[Rejected], now: datetime
) -> None:
    """Make `source`'s quarantine rows exactly `rejected`; leave them untouched when nothing changed."""
    new = [_record(kind, source, item, now) for item in rejected]
    where = (quarantine.c.kind == kind) & (quarantine.c.source == source)
    old = conn.execute(select(*(quarantine.c[k] for k in _KEY)).where(where)).all()
    if Counter(tuple(r) for r in old) == Counter(tuple(rec[k] for k in _KEY) for rec in new):
        return
    conn.execute(delete(quarantine).where(where))
    if new:
        conn.execute(insert(quarantine), new)
