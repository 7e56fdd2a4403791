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

    hosts = ("www.menpan.go.id", "bskdn.kemendagri.go.id", "www.bappenas.go.id", "peppd.bappenas.go.id",
             "aptika.kominfo.go.id", "pu.go.id", "kemensos.go.id")
    listings = {"site/berita-terkini/index.html", "website/category/berita/index.html", "id/berita/index.html",
                "media/news/index.html", "category/berita/index.html", "berita/kanal", "berita-terkini/index.html"}
    details = [p for p in files("*") if p.relative_to(WEEK).parts[0] in hosts and p.name != "robots.txt"
               and "/".join(p.relative_to(WEEK).parts[1:]) not in listings]
    return {
        "announcements (HTML detail)": (details, lambda r: announcements.parse_detail(r, SOURCE)),
        "announcements (RSS)": (files("feed/index.html"), lambda r: announcements.parse_feed(r, SOURCE)),
        "regulations (JDIH detail)": ([p for p in files("*") if "/Details/" in str(p)],
                                      lambda r: regulations.parse_detail(r, {})),
        "juknis_pdf (juknis PDF text)": (files("*.pdf"), lambda r: juknis_pdf.parse_pdf(r, {})),
        "tables (XLSX)": (files("*.xlsx"), lambda r: tables.parse_xlsx(r, {})),
        "djpk_tkdd (HTML table)": (files("tkdd@tahun=*"),
                                   lambda r: djpk_tkdd.parse_table(r, 2026, "Kota Serang", ("28", "07"))),
    }


def throughput(repeats: int) -> None:
    print(f"{'adapter':<30} {'docs':>5} {'MB':>8} {'MB/s':>9}  (median of {repeats})")
    for name, (paths, parse) in _cases().items():
        docs = [_resp(p) for p in paths]
        if not docs:
            print(f"{name:<30} {0:>5}  (no recorded documents of this kind)")
            continue
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
