"""Import the OPD directory (CSV, XLSX or YAML) into `opds`, then re-resolve innovations' OPD codes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from nyengget.regions import Region, region_of
from nyengget.registry import validate
from nyengget.registry.directory import Directory
from nyengget.registry.headers import OPD_HEADERS, Sheet, locate
from nyengget.registry.issues import Issue
from nyengget.registry.quarantine import Rejected, replace_quarantine
from nyengget.registry.readers import Row, read_grids
from nyengget.registry.result import ImportResult
from nyengget.registry.rows import Parsed, count_rows, is_skippable, resolve_duplicates
from nyengget.warehouse.schema import innovations, opds

log = logging.getLogger(__name__)


def read_opd_sheet(path: Path) -> Sheet:
    return locate(read_grids(path, allow_yaml=True), OPD_HEADERS, path.name, path)


def parse_opd(sheet: Sheet, row: Row, allowed_kecamatan: tuple[str, ...] | None = None) -> Parsed | list[Issue]:
    """One directory row -> normalised values, or its problems."""
    if row.issue:  # misaligned or malformed: its cells cannot be trusted field by field
        return [row.issue]
    problems: list[Issue] = []
    text = {f: validate.clean(sheet.value(row, f)) for f in ("opd_code", "name", "short_name", "kecamatan")}
    code = text["opd_code"].upper()
    for f, required in (("opd_code", True), ("name", True), ("short_name", False)):
        problems += filter(None, [validate.check_text(f, text[f], required=required)])
    emails, issue = validate.email_list(sheet.value(row, "emails"))
    problems += [issue] if issue else []
    kecamatan = None
    if text["kecamatan"]:
        kecamatan, issue = validate.kecamatan_value(text["kecamatan"], allowed_kecamatan)
        problems += [issue] if issue else []
    paused, issue = validate.flag_value("paused", sheet.value(row, "paused"))
    problems += [issue] if issue else []
    if problems:
        return problems
    values = {
        "name": text["name"],
        "short_name": text["short_name"] or None,
        "emails": emails,
        "kecamatan": kecamatan,
        "paused": paused,
    }
    return Parsed(row.number, code, values, validate.content_hash(values), sheet.raw(row))


def parse_sheet(sheet: Sheet, kecamatan: tuple[str, ...] | None = None) -> tuple[list[Parsed], list[Rejected]]:
    parsed: list[Parsed] = []
    rejected: list[Rejected] = []
    for row in sheet.rows:
        if is_skippable(sheet, row) and not (row.issue and any(row.cells)):
            continue
        outcome = parse_opd(sheet, row, kecamatan)
        if isinstance(outcome, Parsed):
            parsed.append(outcome)
        else:
            rejected += [Rejected(row.number, issue, sheet.raw(row)) for issue in outcome]
    kept, duplicates = resolve_duplicates(parsed, "opd_code")
    return kept, sorted(rejected + duplicates, key=lambda r: r.row)


def quarantine_source(region: Region, source: str) -> str:
    """The quarantine `source` of a region's registry file: `36.73/opds.csv` (file names repeat across regions)."""
    return f"{region.code}/{source}"


def import_opds(engine: Engine, path: str | Path, *, region: Region | None = None) -> ImportResult:
    """Load one region's OPD directory (default: the default region's) in one transaction; bad rows are
    quarantined, good rows upserted.

    Raises InputFileError (naming the file) when the file cannot be read at all; nothing changes then.
    """
    region = region or region_of(None)
    path = Path(path)
    sheet = read_opd_sheet(path)
    kept, rejected = parse_sheet(sheet, region.kecamatan)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        loaded, updated, unchanged = _upsert(conn, kept, now, region.code)
        replace_quarantine(conn, "opd", quarantine_source(region, sheet.source), rejected, now)
        relinked = refresh_innovation_codes(conn, region)
    result = ImportResult(sheet.source, loaded, updated, unchanged, 0, count_rows(rejected), rejected)
    log.info("%s (%d innovations re-linked to the directory)", result.summary(), relinked)
    return result


def _upsert(conn: Connection, kept: list[Parsed], now: datetime, region_code: str) -> tuple[int, int, int]:
    query = select(opds.c.opd_code, opds.c.content_hash).where(opds.c.region_code == region_code)
    existing = dict(conn.execute(query).tuples().all())
    new = [p for p in kept if p.key not in existing]
    changed = [p for p in kept if p.key in existing and existing[p.key] != p.hash]
    if new:
        conn.execute(insert(opds), [_record(p, now, region_code) for p in new])
    if changed:
        stmt = update(opds).where(opds.c.region_code == region_code, opds.c.opd_code == bindparam("b_code"))
        conn.execute(stmt, [{**_record(p, now, region_code), "b_code": p.key} for p in changed])
    return len(new), len(changed), len(kept) - len(new) - len(changed)


def _record(item: Parsed, now: datetime, region_code: str) -> dict:
    return {"region_code": region_code, "opd_code": item.key, **item.values, "content_hash": item.hash,
            "updated_at": now}


def refresh_innovation_codes(conn: Connection, region: Region) -> int:
    """Point every innovation of the region at the directory entry its OPD name now resolves to."""
    directory = Directory.load(conn, region.code, region.name)
    rows = conn.execute(select(innovations.c.innovation_id, innovations.c.opd, innovations.c.opd_code)
                        .where(innovations.c.region_code == region.code)).all()
    changes = [
        {"b_id": r.innovation_id, "b_code": code}
        for r in rows
        if (code := directory.resolve(r.opd)) != r.opd_code
    ]
    if changes:
        stmt = update(innovations).where(innovations.c.region_code == region.code,
                                         innovations.c.innovation_id == bindparam("b_id"))
        conn.execute(stmt.values(opd_code=bindparam("b_code")), changes)
    return len(changes)
