"""Matcher quality on ../shared/data/match: nDCG@10, Recall@10, MRR vs plain BM25, plus ablations.

Usage: .venv/bin/python bench/match_quality.py [--data DIR]
Also scores the self-written colloquial set in bench/match_colloquial/ (labels by the matcher's
author, not by the data's authors; read it as a generalisation check, not as ground truth).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
from match_metrics import bm25_baseline, evaluate, qrels_dict, ranked_lists

from nyengget.matching.ranking import Options, rank

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "match"
COLLOQUIAL = Path(__file__).resolve().parent / "match_colloquial"
AS_OF = date(2026, 11, 1)
ABLATIONS = {
    "stemming": "stemming",
    "dictionary": "dictionary",
    "code signal": "codes",
    "eligibility filters": "eligibility",
    "field weights": "field_weights",
    "attribute rules": "rules",
}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _ours(programmes: pd.DataFrame, innovations: pd.DataFrame, options: Options) -> dict[str, list[str]]:
    return ranked_lists(rank(programmes, innovations, as_of=AS_OF, level="kota", top_k=10, options=options))


def _row(label: str, m: dict[str, float]) -> str:
    return f"{label:<34} {m['ndcg@10']:>8.3f} {m['recall@10']:>10.3f} {m['mrr']:>7.3f}"


def _header() -> str:
    return f"{'run':<34} {'nDCG@10':>8} {'Recall@10':>10} {'MRR':>7}"


def dev_report(data: Path) -> None:
    programmes = _read(data / "programmes.csv")
    innovations = _read(data / "innovations_dev.csv")
    qrels = qrels_dict(pd.read_csv(data / "qrels_dev.csv", dtype={"relevance": int}))
    t0 = time.perf_counter()
    full = evaluate(_ours(programmes, innovations, Options()), qrels)
    elapsed = time.perf_counter() - t0
    base = evaluate(bm25_baseline(programmes, innovations), qrels)
    print(f"dev set: {len(innovations)} innovations x {len(programmes)} programmes, as of {AS_OF}")
    print(_header())
    print(_row("nyengget matcher", full))
    print(_row("plain BM25 baseline", base))
    print(f"ratio nDCG@10 matcher / BM25: {full['ndcg@10'] / base['ndcg@10']:.2f}x  (ranking took {elapsed:.2f} s)")
    print("\nablation (each signal removed in turn)")
    print(_header() + f" {'ΔnDCG':>7}")
    for label, flag in ABLATIONS.items():
        m = evaluate(_ours(programmes, innovations, replace(Options(), **{flag: False})), qrels)
        print(_row(f"- {label}", m) + f" {m['ndcg@10'] - full['ndcg@10']:>+7.3f}")


def colloquial_report(data: Path) -> None:
    if not (COLLOQUIAL / "innovations.csv").exists():
        print("\n(no self-written colloquial set under bench/match_colloquial/)")
        return
    programmes = _read(data / "programmes.csv")
    innovations = _read(COLLOQUIAL / "innovations.csv")
    qrels = qrels_dict(pd.read_csv(COLLOQUIAL / "qrels.csv", dtype={"relevance": int}))
    full = evaluate(_ours(programmes, innovations, Options()), qrels)
    base = evaluate(bm25_baseline(programmes, innovations), qrels)
    print(f"\nself-written colloquial set (author's own labels): {len(innovations)} innovations")
    print(_header())
    print(_row("nyengget matcher", full))
    print(_row("plain BM25 baseline", base))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not (args.data / "programmes.csv").exists():
        print(f"skipped: shared match data not found at {args.data} (it lives in ../shared/data/match)")
        return 0
    dev_report(args.data)
    colloquial_report(args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
