"""`nyengget sources check`: one polite fetch-and-parse pass over a source, nothing stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
