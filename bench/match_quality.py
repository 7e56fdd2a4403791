"""Matcher quality on ../shared/data/match: nDCG@10, Recall@10, MRR overall and topical, ablations,
and the structural share of top-5 slots.

"Topical" removes the structural programmes (those a rule in rules.yaml recognises: innovation index
and award, public-service competition, governance-innovation insentif, smart city) from both the
catalogue and the labels, so it measures the text/code ranking alone. "Structural share" is the
fraction of top-5 slots held by structural programmes, on the dev set and on the sample week's
78 colloquial innovations (include/data/sample, no labels).

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

from nyengget.matching.inputs import clean_programmes
from nyengget.matching.ranking import Options, rank
from nyengget.matching.rules import load_rules, programme_rules

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "match"
COLLOQUIAL = Path(__file__).resolve().parent / "match_colloquial"
SAMPLE = REPO / "include" / "data" / "sample" / "innovations.csv"
AS_OF = date(2026, 11, 1)
TARGETS = {"overall": 0.92, "topical": 0.90, "structural_share": 0.20}
ABLATIONS = {
    "stemming": "stemming",
    "stem guards": "stem_guards",
    "dictionary": "dictionary",
    "acronym context": "acronym_context",
    "code signal": "codes",
    "eligibility filters": "eligibility",
    "field weights": "field_weights",
    "attribute rules": "rules",
    "rules as evidence (flat 0.6)": "structural_evidence",
    "structural cap": "structural_cap",
    "structural right below the list": "structural_below_list",
    "physical work (purpose)": "physical_work",
    "stated aim (purpose)": "stated_aim",
}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _ours(programmes: pd.DataFrame, innovations: pd.DataFrame, options: Options) -> dict[str, list[str]]:
    return ranked_lists(rank(programmes, innovations, as_of=AS_OF, level="kota", top_k=10, options=options))


def structural_ids(programmes: pd.DataFrame) -> set[str]:
    """Programme ids a structural rule recognises."""
    progs = clean_programmes(programmes)
    return {p for p, r in zip(progs["programme_id"], programme_rules(load_rules(), progs), strict=True) if r >= 0}


def structural_share(ranked: dict[str, list[str]], structural: set[str], k: int = 5) -> float:
    slots = [p for ids in ranked.values() for p in ids[:k]]
    return sum(p in structural for p in slots) / len(slots) if slots else 0.0


def _row(label: str, m: dict[str, float]) -> str:
    return f"{label:<34} {m['ndcg@10']:>8.3f} {m['recall@10']:>10.3f} {m['mrr']:>7.3f}"


def _header() -> str:
    return f"{'run':<34} {'nDCG@10':>8} {'Recall@10':>10} {'MRR':>7}"


def _topical(programmes: pd.DataFrame, qrels: dict, structural: set[str]) -> tuple[pd.DataFrame, dict]:
    progs = programmes[~programmes["programme_id"].isin(structural)]
    labels = {i: {p: g for p, g in ls.items() if p not in structural} for i, ls in qrels.items()}
    return progs, {i: ls for i, ls in labels.items() if ls}


def dev_report(data: Path) -> None:
    programmes = _read(data / "programmes.csv")
    innovations = _read(data / "innovations_dev.csv")
    qrels = qrels_dict(pd.read_csv(data / "qrels_dev.csv", dtype={"relevance": int}))
    structural = structural_ids(programmes)
    t_progs, t_qrels = _topical(programmes, qrels, structural)
    t0 = time.perf_counter()
    ours = _ours(programmes, innovations, Options())
    elapsed = time.perf_counter() - t0
    full = evaluate(ours, qrels)
    topical = evaluate(_ours(t_progs, innovations, Options()), t_qrels)
    base = evaluate(bm25_baseline(programmes, innovations), qrels)
    t_base = evaluate(bm25_baseline(t_progs, innovations), t_qrels)
    share = structural_share(ours, structural)
    print(f"dev set: {len(innovations)} innovations x {len(programmes)} programmes, as of {AS_OF}; "
          f"structural programmes: {', '.join(sorted(structural))}")
    print(_header())
    print(_row("nyengget matcher", full) + f"   target nDCG >= {TARGETS['overall']}")
    print(_row("nyengget matcher, topical", topical) + f"   target nDCG >= {TARGETS['topical']}")
    print(_row("plain BM25 baseline", base))
    print(_row("plain BM25 baseline, topical", t_base))
    print(f"ratio nDCG@10 matcher / BM25: {full['ndcg@10'] / base['ndcg@10']:.2f}x  (ranking took {elapsed:.2f} s)")
    print(f"structural share of top-5 slots (dev): {share:.1%}   target <= {TARGETS['structural_share']:.0%}")
    if SAMPLE.exists():
        sample = _ours(programmes, _read(SAMPLE), Options())
        print(f"structural share of top-5 slots (sample week, {len(sample)} innovations): "
              f"{structural_share(sample, structural):.1%}")
    print("\nablation (each signal removed in turn; share = structural share of top-5 on dev)")
    print(_header() + f" {'ΔnDCG':>7} {'topical':>8} {'share':>6}")
    for label, flag in ABLATIONS.items():
        opts = replace(Options(), **{flag: False})
        ranked = _ours(programmes, innovations, opts)
        m = evaluate(ranked, qrels)
        t = evaluate(_ours(t_progs, innovations, opts), t_qrels)
        print(_row(f"- {label}", m) + f" {m['ndcg@10'] - full['ndcg@10']:>+7.3f} {t['ndcg@10']:>8.3f}"
              f" {structural_share(ranked, structural):>6.1%}")


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
