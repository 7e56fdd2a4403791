"""Backtest of the window forecast: predict each round of year N from the rounds of earlier years.

    .venv/bin/python bench/forecast.py [-v]

Rounds come from what the project holds: the curated calendar (sources/curated/*.yaml), the recorded
sources' programmes (include/snapshots/_seed/programmes.csv) and, when ../shared is present, the
dated real documents of shared/data/sources-real/expected.csv. Ends with one line:
`forecast: rounds=R families=F hit_rate=H median_error_days=D`
(hit: the real opening falls in the months the forecast names).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from statistics import median

from nyengget.forecast import model, rounds
from nyengget.forecast.windows import by_family

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "include" / "snapshots" / "_seed" / "programmes.csv"
REAL = ROOT.parent / "shared" / "data" / "sources-real" / "expected.csv"


def _csv(path: Path, origin: str) -> list[rounds.Round | None]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [rounds.from_record(r, origin) for r in csv.DictReader(fh)]


def history(shared: bool = True) -> dict[str, list[rounds.Round]]:
    found = [rounds.from_record(r, "kalender") for r in rounds.calendar_records()]
    found += (_csv(REAL, "berita") if shared else []) + _csv(SEED, "program")
    return by_family(rounds.merge(found))


def backtest(families: dict[str, list[rounds.Round]], verbose: bool = False) -> tuple[int, int, list[int]]:
    tried, hits, errors = 0, 0, []
    for fam, rs in sorted(families.items()):
        for actual in rs[1:]:
            f = model.predict(rs, actual.year)
            if f is None:
                continue
            err = model.error_days(f, actual)
            if err is None:
                continue
            tried += 1
            ok = model.hit(f, actual)
            hits += ok
            errors.append(err)
            if verbose:
                print(f"{fam[:50]:<50} {actual.year}  real {actual.opens_on or actual.closes_on}  "
                      f"forecast {f.anchor} ({f.earliest}..{f.latest}, {f.confidence})  "
                      f"{'hit' if ok else 'miss'} {err} d")
    return tried, hits, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if REAL.exists():
        print("without the shared real documents: " + _line(history(shared=False)))
    families = history()
    print(f"sources: calendar + recorded sources{' + shared real documents' if REAL.exists() else ''}")
    print(_line(families, args.verbose))


def _line(families: dict[str, list[rounds.Round]], verbose: bool = False) -> str:
    tried, hits, errors = backtest(families, verbose)
    rate = hits / tried if tried else 0.0
    med = median(errors) if errors else float("nan")
    return (f"forecast: rounds={tried} families={sum(len(v) > 1 for v in families.values())} "
            f"hit_rate={rate:.2f} median_error_days={med:.0f}")


if __name__ == "__main__":
    main()
