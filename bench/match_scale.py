"""Matcher speed and memory at national scale, through the CLI (CSV in, CSV out).

Generates a deterministic synthetic workload from the shared data's vocabulary (5,000 programmes;
5k / 20k / 50k innovations; and a Kota Serang-sized run of 80 x 500), runs `nyengget match` as a
subprocess, and prints wall time and the child's peak RSS (medians of --repeats runs), next to a
plain scikit-learn TF-IDF cosine top-k over the same files, also run as a subprocess.

Usage: .venv/bin/python bench/match_scale.py [--repeats 3] [--sizes 5000,20000,50000] [--quick]
       [--data ../shared/data/match]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "match"  # --data for a worktree elsewhere
OUT = Path(__file__).resolve().parent / "out"
AS_OF = "2026-11-01"
SEED = 20261101
N_PROGRAMMES = 5000
LEVEL_CHOICES = ["kabupaten;kota", "provinsi;kabupaten;kota", "provinsi", "kabupaten", "kota", "provinsi;kabupaten"]
LEVEL_P = [0.45, 0.3, 0.1, 0.07, 0.05, 0.03]


# ------------------------------------------------------------------ workload
def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=\.)\s+", text) if s.strip()]


def _mix(rng: np.random.Generator, texts: list[str], vocab: np.ndarray, n_src: int, noise: float) -> str:
    """Sentences from `n_src` random texts, with a share of words replaced by random vocabulary."""
    picks = rng.choice(len(texts), size=n_src, replace=False)
    sents = [s for p in picks for s in _sentences(texts[p])]
    keep = rng.choice(len(sents), size=max(2, min(len(sents), 4 + int(rng.integers(0, 3)))), replace=False)
    words = " ".join(sents[k] for k in sorted(keep)).split()
    swap = rng.random(len(words)) < noise
    for k in np.flatnonzero(swap):
        words[k] = str(vocab[rng.integers(len(vocab))])
    return " ".join(words)


def make_programmes(src: pd.DataFrame, n: int, vocab: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    texts = list(src["description"])
    rows = []
    for k in range(n):
        t = src.iloc[int(rng.integers(len(src)))]
        fy = int(rng.choice([2025, 2026, 2027], p=[0.1, 0.3, 0.6]))
        windowed = rng.random() < 0.4
        opens = pd.Timestamp(f"{fy - 1}-01-01") + pd.Timedelta(days=int(rng.integers(0, 500)))
        closes = opens + pd.Timedelta(days=int(rng.integers(10, 120)))
        rows.append({
            "programme_id": f"N{k:05d}",
            "title": f"{t['title']} {vocab[rng.integers(len(vocab))]}",
            "description": _mix(rng, texts, vocab, 2, 0.08),
            "funding_type": t["funding_type"], "ministry": t["ministry"], "bidang": t["bidang"],
            "subbidang": t["subbidang"], "fiscal_year": fy,
            "recipient_levels": str(rng.choice(LEVEL_CHOICES, p=LEVEL_P)),
            "opens_on": opens.date().isoformat() if windowed else "",
            "closes_on": closes.date().isoformat() if windowed else "",
            "ceiling_idr": int(rng.integers(1, 500)) * 10**8 if rng.random() < 0.7 else "",
        })
    return pd.DataFrame(rows)


def make_innovations(src: pd.DataFrame, n: int, vocab: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    texts = list(src["description"])
    urusan = sorted(set(src["urusan"]))
    rows = []
    for k in range(n):
        t = src.iloc[int(rng.integers(len(src)))]
        u = t["urusan"] if rng.random() < 0.8 else f"{t['urusan']};{urusan[int(rng.integers(len(urusan)))]}"
        rows.append({
            "innovation_id": f"I{k:06d}", "name": f"{t['name'].split('(')[0].strip()} {k}", "opd": t["opd"],
            "urusan": u, "bentuk": t["bentuk"], "jenis": t["jenis"], "tahapan": t["tahapan"],
            "description": _mix(rng, texts, vocab, 2, 0.12),
        })
    return pd.DataFrame(rows)


def workload(n_inn: int, n_prog: int, data: Path = DATA) -> tuple[Path, Path]:
    """Write (once) and return the programmes/innovations CSVs for a size; deterministic per size."""
    OUT.mkdir(parents=True, exist_ok=True)
    p_path, i_path = OUT / f"programmes_{n_prog}.csv", OUT / f"innovations_{n_inn}.csv"
    progs = pd.read_csv(data / "programmes.csv", dtype=str, keep_default_na=False)
    inns = pd.read_csv(data / "innovations_dev.csv", dtype=str, keep_default_na=False)
    text = " ".join(list(progs["description"]) + list(inns["description"]))
    vocab = np.array(sorted(set(re.findall(r"[A-Za-z]+", text))))
    if not p_path.exists():
        make_programmes(progs, n_prog, vocab, np.random.default_rng(SEED + n_prog)).to_csv(p_path, index=False)
    if not i_path.exists():
        make_innovations(inns, n_inn, vocab, np.random.default_rng(SEED + n_inn)).to_csv(i_path, index=False)
    return p_path, i_path


# ------------------------------------------------------------------ runs
def run_child(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024.0


def ours(p_path: Path, i_path: Path, top: int) -> list[str]:
    out = OUT / f"ranked_{i_path.stem}.csv"
    return [sys.executable, "-m", "nyengget.cli", "match", "--programmes", str(p_path), "--innovations",
            str(i_path), "--as-of", AS_OF, "--level", "kota", "--top", str(top), "--out", str(out)]


def sklearn_cmd(p_path: Path, i_path: Path, top: int) -> list[str]:
    return [sys.executable, __file__, "--sklearn-baseline", str(p_path), str(i_path), str(top)]


def sklearn_baseline(p_path: str, i_path: str, top: int) -> None:
    """Plain TF-IDF (sklearn defaults) cosine top-k, chunked; reads and writes CSV like the CLI."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    progs = pd.read_csv(p_path, dtype=str, keep_default_na=False)
    inns = pd.read_csv(i_path, dtype=str, keep_default_na=False)
    vec = TfidfVectorizer()
    pm = vec.fit_transform(progs["title"] + " " + progs["description"])
    im = vec.transform(inns["name"] + " " + inns["description"])
    pt = pm.T.tocsr()
    out_i, out_p, out_s = [], [], []
    for s in range(0, im.shape[0], 2048):
        sim = (im[s:s + 2048] @ pt).toarray()
        idx = np.argpartition(-sim, top - 1, axis=1)[:, :top]
        vals = np.take_along_axis(sim, idx, axis=1)
        order = np.argsort(-vals, axis=1)
        out_i.append(np.repeat(np.arange(s, s + sim.shape[0]), top))
        out_p.append(np.take_along_axis(idx, order, axis=1).ravel())
        out_s.append(np.take_along_axis(vals, order, axis=1).ravel())
    ii, pp = np.concatenate(out_i), np.concatenate(out_p)
    pd.DataFrame({"innovation_id": inns["innovation_id"].to_numpy()[ii], "programme_id": progs["programme_id"].to_numpy()[pp],
                  "rank": np.tile(np.arange(1, top + 1), len(inns)), "score": np.concatenate(out_s)}).to_csv(
        OUT / f"sklearn_{Path(i_path).stem}.csv", index=False, float_format="%.4f")


def measure(cmd: list[str], repeats: int) -> tuple[float, float]:
    runs = [run_child(cmd) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def compare(ours_cmd: list[str], ref_cmd: list[str], repeats: int) -> dict[str, float]:
    """Ours and the reference alternately (the same machine load for both), medians and the median of
    the per-repeat ratios; peaks are the largest of the repeats."""
    ours_runs, ref_runs = [], []
    for _ in range(repeats):
        ours_runs.append(run_child(ours_cmd))
        ref_runs.append(run_child(ref_cmd))
    return {"ours": statistics.median(r[0] for r in ours_runs), "ours_mib": max(r[1] for r in ours_runs),
            "ref": statistics.median(r[0] for r in ref_runs), "ref_mib": max(r[1] for r in ref_runs),
            "ratio": statistics.median(o[0] / r[0] for o, r in zip(ours_runs, ref_runs, strict=True))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="5000,20000,50000")
    parser.add_argument("--quick", action="store_true", help="5,000 innovations only (for trying changes)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--data", type=Path, default=DATA, help="shared match data (default ../shared/data/match)")
    parser.add_argument("--sklearn-baseline", nargs=3, metavar=("PROGRAMMES", "INNOVATIONS", "TOP"))
    args = parser.parse_args(argv)
    if args.sklearn_baseline:
        p, i, top = args.sklearn_baseline
        sklearn_baseline(p, i, int(top))
        return 0
    if not (args.data / "programmes.csv").exists():
        print(f"skipped: shared match data not found at {args.data} (needed to build the workload)")
        return 0
    sizes = [5000] if args.quick else [int(x) for x in args.sizes.split(",")]
    print(f"{'workload':<22} {'ours s':>7} {'ours MiB':>9} {'tfidf s':>8} {'tfidf MiB':>10} {'ratio':>6}"
          f"  (medians of {args.repeats}; ratio = median of ours/tfidf per repeat)")
    p_small, i_small = workload(80, 500, args.data)
    t, m = measure(ours(p_small, i_small, args.top), max(args.repeats, 5))
    print(f"{'Kota Serang 80 x 500':<22} {t:>7.2f} {m:>9.0f} {'':>8} {'':>10} {'':>6}  target < 2 s")
    for n in sizes:
        p_path, i_path = workload(n, N_PROGRAMMES, args.data)
        r = compare(ours(p_path, i_path, args.top), sklearn_cmd(p_path, i_path, args.top), args.repeats)
        print(f"{f'{n:,} x {N_PROGRAMMES:,}':<22} {r['ours']:>7.2f} {r['ours_mib']:>9.0f} {r['ref']:>8.2f}"
              f" {r['ref_mib']:>10.0f} {r['ratio']:>6.2f}"
              + ("  targets: ratio <= 0.5, <= 1536 MiB" if n >= 50000 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
