"""The shipped sources on real documents: per-source results and per-field recall.

    .venv/bin/python bench/sources_real.py [--real DIR] [--week 2026-W48] [-v]

Lays out the real-source development set (default ../shared/data/sources-real next to the checkout:
its `site/` listings and each document under the URL `serve_map.csv` gives) as a recorded week in the
replay layout, runs every shipped source of sources.yaml through the project's replay server (127.0.0.1
only), then, for documents no shipped source requested, the same adapters pointed at their URLs (the
real listing pages of `site/`, the documents themselves). Prints per source what it produced, the
recall per field (documents whose `expected.csv` value is non-empty and come out right, scored by the
set's own score.py rules) and the allocations stored under a region other than the configured one.
Writes only under a temporary directory. Says so and exits 0 when the set is absent (a user's clone).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL = ROOT.parent / "shared" / "data" / "sources-real"
FIELDS = ["title", "funding_type", "opens_on", "closes_on", "ceiling_idr", "recipient_levels", "fiscal_year"]


def _scorer(real: Path) -> Any:
    spec = importlib.util.spec_from_file_location("real_score", real / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def layout(real: Path, week_dir: Path) -> dict[str, str]:
    """Copy the set into the replay layout; returns {url: document} (feed items by their links)."""
    from nyengget.sources.replay import relpath

    shutil.copytree(real / "site", week_dir, dirs_exist_ok=True)
    url_to_doc = {}
    with (real / "serve_map.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            dest = week_dir / relpath(row["url"])
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(real / "docs" / row["doc"], dest)
            url_to_doc[row["url"]] = row["doc"]
            if row["doc"].endswith(".xml"):  # feed items carry their own links
                for link in re.findall(r"<link>([^<]+)</link>", (real / "docs" / row["doc"]).read_text("utf-8"))[1:]:
                    url_to_doc[link.strip()] = row["doc"]
    return url_to_doc


def extra_sources(real: Path, shipped: list[dict[str, Any]], requested: set[str]) -> list[dict[str, Any]]:
    """Adapters pointed at the set's URLs that no shipped source requested (listings of `site/`, documents)."""
    tkdd = next((s["options"] for s in shipped if s["adapter"] == "djpk_tkdd"), {})
    region = {k: tkdd[k] for k in ("region", "province", "region_code") if k in tkdd}
    out = []
    for index in sorted((real / "site").rglob("index.html*")):
        rel = index.relative_to(real / "site").as_posix()
        host, _, path = rel.partition("/")
        path = path.replace("index.html@", "?").replace("index.html", "")
        url = f"{'http' if host.startswith('jipp.') else 'https'}://{host}/{path}".rstrip("/") + (
            "/" if path.endswith("/") else "")
        if url not in requested:
            out.append({"name": f"real_{re.sub(r'[^a-z0-9]+', '_', host)}", "adapter": "announcements", "urls": [url],
                        "options": {"funding_type": "Bantuan Pemerintah"}})
    with (real / "serve_map.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["url"] in requested or row["adapter"] == "announcements":
                continue
            if row["adapter"] == "regulations" and "/Details/" in row["url"]:
                continue  # reached through the search pages
            options = region if row["adapter"] in ("djpk_tkdd", "tables") else {}
            if row["adapter"] == "djpk_tkdd":
                options = {**options, "years": [int(m) for m in re.findall(r"tahun=(\d{4})", row["url"])] or [2025]}
            out.append({"name": f"doc_{row['doc'].split('_')[0].lower()}", "adapter": row["adapter"],
                        "urls": [row["url"]], "options": {"funding_type": _funding(row["adapter"]), **options}})
    return out


def _funding(adapter: str) -> str:
    return {"juknis_pdf": "DAK Fisik", "tables": "DAK Non-Fisik"}.get(adapter, "Bantuan Pemerintah")


def run(real: Path, week: str, verbose: bool) -> int:
    import yaml

    work = Path(tempfile.mkdtemp(prefix="nyg-sources-real-"))
    os.environ.update(NYENGGET_HOME=str(work / "home"), NYENGGET_SNAPSHOTS_DIR=str(work / "snap"),
                      NYENGGET_WAREHOUSE_URL=f"sqlite:///{work / 'wh.sqlite'}", NO_PROXY="127.0.0.1,localhost")
    shipped_file = ROOT / "include/nyengget/sources/sources.yaml"
    shipped = [s for s in yaml.safe_load(shipped_file.read_text("utf-8"))["sources"] if s.get("enabled", True)]
    url_to_doc = layout(real, work / "snap" / week)
    requested = {u for s in shipped for u in s["urls"]}
    extra = extra_sources(real, shipped, requested)
    for src in extra:
        src.update(pool="nyengget_host_real", min_delay_s=0, required=["title"])
    (work / "sources.yaml").write_text(yaml.safe_dump({"sources": shipped + extra}, allow_unicode=True), "utf-8")
    shutil.copytree(shipped_file.parent / "curated", work / "curated")
    os.environ["NYENGGET_SOURCES_FILE"] = str(work / "sources.yaml")

    from sqlalchemy import select

    from nyengget.sources.fetch import FetchPolicy
    from nyengget.sources.ingest import ingest_source
    from nyengget.sources.replay import relpath, serve
    from nyengget.warehouse.db import get_engine
    from nyengget.warehouse.schema import news, programmes, tkdd_allocations
    from nyengget.weeks import parse_week

    engine = get_engine()
    policy = FetchPolicy(retries=0, min_delay_s=0, read_timeout=10)
    print(f"{'source':<32} {'covered':<8} {'health':<10} rows  message   (covered: start URL served / s=shipped e=extra)")
    covered_ok = covered = 0
    with serve(work / "snap" / week) as base:
        for src in shipped + extra:
            row = ingest_source(engine, src["name"], parse_week(week), base_url=base, policy=policy)
            is_covered = any((work / "snap" / week / relpath(u)).exists() for u in src["urls"] if "://" in u)
            if src in shipped and is_covered:
                covered += 1
                covered_ok += not row["failed"] and row["parsed"] > 0
            kind = "shipped" if src in shipped else "extra"
            print(f"{src['name']:<32} {('yes' if is_covered else 'no') + '/' + kind[0]:<8} {row['health']:<10} "
                  f"{row['parsed']:>4}  {row['message'][:110]}")
    with engine.connect() as conn:
        progs = conn.execute(select(programmes).order_by(programmes.c.first_seen)).mappings().all()
        # non-calls are records too (kept as news, never programmes): their title, type and year count
        progs += [{**r, "opens_on": r["opens_on"], "ceiling_idr": None}
                  for r in conn.execute(select(news).order_by(news.c.first_seen)).mappings().all()]
        allocs = conn.execute(select(tkdd_allocations)).mappings().all()
    return _report(real, url_to_doc, progs, allocs, shipped, covered_ok, covered, verbose)


def _report(real: Path, url_to_doc: dict[str, str], progs: list[Any], allocs: list[Any], shipped: list[dict[str, Any]],
            covered_ok: int, covered: int, verbose: bool) -> int:
    score = _scorer(real)
    _, expected = score.load(str(real / "expected.csv"))
    best: dict[str, Any] = {}
    for p in progs:
        doc = url_to_doc.get(p["source_url"])
        if doc and doc not in best:
            best[doc] = p
    served = set(url_to_doc.values())
    print(f"\nshipped sources whose start URL the set serves and that produced records: {covered_ok}/{covered}")
    print(f"documents with a record (programme or news): {len(best)}/{len(served & set(expected))}")
    print(f"{'field':<18} recall (non-empty expected)")
    for field in FIELDS:
        want = [d for d, row in expected.items() if row.get(field) and d in served]
        hits = [d for d in want if d in best and score.same(field, expected[d][field], _value(best[d][field]))]
        print(f"{field:<18} {len(hits):>3}/{len(want):<3} ({100 * len(hits) / max(len(want), 1):.0f}%)")
        if verbose:
            for d in sorted(set(want) - set(hits)):
                print(f"    miss {d}: expected {expected[d][field]!r}, got {_value(best.get(d, {}).get(field))!r}")
    region = next((s["options"] for s in shipped if s["adapter"] == "djpk_tkdd"), {})
    wrong = [a for a in allocs if a["region_code"] and region.get("region_code") and
             a["pemda"] == region.get("region") and a["region_code"] != region["region_code"]]
    print(f"allocations: {len(allocs)}, stored under a wrong region code: {len(wrong)}")
    return 0


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", type=Path, default=Path(os.environ.get("NYENGGET_SOURCES_REAL") or DEFAULT_REAL))
    ap.add_argument("--week", default="2026-W48")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = ap.parse_args()
    if not (args.real / "serve_map.csv").is_file():
        print(f"real-source set not found at {args.real}: nothing to measure (it is not shipped with the project)")
        return 0
    sys.path.insert(0, str(ROOT / "include"))
    return run(args.real.resolve(), args.week, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
