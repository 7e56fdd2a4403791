"""Import the innovation registry (canonical CSV or IID-portal exports) into `innovations`."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from nyengget.regions import Region, region_of
from nyengget.registry import validate
from nyengget.registry.directory import Directory, opd_key
from nyengget.registry.headers import INNOVATION_HEADERS, Sheet, locate
from nyengget.registry.issues import Issue
from nyengget.registry.opds import quarantine_source
from nyengget.registry.quarantine import Rejected, replace_quarantine
from nyengget.registry.readers import Row, read_grids
from nyengget.registry.result import ImportResult
from nyengget.registry.rows import Parsed, count_rows, is_skippable, resolve_duplicates
from nyengget.registry.vocab import value_key
from nyengget.warehouse.schema import innovations

log = logging.getLogger(__name__)
ENUMS = ("bentuk", "jenis", "tahapan")
DESCRIPTION_PARTS = ("tujuan", "manfaat", "hasil")


@dataclass
class FileRows:
    """Everything learnt from one file before touching the warehouse."""

    kept: list[Parsed]
    rejected: list[Rejected]
    seen_ids: set[str]
    opd_names: set[str]


def derived_id(opd: str, name: str, region_name: str | None = None) -> str:
    """Stable id from OPD and name when the file has no id column: `INV-` + 10 hex digits."""
    digest = hashlib.sha1(f"{opd_key(opd, region_name)}|{value_key(name)}".encode()).hexdigest()
    return f"INV-{digest[:10].upper()}"


def row_id(sheet: Sheet, row: Row) -> str:
    """The row's innovation id (given or derived); empty when it cannot be known."""
    if "innovation_id" in sheet.columns:
        return validate.clean(sheet.value(row, "innovation_id"))
    opd, name = (validate.clean(sheet.value(row, f)) for f in ("opd", "name"))
    return derived_id(opd, name) if opd and name else ""


def description(sheet: Sheet, row: Row) -> str:
    """The description column, else tujuan, manfaat and hasil joined as sentences."""
    text = validate.clean(sheet.value(row, "description"))
    if text:
        return text
    parts = [validate.clean(sheet.value(row, f)) for f in DESCRIPTION_PARTS]
    return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts if p)


def parse_innovation(sheet: Sheet, row: Row) -> Parsed | list[Issue]:
    """One registry row -> normalised values, or its problems."""
    if row.issue:  # misaligned or malformed: its cells cannot be trusted field by field
        return [row.issue]
    problems: list[Issue] = []
    key = row_id(sheet, row)
    values: dict[str, object] = {f: validate.clean(sheet.value(row, f)) for f in ("name", "opd")}
    values["description"] = description(sheet, row)
    if "innovation_id" in sheet.columns:
        problems += filter(None, [validate.check_text("innovation_id", key, required=True)])
    for f, required in (("name", True), ("opd", True), ("description", False)):
        problems += filter(None, [validate.check_text(f, str(values[f]), required=required)])
    values["urusan"], issue = validate.urusan_value(sheet.value(row, "urusan"))
    problems += [issue] if issue else []
    for f in ENUMS:
        values[f], issue = validate.enum_value(f, validate.clean(sheet.value(row, f)))
        problems += [issue] if issue else []
    if problems:
        return problems
    values["description"] = values["description"] or None
    return Parsed(row.number, key, values, validate.content_hash(values), sheet.raw(row))


def parse_sheet(sheet: Sheet) -> FileRows:
    parsed: list[Parsed] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    opd_names: set[str] = set()
    for row in sheet.rows:
        if is_skippable(sheet, row) and not (row.issue and any(row.cells)):
            continue
        seen.add(row_id(sheet, row))
        if not row.issue:  # a misaligned row's OPD cell may hold anything
            opd_names.add(validate.clean(sheet.value(row, "opd")))
        outcome = parse_innovation(sheet, row)
        if isinstance(outcome, Parsed):
            parsed.append(outcome)
        else:
            rejected += [Rejected(row.number, issue, sheet.raw(row)) for issue in outcome]
    kept, duplicates = resolve_duplicates(parsed, "innovation_id")
    rejected = sorted(rejected + duplicates, key=lambda r: r.row)
    return FileRows(kept, rejected, seen - {""}, opd_names - {""})


def import_innovations(engine: Engine, path: str | Path, *, full_export: bool = True,
                       region: Region | None = None) -> ImportResult:
    """Load one region's innovation file (default: the default region's) in one transaction: insert new,
    update changed, quarantine bad rows.

    With `full_export` (the default) the file is taken as the complete list of each OPD it mentions:
    that OPD's stored innovations missing from it are marked inactive (never deleted).
    Raises InputFileError (naming the file) when the file cannot be read at all; nothing changes then.
    """
    region = region or region_of(None)
    path = Path(path)
    sheet = locate(read_grids(path), INNOVATION_HEADERS, path.name, path)
    rows = parse_sheet(sheet)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        directory = Directory.load(conn, region.code, region.name)
        loaded, updated, unchanged = _upsert(conn, rows.kept, directory, sheet.source, now, region.code)
        inactivated = _inactivate(conn, rows, directory, now, region.code) if full_export else 0
        replace_quarantine(conn, "innovation", quarantine_source(region, sheet.source), rows.rejected, now)
    result = ImportResult(
        sheet.source, loaded, updated, unchanged, inactivated, count_rows(rows.rejected), rows.rejected
    )
    log.info(result.summary())
    return result


def _upsert(
    conn: Connection, kept: list[Parsed], directory: Directory, source: str, now: datetime, region_code: str
) -> tuple[int, int, int]:
    cols = innovations.c
    query = select(cols.innovation_id, cols.content_hash, cols.opd_code, cols.active).where(
        cols.region_code == region_code)
    stored = {r.innovation_id: r for r in conn.execute(query)}
    new, changed = [], []
    for item in kept:
        code = directory.resolve(str(item.values["opd"]))
        record = {**item.values, "opd_code": code, "content_hash": item.hash, "active": True}
        record |= {"source_file": source, "updated_at": now}
        old = stored.get(item.key)
        if old is None:
            new.append({**record, "region_code": region_code, "innovation_id": item.key, "first_seen": now})
        elif (old.content_hash, old.opd_code, bool(old.active)) != (item.hash, code, True):
            changed.append({**record, "b_id": item.key})
    if new:
        conn.execute(insert(innovations), new)
    if changed:
        conn.execute(update(innovations).where(cols.region_code == region_code,
                                               cols.innovation_id == bindparam("b_id")), changed)
    return len(new), len(changed), len(kept) - len(new) - len(changed)


def _opd_group(directory: Directory, opd: str) -> str:
    return directory.resolve(opd) or f"~{opd_key(opd, directory.region_name)}"


def _inactivate(conn: Connection, rows: FileRows, directory: Directory, now: datetime, region_code: str) -> int:
    """Mark inactive the region's active innovations of the file's OPDs that the file no longer lists."""
    groups = {_opd_group(directory, name) for name in rows.opd_names}
    cols = innovations.c
    stored = conn.execute(select(cols.innovation_id, cols.opd).where(
        cols.active.is_(True), cols.region_code == region_code)).all()
    gone = [
        {"b_id": r.innovation_id}
        for r in stored
        if r.innovation_id not in rows.seen_ids and _opd_group(directory, r.opd) in groups
    ]
    if gone:
        stmt = update(innovations).where(cols.region_code == region_code, cols.innovation_id == bindparam("b_id"))
        conn.execute(stmt.values(active=False, updated_at=now), gone)
    return len(gone)
