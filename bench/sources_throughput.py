"""Parse throughput per adapter (MB/s, median of repeats) and wall time of ingesting both recorded weeks.

    .venv/bin/python bench/sources_throughput.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nyengget.sources.adapters import announcements, djpk_tkdd, juknis_pdf, regulations, tables
from nyengget.sources.fetch import Response
from nyengget.sources.registry import SourceConfig
from nyengget.sources.storage import sha256

SNAPSHOTS = Path(__file__).resolve().parent.parent / "include" / "snapshots"
WEEK = SNAPSHOTS / "2026-W47"
SOURCE = SourceConfig("bench", "announcements", ("https://x/",), "p", {"ministry": "Bench"})


def _resp(path: Path) -> Response:
    body = path.read_bytes()
    ctype = "text/html" if "pengumuman/read" in str(path) else ""
    return Response("https://" + str(path.relative_to(WEEK)), "GET", 200, {"Content-Type": ctype}, body,
                    sha256(body), "")


def _cases() -> dict[str, tuple[list[Path], Callable[[Response], object]]]:
    def files(pattern: str) -> list[Path]:
        return sorted(p for p in WEEK.rglob(pattern) if p.is_file() and not p.name.endswith(".meta.json"))

    details = [p for p in files("*") if any(s in str(p) for s in ("/berita/", "/detail-berita/", "/read/"))
               and p.name != "index.html"]
    return {
        "announcements (HTML detail)": (details, lambda r: announcements.parse_detail(r, SOURCE)),
        "announcements (RSS)": (files("rss.xml"), lambda r: announcements.parse_feed(r, SOURCE)),
        "regulations (JDIH detail)": ([*files("kmk-no-*"), *files("pmk-*")], lambda r: regulations.parse_detail(r, {})),
        "juknis_pdf (lampiran PDF)": (files("*.pdf"), lambda r: juknis_pdf.parse_pdf(r, {})),
        "tables (XLSX)": (files("*.xlsx"), lambda r: tables.parse_xlsx(r, {})),
        "djpk_tkdd (JSON tree)": (files("filter@POST*"), lambda r: djpk_tkdd.parse_tree(r, 2026, "Kota Serang")),
    }


def throughput(repeats: int) -> None:
    print(f"{'adapter':<30} {'docs':>5} {'MB':>8} {'MB/s':>9}  (median of {repeats})")
    for name, (paths, parse) in _cases().items():
        docs = [_resp(p) for p in paths]
        size = sum(len(d.body) for d in docs) / 1e6
        times = []
        for _ in range(repeats):
            fresh = [Response(d.url, d.method, d.status, d.headers, d.body, d.sha256, "") for d in docs]
            start = time.perf_counter()
            for doc in fresh:
                parse(doc)
            times.append(time.perf_counter() - start)
        print(f"{name:<30} {len(docs):>5} {size:>8.3f} {size / statistics.median(times):>9.2f}")


def both_weeks() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NYENGGET_HOME"] = tmp
        from nyengget.sources.ingest import ingest_week
        from nyengget.sources.replay import serve
        from nyengget.warehouse.db import make_engine, upgrade
        from nyengget.weeks import parse_week

        engine = make_engine(f"sqlite:///{tmp}/w.sqlite")
        upgrade(engine)
        start = time.perf_counter()
        rows = 0
        for label in ("2026-W47", "2026-W48"):
            with serve(SNAPSHOTS / label) as base_url:
                rows += sum(r["parsed"] for r in ingest_week(engine, parse_week(label), base_url=base_url))
        print(f"ingest both weeks (replay server, SQLite): {time.perf_counter() - start:.2f} s wall, {rows} rows")
        engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    throughput(args.repeats)
    both_weeks()
