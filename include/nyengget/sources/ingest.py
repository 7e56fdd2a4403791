"""Running sources: fetch (or replay stored snapshots), parse, normalise, write, assess health."""

from __future__ import annotations

import dataclasses
import importlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, insert, select, update

from nyengget.config import get_settings
from nyengget.sources.fetch import Fetcher, FetchError, FetchPolicy, RecordedFetcher, Response
from nyengget.sources.persist import (
    mark_disappeared,
    prepare,
    upsert_allocations,
    upsert_news,
    upsert_programmes,
    upsert_regulations,
    write_quarantine,
)
from nyengget.sources.records import Invalid, Parsed, Reject, normalise, programme_id
from nyengget.sources.registry import SourceConfig, get_source, list_sources
from nyengget.sources.storage import Snapshots, get_snapshots
from nyengget.sources.verdict import Verdict, assess, missing_required
from nyengget.warehouse.schema import (
    news,
    programme_versions,
    programmes,
    quarantine,
    regulations,
    source_runs,
    tkdd_allocations,
)
from nyengget.weeks import week_label

log = logging.getLogger(__name__)
PARSE_CACHE_VERSION = "2"


@dataclass
class Context:
    """What an adapter gets: its config, a fetcher, and a parse cache for 304 answers."""

    source: SourceConfig
    fetcher: Fetcher | RecordedFetcher
    snapshots: Snapshots
    week_start: date

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.fetcher.get(url, **kwargs)

    def get_each(self, urls: Iterable[str], out: Parsed) -> Iterator[Response]:
        """Fetch each URL in turn; a failed fetch is recorded in `out.errors` and the rest go on."""
        for url in urls:
            try:
                yield self.get(url)
            except FetchError as exc:
                out.errors.append(str(exc))

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> Response:
        return self.fetcher.post(url, data, **kwargs)

    def parse(self, response: Response, name: str, fn: Callable[[Response], Parsed]) -> Parsed:
        """`fn(response)`, but unchanged pages (304 Not Modified) reuse the stored parse result."""
        key = f"parsed/{self.source.adapter}/{name}-v{PARSE_CACHE_VERSION}-{response.sha256}.json"
        if response.not_modified and isinstance(self.fetcher, Fetcher):
            cached = self.snapshots.get_json(key)
            if cached is not None:
                return _from_json(cached)
        result = fn(response)
        if isinstance(self.fetcher, Fetcher):
            self.snapshots.put_json(key, dataclasses.asdict(result))
        return result


def _from_json(data: dict[str, Any]) -> Parsed:
    return Parsed(programmes=data["programmes"], rejects=[Reject(**r) for r in data["rejects"]],
                  regulations=data["regulations"], allocations=data["allocations"], errors=data["errors"],
                  news=data.get("news", []))


def load_adapter(name: str) -> Any:
    return importlib.import_module(f"nyengget.sources.adapters.{name}")


def default_policy(source: SourceConfig) -> FetchPolicy:
    return FetchPolicy(min_delay_s=source.min_delay_s, **source.options.get("fetch", {}))


# -- public API -----------------------------------------------------------------------------------
def ingest_source(engine: Engine, name: str, week_start: date, *, base_url: str | None = None,
                  policy: FetchPolicy | None = None) -> dict[str, Any]:
    """Fetch, snapshot, parse and store one source for one week; returns its `source_runs` row
    plus 'alerts' and 'failed'. Source-level failures are recorded, never raised."""
    source = get_source(name)
    base_url = base_url or get_settings().sources_base_url
    snapshots = get_snapshots()
    fetcher = Fetcher(snapshots, source.name, policy or default_policy(source), base_url)
    return run_source(engine, source, week_start, fetcher, snapshots)


def ingest_week(engine: Engine, week_start: date, *, base_url: str | None = None,
                policy: FetchPolicy | None = None) -> list[dict[str, Any]]:
    """All enabled sources, one after another; one broken source never stops the others."""
    results = []
    for source in list_sources():
        result = ingest_source(engine, source.name, week_start, base_url=base_url, policy=policy)
        log.info("%s %s: %s (%s)", week_label(week_start), source.name, result["health"], result["message"])
        results.append(result)
    return results


def reparse(engine: Engine, week_start: date | None = None) -> list[dict[str, Any]]:
    """Rebuild parsed tables from stored raw snapshots (no fetching). Without a week: every stored
    week in order, after clearing programmes, versions, regulations, allocations and quarantine."""
    snapshots = get_snapshots()
    weeks = [week_label(week_start)] if week_start else snapshots.manifest_weeks()
    if week_start is None:
        with engine.begin() as conn:
            for table in (programme_versions, programmes, regulations, tkdd_allocations, news):
                conn.execute(delete(table))
            conn.execute(delete(quarantine).where(quarantine.c.kind == "programme"))
    results = []
    from nyengget.weeks import parse_week

    for label in weeks:
        for source in list_sources(include_disabled=True):
            manifest = snapshots.get_json(f"manifests/{label}/{source.name}.json")
            if manifest is None:
                continue
            fetcher = RecordedFetcher(snapshots, manifest)
            fetcher.fetched = len(manifest)
            results.append(run_source(engine, source, parse_week(label), fetcher, snapshots))
    return results


# -- one run --------------------------------------------------------------------------------------
def run_source(engine: Engine, source: SourceConfig, week: date, fetcher: Fetcher | RecordedFetcher,
               snapshots: Snapshots) -> dict[str, Any]:
    started, t0 = datetime.now(UTC), time.monotonic()
    parsed, raised = Parsed(), False
    try:
        parsed = load_adapter(source.adapter).collect(Context(source, fetcher, snapshots, week))
    except FetchError as exc:
        parsed.errors.append(str(exc))
    except Exception as exc:  # noqa: BLE001 - a broken parser is recorded, never stops other sources
        log.exception("source %s: parser raised", source.name)
        parsed.errors.append(f"{type(exc).__name__}: {exc}")
        raised = True
    finally:
        fetcher.save_state(week_label(week))
        fetcher.close()
    timing = {"adapter": source.adapter, "started_at": started}
    try:
        records, rejects = _normalise(source, parsed)
        with engine.begin() as conn:
            row = _store(conn, source, week, parsed, records, rejects, raised, fetcher)
            row.update(timing, finished_at=datetime.now(UTC), duration_s=round(time.monotonic() - t0, 3))
            _upsert_run(conn, row)
    except Exception as exc:  # noqa: BLE001 - recorded as an unhealthy run; nothing half-written
        log.exception("source %s: storing results failed", source.name)
        message = f"storing results failed: {type(exc).__name__}: {exc}"
        row = {"source": source.name, "week_start": week, "fetched": fetcher.fetched,
               "not_modified": fetcher.not_modified, "parsed": parsed.rows, "new": 0, "changed": 0,
               "disappeared": 0, "quarantined": 0, "errors": len(parsed.errors) + 1, "health": "unhealthy",
               "message": message[:2000], "alerts": [message], "failed": True,
               "error_details": [*parsed.errors[:19], message], **timing,
               "finished_at": datetime.now(UTC), "duration_s": round(time.monotonic() - t0, 3)}
        with engine.begin() as conn:
            _upsert_run(conn, row)
    return row


def _normalise(source: SourceConfig, parsed: Parsed) -> tuple[list[dict[str, Any]], list[Reject]]:
    records, rejects = [], list(parsed.rejects)
    base_url = source.urls[0] if source.urls else None  # a relative link without page_url: the source's page
    for index, raw in enumerate(parsed.programmes, start=1):
        try:
            rec = normalise(raw, base_url)
        except Invalid as exc:
            rejects.append(Reject(exc.field, exc.reason_id, exc.reason_en, raw, raw.get("raw_sha256"),
                                  raw.get("row_number") or index))
            continue
        rec["programme_id"] = programme_id(source.name, raw["key"])
        rec["raw_sha256"] = raw.get("raw_sha256")
        rec["evidence"] = raw.get("evidence")
        rec["extended_from"] = raw.get("extended_from")
        records.append(rec)
    return prepare(records), rejects


def _history(conn: Connection, source: str, week: date) -> tuple[list[int], date | None]:
    rows = conn.execute(select(source_runs.c.week_start, source_runs.c.parsed, source_runs.c.errors).where(and_(
        source_runs.c.source == source, source_runs.c.week_start < week)).order_by(
        source_runs.c.week_start.desc()).limit(8)).all()
    good = [r for r in rows if r.errors == 0 and r.parsed > 0]
    return [r.parsed for r in good[:4]], (good[0].week_start if good else None)


def _store(conn: Connection, source: SourceConfig, week: date, parsed: Parsed, records: list[dict[str, Any]],
           rejects: list[Reject], raised: bool, fetcher: Fetcher | RecordedFetcher) -> dict[str, Any]:
    history, prev_week = _history(conn, source.name, week)
    # news pages count as rows read: a listing of award news this week is not a broken scraper
    rows = len(records) + len(parsed.regulations) + len(parsed.allocations) + len(parsed.news)
    probe = assess(rows=rows, errors=parsed.errors, raised=raised, history=history,
                   missing=missing_required(source.required, records, rejects), quarantined=len(rejects))
    counts = upsert_programmes(conn, source.name, week, records)
    counts.new += upsert_regulations(conn, source.name, week, [_regulation(r) for r in parsed.regulations])
    counts.new += upsert_allocations(conn, source.name, week, parsed.allocations)
    upsert_news(conn, source.name, week, [{**n, "news_id": programme_id(source.name, n["key"])} for n in parsed.news])
    write_quarantine(conn, source.name, week, rejects)
    if probe.may_mark_disappeared:
        counts.disappeared = mark_disappeared(conn, source.name, week, {r["programme_id"] for r in records},
                                              prev_week)
    verdict: Verdict = assess(rows=rows, errors=parsed.errors, raised=raised, history=history,
                              missing=missing_required(source.required, records, rejects),
                              quarantined=len(rejects), new=counts.new, changed=counts.changed,
                              disappeared=counts.disappeared)
    return {"source": source.name, "week_start": week, "fetched": fetcher.fetched,
            "not_modified": fetcher.not_modified, "parsed": rows, "new": counts.new, "changed": counts.changed,
            "disappeared": counts.disappeared, "quarantined": len(rejects), "errors": len(parsed.errors),
            "health": verdict.health, "message": verdict.message[:2000], "alerts": verdict.alerts,
            "failed": verdict.failed, "error_details": parsed.errors[:20]}


def _regulation(reg: dict[str, Any]) -> dict[str, Any]:
    out = dict(reg)
    value = out.get("tanggal_penetapan")
    out["tanggal_penetapan"] = date.fromisoformat(value) if isinstance(value, str) and value else value or None
    return out


def _upsert_run(conn: Connection, row: dict[str, Any]) -> None:
    values = {c.name: row[c.name] for c in source_runs.columns if c.name != "id" and c.name in row}
    key = and_(source_runs.c.source == row["source"], source_runs.c.week_start == row["week_start"])
    if conn.execute(select(source_runs.c.id).where(key)).first():
        conn.execute(update(source_runs).where(key).values(**values))
    else:
        conn.execute(insert(source_runs).values(**values))
