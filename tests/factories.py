"""Small builders that put rows straight into a warehouse, for tests of the later stages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from nyengget.warehouse.schema import innovations, matches, opds, programme_versions, programmes

W47, W48 = date(2026, 11, 16), date(2026, 11, 23)


def add_opd(engine: Engine, code: str, name: str, short: str, emails: str, paused: bool = False, **kw) -> None:
    """`region_code=` for another region than the default one."""
    with engine.begin() as conn:
        conn.execute(opds.insert().values(opd_code=code, name=name, short_name=short, emails=emails, paused=paused,
                                          **kw))


def add_innovation(engine: Engine, iid: str, name: str, opd_code: str | None, opd: str = "", **kw) -> None:
    values = {
        "innovation_id": iid, "name": name, "opd": opd or opd_code or "?", "opd_code": opd_code,
        "urusan": "Kesehatan", "bentuk": "Inovasi Pelayanan Publik", "jenis": "Non Digital",
        "tahapan": "Penerapan", "description": name, "active": True, "content_hash": iid,
        "first_seen": datetime.now(UTC), **kw,
    }
    with engine.begin() as conn:
        conn.execute(innovations.insert().values(**values))


def add_programme(engine: Engine, pid: str, title: str, week: date = W47, **kw) -> dict:
    values = {
        "programme_id": pid, "source": "test", "source_url": f"https://example.go.id/{pid}", "title": title,
        "description": title, "funding_type": "Hibah Daerah", "ministry": "Kemenkes", "bidang": "Kesehatan",
        "fiscal_year": 2027, "recipient_levels": "kabupaten;kota", "ceiling_idr": 2_500_000_000,
        "content_hash": pid, "first_seen": week, "last_seen": week, "status": "active", **kw,
    }
    with engine.begin() as conn:
        conn.execute(programmes.insert().values(**values))
        conn.execute(programme_versions.insert().values(
            programme_id=pid, version=1, week_start=week, content_hash=pid, data=json.dumps({"title": title})))
    return values


def add_version(engine: Engine, pid: str, version: int, week: date, changed: str, note: str) -> None:
    with engine.begin() as conn:
        conn.execute(programme_versions.insert().values(
            programme_id=pid, version=version, week_start=week, content_hash=f"{pid}-{version}",
            changed_fields=changed, change_note=note, data="{}"))


def add_match(engine: Engine, week: date, iid: str, pid: str, rank: int = 1, score: float = 0.9, **kw) -> None:
    with engine.begin() as conn:
        conn.execute(matches.insert().values(week_start=week, innovation_id=iid, programme_id=pid, rank=rank,
                                             score=score, reasons=f"kata cocok: {pid}", **kw))
