"""Source health: telling "no new funding this week" apart from "a scraper broke"."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

LAYOUT = "layout changed: expected "


def layout_changed(url: str, expected: str) -> str:
    """The error an adapter records when it found the page but not the structure it reads."""
    return f"{LAYOUT}{expected} ({url})"


@dataclass
class Verdict:
    health: str
    message: str
    alerts: list[str] = field(default_factory=list)
    failed: bool = False
    may_mark_disappeared: bool = True


def assess(*, rows: int, errors: list[str], raised: bool, history: list[int], missing: dict[str, int],
           quarantined: int, new: int = 0, changed: int = 0, disappeared: int = 0) -> Verdict:
    """Verdict for one run. `history` holds the row counts of the source's recent good runs."""
    alerts: list[str] = []
    layout = [e for e in errors if e.startswith(LAYOUT)]
    if raised:
        alerts.append(f"parser raised: {errors[-1] if errors else 'unknown error'}")
    elif layout:
        alerts.append(layout[0] + (f" (+{len(layout) - 1} more)" if len(layout) > 1 else ""))
    elif errors:
        alerts.append(f"{len(errors)} fetch/parse error(s), first: {errors[0]}")
    if rows == 0 and not layout:
        alerts.append("source returned zero rows")
    median = statistics.median(history) if history else None
    if median and rows and rows < median / 2:
        alerts.append(f"row count dropped to {rows} from a recent median of {median:g}")
    total = rows + quarantined
    for name, count in missing.items():
        if total and count / total > 0.5:
            alerts.append(f"required field {name!r} missing in {count} of {total} rows")
    if total and quarantined / total > 0.5:
        alerts.append(f"{quarantined} of {total} rows quarantined")
    failed = raised or bool(errors) or rows == 0
    may_mark = not failed and not (median and rows < median / 2)
    if alerts:
        return Verdict("unhealthy", "; ".join(alerts), alerts, failed, may_mark)
    if new or changed or disappeared:
        return Verdict("ok", f"{rows} rows: {new} new, {changed} changed, {disappeared} disappeared", [], False)
    return Verdict("no_change", f"{rows} rows, nothing new or changed (source healthy)", [], False)


def missing_required(required: tuple[str, ...], records: list[dict[str, Any]], rejects: list[Any]) -> dict[str, int]:
    counts = {}
    for name in required:
        counts[name] = sum(1 for r in records if r.get(name) in (None, "")) + sum(
            1 for r in rejects if getattr(r, "field", None) == name)
    return counts


# -- `nyengget sources check`: one polite pass over a source, nothing stored ------------------------
CHECK_FIELDS = ("title", "funding_type", "fiscal_year", "recipient_levels", "opens_on", "closes_on",
                "ceiling_idr", "legal_basis")


@dataclass
class Check:
    """What one fetch-and-parse pass over a source found."""

    source: str
    adapter: str
    url: str
    requests: list[tuple[str, str]] = field(default_factory=list)  # (url, status or error kind)
    records: int = 0
    rejected: list[str] = field(default_factory=list)
    regulations: int = 0
    allocations: int = 0
    filled: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return bool(self.records or self.regulations or self.allocations)

    def lines(self) -> list[str]:
        failed = [f"{u} ({s})" for u, s in self.requests if not s.startswith(("2", "3"))]
        out = [f"{self.source} [{self.adapter}] {self.url}",
               f"  requests: {len(self.requests)} ({len(failed)} failed)"
               + (f", first failures: {'; '.join(failed[:3])}" if failed else ""),
               f"  records: {self.records} programmes ({len(self.rejected)} rejected), "
               f"{self.regulations} regulations, {self.allocations} allocations"]
        if self.records:
            out.append("  fields filled: " + ", ".join(f"{k} {v}/{self.records}" for k, v in self.filled.items()))
            out += [f"  e.g. {s}" for s in self.samples]
        out += [f"  rejected: {r}" for r in self.rejected[:5]]
        out += [f"  error: {e}" for e in self.errors[:5]]
        out.append("  verdict: " + ("ok" if self.usable and not self.errors else
                                    "usable, with errors" if self.usable else
                                    "NOTHING USABLE: " + (self.errors[0] if self.errors else "no records found")))
        return out


def check_source(name: str, week: Any, *, base_url: str | None = None, raw_dir: Any = None,
                 policy: Any = None) -> Check:
    """Fetch and parse source `name` once (robots.txt and per-host delay respected), store nothing in
    the warehouse; raw bodies go to `raw_dir` (a scratch directory)."""
    import tempfile
    from pathlib import Path

    from nyengget.sources.fetch import Fetcher, FetchError
    from nyengget.sources.ingest import Context, default_policy, load_adapter
    from nyengget.sources.records import Invalid, Parsed, normalise
    from nyengget.sources.registry import get_source
    from nyengget.sources.storage import LocalStore, Snapshots

    source = get_source(name)
    result = Check(source.name, source.adapter, source.urls[0])
    with tempfile.TemporaryDirectory(prefix="nyengget-check-") as scratch:
        snapshots = Snapshots(LocalStore(Path(raw_dir or scratch)))
        fetcher = Fetcher(snapshots, source.name, policy or default_policy(source), base_url)
        parsed = Parsed()
        try:
            parsed = load_adapter(source.adapter).collect(Context(source, fetcher, snapshots, week))
        except FetchError as exc:
            parsed.errors.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported, like a run would
            parsed.errors.append(f"parser raised {type(exc).__name__}: {exc}")
        finally:
            fetcher.close()
    result.requests = [(e["url"], str(e.get("status") or e.get("error_kind") or "?")) for e in fetcher.manifest]
    result.errors = list(parsed.errors)
    result.regulations, result.allocations = len(parsed.regulations), len(parsed.allocations)
    result.rejected = [f"{r.field}: {r.reason_en}" for r in parsed.rejects]
    result.filled = dict.fromkeys(CHECK_FIELDS, 0)
    for raw in parsed.programmes:
        try:
            rec = normalise(raw)
        except Invalid as exc:
            result.rejected.append(f"{exc.field}: {exc.reason_en} ({raw.get('title')!r})")
            continue
        result.records += 1
        if len(result.samples) < 3:
            result.samples.append(f"{rec['title']} | {rec['funding_type']} | TA {rec['fiscal_year'] or '?'} | "
                                  f"{rec['recipient_levels'] or '-'} | {rec['opens_on'] or '?'} – {rec['closes_on'] or '?'}")
        for key in CHECK_FIELDS:
            result.filled[key] += rec.get(key) not in (None, "")
    return result
