"""Record rank() outputs as the golden reference for test_match_golden.py.

Run with the implementation whose rankings are to be kept (the files in this folder were written by
the matcher as of commit 88e840a, before the #17 speed work), from the repository root:

    .venv/bin/python tests/matching/golden/make_golden.py --data ../shared/data/match

Writes the synthetic inputs (so the test needs no shared data) and one ranked CSV per case.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(HERE))

import cases  # noqa: E402
import match_scale  # noqa: E402

N_PROGRAMMES, N_INNOVATIONS, SEED = 400, 300, 17


def synthetic(data: Path) -> None:
    """400 programmes and 300 innovations mixed from the shared texts (bench generator), a tenth of the
    innovations repeating another's description (the per-text cache must give them the same reasons)."""
    progs = pd.read_csv(data / "programmes.csv", dtype=str, keep_default_na=False)
    inns = pd.read_csv(data / "innovations_dev.csv", dtype=str, keep_default_na=False)
    text = " ".join(list(progs["description"]) + list(inns["description"]))
    vocab = np.array(sorted(set(match_scale.re.findall(r"[A-Za-z]+", text))))
    rng = np.random.default_rng(SEED)
    p = match_scale.make_programmes(progs, N_PROGRAMMES, vocab, rng)
    i = match_scale.make_innovations(inns, N_INNOVATIONS, vocab, rng)
    dup = rng.choice(N_INNOVATIONS, size=N_INNOVATIONS // 10, replace=False)
    i.loc[dup[1:], "description"] = i.loc[dup[:-1], "description"].to_numpy()
    p.to_csv(HERE / "synthetic_programmes.csv.gz", index=False)
    i.to_csv(HERE / "synthetic_innovations.csv.gz", index=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "match")
    args = parser.parse_args()
    synthetic(args.data)
    for name in cases.CASES:
        out = cases.run(name)
        out.to_csv(HERE / f"{name}.csv.gz", index=False)
        print(f"{name}: {len(out)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
