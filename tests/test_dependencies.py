"""Pins earn their place: every direct pin is locked, the lock is the install, unused pins are gone."""

from __future__ import annotations

import re
import subprocess
import sys

from packaging.utils import canonicalize_name

from nyengget.settings import REPO_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s#]+)")


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / name).read_text(encoding="utf-8").splitlines():
        m = PIN.match(line.strip())
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def test_every_direct_pin_is_in_the_lock_at_the_same_version():
    lock = _pins("constraints.txt")
    for name in ("requirements.txt", "requirements-dev.txt"):
        for package, version in _pins(name).items():
            assert lock.get(package) == version, f"{name}: {package}=={version}, constraints.txt: {lock.get(package)}"


def test_the_lock_is_the_install():
    """constraints.txt is what `make lock` writes from this install: nothing missing, nothing extra."""
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], check=True,
                            capture_output=True, text=True).stdout
    installed = {canonicalize_name(m.group(1)): m.group(2) for m in map(PIN.match, frozen.splitlines()) if m}
    assert installed == _pins("constraints.txt"), "run `make lock` after changing a pin"


def test_no_runtime_pin_that_nothing_needs():
    runtime = _pins("requirements.txt")
    assert "dateparser" not in runtime  # htmldate's own dependency, locked in constraints.txt only
    assert "scikit-learn" not in runtime  # the benchmark's baseline: requirements-dev.txt
    assert "scikit-learn" in _pins("requirements-dev.txt")


def test_the_weekly_tasks_do_not_load_the_html_readers_or_alembic_on_import():
    """Every Airflow task is a process of its own: the weekly stage's module loads what it needs, not the
    scraping libraries (records only need `pages.clean`) nor Alembic (loaded when the warehouse is migrated)."""
    heavy = ("bs4", "trafilatura", "htmldate", "alembic")
    code = f"import sys, nyengget.pipeline.weekly; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == ""
