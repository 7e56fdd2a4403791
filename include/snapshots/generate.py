"""Generate the recorded source documents of include/snapshots/<week>/ (both weeks).

    .venv/bin/python include/snapshots/generate.py

Documents sit under the real sites' URLs (the shipped sources.yaml) in their real page shapes (each
`_gen` module says which); contents come from `_seed/programmes.csv` plus the week-2 changes in `_gen/`.
Binary fixtures (PDF via fpdf2, XLSX via openpyxl) are generated here and committed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_gen"))

import announcements  # noqa: E402
import common  # noqa: E402

MODULES = ["announcements", "regulations", "juknis", "djpk"]


def main() -> None:
    for week in common.WEEKS:
        target = HERE / week
        if target.exists():
            shutil.rmtree(target)
        counts = {}
        for name in MODULES:
            try:
                module = __import__(name)
            except ModuleNotFoundError:
                continue
            counts[name] = module.generate(week)
        print(week, counts)


if __name__ == "__main__":
    main()
    _ = announcements
