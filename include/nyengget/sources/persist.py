"""Warehouse writes for one source run: programmes + versions, quarantine, regulations, allocations.

Everything is keyed by the run's `week_start` (never by now()), so re-ingesting a week changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from nyengget import fmt
from nyengget.sources.changes import change_note, changed_fields
from nyengget.sources.records import FIELDS, Reject, content_hash, to_json
from nyengget.warehouse.schema import (
    news,
    programme_versions,
    programmes,
    quarantine,
    regulations,
    tkdd_allocations,
)


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    disappeared: int = 0


def _now() -> datetime:
    return datetime.now(UTC)


def upsert_programmes(conn: Connection, source: str, week: date, records: list[dict[str, Any]]) -> Counts:
    """Insert new programmes, version changed ones, refresh last_seen of unchanged ones."""
    counts = Counts()
    existing = {r.programme_id: r._mapping for r in conn.execute(select(programmes).where(
        programmes.c.programme_id.in_([r["programme_id"] for r in records])))} if records else {}
    for rec in records:
        row = existing.get(rec["programme_id"])
        if row is None:
            _insert_new(conn, source, week, rec)
            counts.new += 1
        elif row["first_seen"] == week:  # a rerun of the week it first appeared
            _apply_change(conn, week, rec, dict(row))
            counts.new += 1
        elif _apply_change(conn, week, rec, dict(row)):
            counts.changed += 1
    return counts


def extension_note(note: str, rec: dict[str, Any], fields: list[str]) -> str:
    """Say so when the source itself extended the deadline ("semula 2 Mei, diperpanjang sampai 6 Mei")."""
    old = rec.get("extended_from")
    if not old or "closes_on" not in fields:
        return note
    if "batas usulan diundur" in note:
        return note.replace("batas usulan diundur", "batas usulan diperpanjang")
    return f"{note}; batas usulan diperpanjang (semula {fmt.tanggal(date.fromisoformat(str(old)[:10]))})"


def _values(rec: dict[str, Any]) -> dict[str, Any]:
    return {f: rec.get(f) for f in FIELDS}


def _insert_new(conn: Connection, source: str, week: date, rec: dict[str, Any]) -> None:
    conn.execute(insert(programmes).values(
        programme_id=rec["programme_id"], source=source, content_hash=rec["content_hash"],
        raw_sha256=rec.get("raw_sha256"), first_seen=week, last_seen=week, status="active",
        updated_at=_now(), evidence=rec.get("evidence"), **_values(rec)))
    conn.execute(insert(programme_versions).values(
        programme_id=rec["programme_id"], version=1, week_start=week, content_hash=rec["content_hash"],
        changed_fields=None, change_note=extension_note("program baru", rec, ["closes_on"]), data=to_json(_values(rec)),
        raw_sha256=rec.get("raw_sha256"), observed_at=_now()))


def _previous_version(conn: Connection, pid: str, week: date) -> dict[str, Any] | None:
    row = conn.execute(select(programme_versions).where(and_(
        programme_versions.c.programme_id == pid, programme_versions.c.week_start < week))
        .order_by(programme_versions.c.version.desc()).limit(1)).first()
    return dict(row._mapping) if row else None


def _apply_change(conn: Connection, week: date, rec: dict[str, Any], row: dict[str, Any]) -> bool:
    """Update one existing programme; True when this week holds a new version of it."""
    pid = rec["programme_id"]
    if week < row["last_seen"]:
        return False  # an older week replayed after a newer one: history already has it
    base = {"last_seen": week, "status": "active", "source_url": rec.get("source_url"),
            "raw_sha256": rec.get("raw_sha256"), "evidence": rec.get("evidence")}
    this_week = conn.execute(select(programme_versions).where(and_(
        programme_versions.c.programme_id == pid, programme_versions.c.week_start == week))).first()
    if rec["content_hash"] == row["content_hash"]:
        conn.execute(update(programmes).where(programmes.c.programme_id == pid).values(**base))
        return this_week is not None and this_week.version > 1
    previous = _previous_version(conn, pid, week)
    old = json.loads(previous["data"]) if previous else {f: row[f] for f in FIELDS}
    fields = changed_fields(old, rec)
    version = {"content_hash": rec["content_hash"], "changed_fields": ",".join(fields) or None,
               "change_note": extension_note(change_note(old, rec, fields) if previous else "program baru", rec,
                                             fields if previous else ["closes_on"]),
               "data": to_json(_values(rec)), "raw_sha256": rec.get("raw_sha256"), "observed_at": _now()}
    if this_week is not None:  # the same week re-ingested with different content: replace its version
        conn.execute(update(programme_versions).where(programme_versions.c.id == this_week.id).values(**version))
    else:
        number = conn.execute(select(func.max(programme_versions.c.version)).where(
            programme_versions.c.programme_id == pid)).scalar_one() or 0
        conn.execute(insert(programme_versions).values(programme_id=pid, version=number + 1, week_start=week,
                                                       **version))
    conn.execute(update(programmes).where(programmes.c.programme_id == pid).values(
        {**base, **_values(rec), "content_hash": rec["content_hash"], "updated_at": _now()}))
    return previous is not None


def mark_disappeared(conn: Connection, source: str, week: date, seen: set[str], prev_week: date | None) -> int:
    """Active programmes of `source` not seen this week become 'disappeared'; returns how many
    disappeared this week (also on a rerun: those last seen in the source's previous good week)."""
    rows = conn.execute(select(programmes.c.programme_id).where(and_(
        programmes.c.source == source, programmes.c.status == "active", programmes.c.last_seen < week))).all()
    gone = [r.programme_id for r in rows if r.programme_id not in seen]
    if gone:
        conn.execute(update(programmes).where(programmes.c.programme_id.in_(gone)).values(
            status="disappeared", updated_at=_now()))
    if prev_week is None:
        return len(gone)
    return conn.execute(select(func.count()).select_from(programmes).where(and_(
        programmes.c.source == source, programmes.c.status == "disappeared",
        programmes.c.last_seen == prev_week))).scalar_one()


def write_quarantine(conn: Connection, source: str, week: date, rejects: list[Reject]) -> None:
    """Replace this source's quarantined programme rows for the week."""
    conn.execute(delete(quarantine).where(and_(
        quarantine.c.kind == "programme", quarantine.c.source == source, quarantine.c.week_start == week)))
    for r in rejects:
        conn.execute(insert(quarantine).values(
            kind="programme", source=source, row_number=r.row_number, field=r.field, reason_id=r.reason_id,
            reason_en=r.reason_en, raw=json.dumps(r.raw, ensure_ascii=False, default=str)[:20000],
            raw_sha256=r.raw_sha256, week_start=week, created_at=_now()))


def upsert_regulations(conn: Connection, source: str, week: date, rows: list[dict[str, Any]]) -> int:
    """Regulations programmes cite (legal_basis); keyed by jenis-nomor-tahun. Returns how many are new."""
    new = 0
    for reg in rows:
        values = {k: reg.get(k) for k in ("source_url", "jenis", "nomor", "tahun", "judul", "tanggal_penetapan",
                                           "status", "subjek", "pdf_url", "raw_sha256")}
        digest = content_hash_of(values)
        row = conn.execute(select(regulations).where(regulations.c.regulation_id == reg["regulation_id"])).first()
        if row is None:
            conn.execute(insert(regulations).values(regulation_id=reg["regulation_id"], source=source,
                                                    content_hash=digest, first_seen=week, last_seen=week,
                                                    updated_at=_now(), **values))
            new += 1
        elif week >= row.last_seen:
            changes = {"content_hash": digest, "updated_at": _now(), **values} if digest != row.content_hash else {}
            conn.execute(update(regulations).where(regulations.c.regulation_id == reg["regulation_id"]).values(
                last_seen=week, **changes))
    return new


_NEWS_FIELDS = ("source_url", "title", "description", "funding_type", "ministry", "fiscal_year", "recipient_levels",
                "published_on", "opens_on", "closes_on", "raw_sha256")


def upsert_news(conn: Connection, source: str, week: date, rows: list[dict[str, Any]]) -> int:
    """Non-call announcements, keyed like programmes (source + page path); returns how many are new."""
    new = 0
    for item in rows:
        values = {k: item.get(k) for k in _NEWS_FIELDS}
        for name in ("published_on", "opens_on", "closes_on"):
            value = values[name]
            values[name] = date.fromisoformat(value) if isinstance(value, str) and value else value or None
        row = conn.execute(select(news.c.news_id, news.c.last_seen).where(news.c.news_id == item["news_id"])).first()
        if row is None:
            conn.execute(insert(news).values(news_id=item["news_id"], source=source, first_seen=week, last_seen=week,
                                             **values))
            new += 1
        elif week >= row.last_seen:
            conn.execute(update(news).where(news.c.news_id == item["news_id"]).values(last_seen=week, **values))
    return new


def content_hash_of(values: dict[str, Any]) -> str:
    return content_hash({**{f: None for f in FIELDS}, "title": json.dumps(values, default=str, sort_keys=True)})


def _default_region_code() -> str:
    from nyengget.regions import default_region

    return default_region().code


def upsert_allocations(conn: Connection, source: str, week: date, rows: list[dict[str, Any]]) -> int:
    """Each region's TKDD allocation per account and fiscal year (latest observation wins)."""
    new = 0
    for alloc in rows:
        region_code = alloc.get("region_code") or _default_region_code()
        key = and_(tkdd_allocations.c.region_code == region_code, tkdd_allocations.c.pemda == alloc["pemda"],
                   tkdd_allocations.c.fiscal_year == alloc["fiscal_year"],
                   tkdd_allocations.c.kodeakun == alloc["kodeakun"])
        row = conn.execute(select(tkdd_allocations.c.id, tkdd_allocations.c.week_start).where(key)).first()
        values = {k: alloc.get(k) for k in ("account", "parent", "anggaran", "realisasi", "raw_sha256", "djpk_code",
                                            "source_url")}
        if row is None:
            conn.execute(insert(tkdd_allocations).values(source=source, week_start=week, pemda=alloc["pemda"],
                                                         region_code=region_code,
                                                         fiscal_year=alloc["fiscal_year"],
                                                         kodeakun=alloc["kodeakun"], **values))
            new += 1
        elif week >= row.week_start:
            conn.execute(update(tkdd_allocations).where(tkdd_allocations.c.id == row.id).values(
                week_start=week, **values))
    return new


def prepare(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add content hashes; the last record wins when a natural key repeats."""
    by_id: dict[str, dict[str, Any]] = {}
    for rec in records:
        rec["content_hash"] = content_hash(rec)
        by_id[rec["programme_id"]] = rec
    return list(by_id.values())
