"""The golden cases: inputs and rank() arguments, shared by make_golden.py and the test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

from nyengget.matching.ranking import Options, rank

HERE = Path(__file__).resolve().parent
TESTS_DATA = HERE.parent / "data"
SAMPLE = HERE.parents[2] / "include" / "data" / "sample" / "innovations.csv"
AS_OF = date(2026, 11, 1)
COLUMNS = ["innovation_id", "programme_id", "rank", "score", "reasons"]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _feedback(innovations: pd.DataFrame, programmes: pd.DataFrame) -> pd.DataFrame:
    """A few pursued and dismissed pairs (lift and removal), deterministic."""
    inn, prog = list(innovations["innovation_id"]), sorted(programmes["programme_id"])
    rows = [(inn[k], prog[(7 * k) % len(prog)], "sedang_diusulkan") for k in range(0, len(inn), 9)]
    rows += [(inn[k], prog[(3 * k) % len(prog)], "tidak_relevan") for k in range(1, len(inn), 5)]
    rows += [(inn[k], prog[(5 * k) % len(prog)], "didanai") for k in range(2, len(inn), 11)]
    return pd.DataFrame(rows, columns=["innovation_id", "programme_id", "status"])


def _inputs(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    if name.startswith("catalogue"):
        progs = _read(TESTS_DATA / "programmes.csv")
        inns = _read(TESTS_DATA / "innovations.csv")
        if name == "catalogue_sample":
            inns = _read(SAMPLE)
        return progs, inns
    return _read(HERE / "synthetic_programmes.csv.gz"), _read(HERE / "synthetic_innovations.csv.gz")


CASES = {
    "catalogue": {},
    "catalogue_sample": {"proposers": True},
    "catalogue_feedback": {"feedback": True, "top_k": 20},
    "synthetic": {"proposers": True},
    "synthetic_feedback": {"feedback": True},
    "synthetic_provinsi_nostem": {"level": "provinsi", "options": replace(Options(), stemming=False, dictionary=False)},
    "synthetic_flat_rules": {"options": replace(Options(), structural_evidence=False, field_weights=False)},
}


def arguments(name: str, **option_changes) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(programmes, innovations, the other rank() arguments) of one case; `option_changes` replace fields
    of the case's Options (e.g. chunk_size)."""
    spec = CASES[name]
    options = spec.get("options") or Options()
    options = replace(options, **option_changes) if option_changes else spec.get("options")
    progs, inns = _inputs(name)
    fb = _feedback(inns, progs) if spec.get("feedback") else None
    return progs, inns, {"as_of": AS_OF, "level": spec.get("level", "kota"), "top_k": spec.get("top_k", 10),
                         "feedback_rows": fb, "options": options, "proposers": spec.get("proposers", False)}


def run(name: str, **option_changes) -> pd.DataFrame:
    """rank() for one case, scores rounded to 4 places as the CLI writes them."""
    progs, inns, kwargs = arguments(name, **option_changes)
    out = rank(progs, inns, **kwargs).copy()
    out["score"] = out["score"].round(4)
    return out
