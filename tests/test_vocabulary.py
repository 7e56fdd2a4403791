"""Levels, funding types and statuses are defined once and imported everywhere."""

from __future__ import annotations

import re

from nyengget.settings import REPO_ROOT

DEFINITIONS = {
    "recipient levels": re.compile(r"""["']provinsi["'],\s*["']kabupaten["'],\s*["']kota["']"""),
    "funding types": re.compile(r"""["']DAK Fisik["'],\s*["']DAK Non-Fisik["']"""),
    "statuses": re.compile(r"""^\s*(STATUSES|PURSUED|DISMISSED)\s*=""", re.M),
}
HOMES = {"recipient levels": "funding.py", "funding types": "funding.py", "statuses": "decisions.py"}


def test_each_vocabulary_is_defined_in_one_module():
    for idea, pattern in DEFINITIONS.items():
        where = sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "include" / "nyengget").rglob("*.py")
                       if pattern.search(p.read_text(encoding="utf-8")))
        assert where == [f"include/nyengget/{HOMES[idea]}"], f"{idea} defined in {where}"


def test_the_statuses_shim_is_gone():
    assert not (REPO_ROOT / "include" / "nyengget" / "weekly" / "statuses.py").exists()
