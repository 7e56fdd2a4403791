"""The matcher's YAML files (dictionary, codes, rules, proposers) read with libyaml's C loader when PyYAML
has it: the same data as yaml.safe_load, several times faster (they are read on every run)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=LOADER)  # a safe loader (C or Python)
