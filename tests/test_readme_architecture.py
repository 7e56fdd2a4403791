"""The README's architecture section names modules, files and tables that exist."""

from __future__ import annotations

import re

from nyengget.settings import REPO_ROOT
from nyengget.warehouse.schema import metadata

PACKAGE = REPO_ROOT / "include" / "nyengget"


def _section() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Architecture\n", 1)[1].split("\n## ", 1)[0]


def test_every_named_module_or_file_exists():
    names = set(re.findall(r"`([\w/]+(?:\.py|\.yaml|/))`", _section()))
    assert len(names) > 20
    missing = [n for n in names if not any((root / n).exists() for root in (PACKAGE, REPO_ROOT, PACKAGE / "sources"))]
    assert not missing, missing


def test_every_table_of_the_schema_is_placed_between_stages():
    section = _section()
    missing = [t for t in metadata.tables if f"`{t}`" not in section]
    assert not missing, missing
