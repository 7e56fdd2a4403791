"""`nyengget airflow pools`: one Airflow pool per source host, so fetches to a host never overlap."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SLOTS_PER_HOST = 1


def host_pools() -> dict[str, str]:
    """Pool name → description, from the sources YAML."""
    from nyengget.sources.registry import list_sources

    pools: dict[str, list[str]] = {}
    for src in list_sources():
        pools.setdefault(src.pool, []).append(src.name)
    return {name: "nyengget sources: " + ", ".join(sorted(names)) for name, names in sorted(pools.items())}


def add_commands(sub: argparse._SubParsersAction) -> None:
    af = sub.add_parser("airflow", help="Airflow set-up helpers")
    af_sub = af.add_subparsers(dest="airflow_command", required=True)
    pools = af_sub.add_parser("pools", help="print (or --apply) one pool per source host")
    pools.add_argument("--apply", action="store_true", help="create/update them with `airflow pools set`")
    pools.set_defaults(func=_pools)


def _pools(args: argparse.Namespace) -> int:
    pools = host_pools()
    if not args.apply:
        print(json.dumps({n: {"slots": SLOTS_PER_HOST, "description": d} for n, d in pools.items()}, indent=2))
        return 0
    airflow = shutil.which("airflow") or str(Path(sys.executable).with_name("airflow"))
    spec = {n: {"slots": SLOTS_PER_HOST, "description": d, "include_deferred": False} for n, d in pools.items()}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    try:
        subprocess.run([airflow, "pools", "import", f.name], check=True, stdout=subprocess.DEVNULL)
    finally:
        Path(f.name).unlink()
    print(f"{len(spec)} pools of {SLOTS_PER_HOST} slot, one per source host")
    return 0
