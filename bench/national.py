"""One deployment for every pemda, measured: R regions x ~100 innovations over one shared catalogue.

Synthesises (deterministically, from the shared match data's vocabulary, as bench/match_scale.py does)
a regions file of R **synthetic** regions (552 by default: 38 provinsi and 514 kabupaten/kota with
made-up codes NN / NN.NN, none of them real), each with an OPD directory and ~100 innovations, and a
catalogue of P shared programmes (3,000 by default) with one healthy source run for the week. Then,
for every region and through the same functions the DAG tasks call (`nyengget.pipeline`), it runs:

  import    jobs.registry.import_opd_directory + import_innovation_registry (innovations DAG)
  match     jobs.weekly.match_week (match DAG, one mapped task per region)
  build     jobs.weekly.build_list (weekly DAG)
  reports   jobs.weekly.write_reports (XLSX + HTML with charts)
  queue     jobs.weekly.queue_emails (digests + planners' summary into the outbox)

stage by stage, each stage's regions spread over --workers processes (2: the machine's cores, like two
Celery workers taking mapped tasks), and prints seconds per stage (total and per region) and ends with one
line `national: regions=R innovations=N programmes=P seconds=T peak_mib=M` (T: wall time of the five
stages; M: the largest peak RSS of this process and its workers), after a `machine:` line: a fixed workload
timed before and after the stages, for comparing runs made in hours of different machine speed. Run with
--regions 50, 150, 552 to see how time grows.

Usage: .venv/bin/python bench/national.py [--regions 552] [--innovations 100] [--programmes 3000]
       [--skip-reports] [--warehouse URL]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from match_scale import SEED, make_innovations, make_programmes  # noqa: E402

# the shared match data next to the repository (from a worktree: further up)
DATA = next((p / "shared" / "data" / "match" for p in HERE.parents if (p / "shared" / "data" / "match").is_dir()),
            HERE.parent.parent / "shared" / "data" / "match")

WEEK = date(2026, 11, 23)
N_PROVINCES = 38  # 38 provinsi + 514 kabupaten/kota = 552 pemda (the count)


def region_codes(n: int) -> list[tuple[str, str, str]]:
    """(code, name, level) of n synthetic regions: provinces 11..48 first in each block, then their kab/kota."""
    out: list[tuple[str, str, str]] = []
    per_province = max(1, -(-n // N_PROVINCES))
    for p in range(N_PROVINCES):
        out.append((f"{11 + p}", f"Provinsi Sintetis {p + 1}", "provinsi"))
        for k in range(1, per_province):
            level = "kota" if k % 4 == 0 else "kabupaten"
            prefix = "Kota" if level == "kota" else "Kabupaten"
            out.append((f"{11 + p}.{k:02d}", f"{prefix} Sintetis {p + 1}-{k}", level))
    return sorted(out[:n], key=lambda r: r[0])


def synthesise(root: Path, n_regions: int, n_innovations: int, n_programmes: int) -> tuple[Path, pd.DataFrame, int]:
    """The regions file (with per-region CSVs) under `root`, and the programme catalogue."""
    progs_src = pd.read_csv(DATA / "programmes.csv", dtype=str, keep_default_na=False)
    inns_src = pd.read_csv(DATA / "innovations_dev.csv", dtype=str, keep_default_na=False)
    text = " ".join(list(progs_src["description"]) + list(inns_src["description"]))
    vocab = np.array(sorted(set(re.findall(r"[A-Za-z]+", text))))
    opd_names = sorted(set(inns_src["opd"]))
    directory = pd.DataFrame({"code": [f"OPD{i:02d}" for i in range(len(opd_names))], "name": opd_names,
                              "short_name": opd_names, "kecamatan": "", "paused": "false"})
    lines = ["# SYNTHETIC regions for bench/national.py: codes and names are invented, not Kemendagri's.",
             "regions:"]
    total = 0
    for i, (code, name, level) in enumerate(region_codes(n_regions)):
        folder = root / code
        folder.mkdir(parents=True, exist_ok=True)
        slug = code.replace(".", "-")
        d = directory.assign(emails=[f"{c.lower()}@r{slug}.example.go.id" for c in directory.code])
        d[["code", "name", "short_name", "emails", "kecamatan", "paused"]].to_csv(folder / "opds.csv", index=False)
        rng = np.random.default_rng(SEED + i)
        n = int(n_innovations + rng.integers(-10, 11))
        inns = make_innovations(inns_src, n, vocab, rng)
        inns["innovation_id"] = [f"R{slug}-{k:04d}" for k in range(n)]
        inns.to_csv(folder / "innovations.csv", index=False)
        total += n
        lines.append(f"  - {{code: '{code}', name: '{name}', level: {level}, opds_file: {code}/opds.csv, "
                     f"innovations_file: {code}/innovations.csv, planner_emails: [perencana@r{slug}.example.go.id]}}")
    path = root / "regions.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalogue = make_programmes(progs_src, n_programmes, vocab, np.random.default_rng(SEED + n_programmes))
    return path, catalogue, total


def load_catalogue(engine, catalogue: pd.DataFrame) -> None:
    """The shared programmes as the sources stage leaves them, and one healthy source run for the week."""
    from nyengget.warehouse.schema import programmes, source_runs

    rows = []
    for r in catalogue.to_dict("records"):
        rows.append({**{k: (None if r[k] == "" else r[k]) for k in ("title", "description", "funding_type",
                                                                     "ministry", "bidang", "subbidang",
                                                                     "recipient_levels")},
                     "programme_id": r["programme_id"], "source": "bench", "fiscal_year": int(r["fiscal_year"]),
                     "opens_on": date.fromisoformat(r["opens_on"]) if r["opens_on"] else None,
                     "closes_on": date.fromisoformat(r["closes_on"]) if r["closes_on"] else None,
                     "ceiling_idr": int(r["ceiling_idr"]) if r["ceiling_idr"] != "" else None,
                     "content_hash": r["programme_id"], "first_seen": WEEK, "last_seen": WEEK, "status": "active",
                     "source_url": f"https://example.go.id/{r['programme_id']}"})
    with engine.begin() as conn:
        conn.execute(programmes.insert(), rows)
        conn.execute(source_runs.insert().values(source="bench", week_start=WEEK, health="ok", parsed=len(rows),
                                                 started_at=datetime.now(UTC)))


STAGES = ("import", "match", "build", "reports", "queue")


def run_stage(stage: str, code: str) -> None:
    """One region's task of one stage, exactly as the DAG's mapped task calls it."""
    from nyengget.pipeline import registry, weekly

    if stage == "import":
        registry.import_opd_directory(code)
        registry.import_innovation_registry(code)
    elif stage == "match":
        weekly.match_week(WEEK, code)
    elif stage == "build":
        weekly.build_list(WEEK, code)
    elif stage == "reports":
        weekly.write_reports(WEEK, code)
    else:
        weekly.queue_emails(WEEK, code)


def reference_seconds(repeats: int = 3) -> float:
    """Median seconds of a fixed single-core workload that no code of the project runs (Python loops, string
    joins, a numpy sort): how fast the machine is this hour. This 2-core machine's speed moves by up to
    ±50 % within an hour; `seconds / reference` compares runs of different hours."""
    rng = np.random.default_rng(0)
    data = rng.random(2_000_000)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        total = sum(i * i % 7 for i in range(1_500_000))
        text = " ".join(str(i) for i in range(300_000))
        np.sort(data)
        times.append(time.perf_counter() - started)
        assert total and text
    return float(np.median(times))


def peak_mib() -> float:
    """Peak RSS of this process or of its largest worker (workers are what a Celery worker would hold)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def run(args: argparse.Namespace) -> int:
    root = Path(tempfile.mkdtemp(prefix="nyengget-national-"))
    t0 = time.perf_counter()
    regions_file, catalogue, n_inn = synthesise(root, args.regions, args.innovations, args.programmes)
    os.environ.update(NYENGGET_HOME=str(root / "home"), NYENGGET_REGIONS_FILE=str(regions_file),
                      NYENGGET_MAIL_DELIVERY="file", NYENGGET_LINK_SECRET=secrets.token_hex(24),
                      NYENGGET_WAREHOUSE_URL=args.warehouse or f"sqlite:///{root / 'warehouse.sqlite'}")
    from nyengget.pipeline import registry
    from nyengget.warehouse.db import get_engine

    engine = get_engine()
    load_catalogue(engine, catalogue)
    print(f"synthesised {args.regions} regions, {n_inn} innovations, {len(catalogue)} programmes "
          f"in {time.perf_counter() - t0:.1f} s under {root}", flush=True)
    before = reference_seconds()
    stages = [s for s in STAGES if not (args.skip_reports and s == "reports")]
    seconds: dict[str, float] = defaultdict(float)
    codes = registry.region_codes()
    engine.dispose()  # worker processes open their own connections
    pool = ProcessPoolExecutor(args.workers, mp_context=get_context("fork")) if args.workers > 1 else None
    for stage in stages:  # stage by stage, as the DAGs run them (each mapped over the regions, on N workers)
        started = time.perf_counter()
        if pool is None:
            for code in codes:
                run_stage(stage, code)
        else:
            list(pool.map(run_stage, [stage] * len(codes), codes, chunksize=max(1, len(codes) // (8 * args.workers))))
        seconds[stage] = time.perf_counter() - started
        print(f"  {stage:<8} {seconds[stage]:8.1f} s  {seconds[stage] / len(codes) * 1000:8.1f} ms/region  "
              f"peak {peak_mib():7.0f} MiB", flush=True)
    if pool is not None:
        pool.shutdown()  # the workers' peak RSS is counted once they have exited
    total = sum(seconds.values())
    dominant = max(seconds, key=seconds.get)
    print(f"dominant stage: {dominant} ({seconds[dominant] / total:.0%} of {total:.1f} s)")
    reference = (before + reference_seconds()) / 2
    print(f"machine: reference_s={reference:.3f} (before {before:.3f}); seconds/reference={total / reference:.0f}")
    print(f"national: regions={len(codes)} innovations={n_inn} programmes={len(catalogue)} seconds={total:.1f} "
          f"peak_mib={peak_mib():.0f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=552)
    parser.add_argument("--innovations", type=int, default=100, help="about this many per region")
    parser.add_argument("--programmes", type=int, default=3000)
    parser.add_argument("--skip-reports", action="store_true", help="leave out the XLSX/HTML reports stage")
    parser.add_argument("--workers", type=int, default=2, help="processes per stage, like Celery workers (2 cores)")
    parser.add_argument("--warehouse", help="SQLAlchemy URL (default: a fresh SQLite file)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
