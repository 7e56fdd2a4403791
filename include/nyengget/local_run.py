"""`make run`: the weekly pipeline end to end through Airflow (`dag.test()`) on the embedded default.

For each replayed week: the recorded sources are served over HTTP on 127.0.0.1, then the DAGs run in
the order their assets join them (innovations, programmes → match → weekly). Airflow's own log goes
to NYENGGET_HOME/logs/; the terminal gets progress and the week's list.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

from nyengget.orchestration import local as local_airflow

DEFAULT_WEEKS = ("2026-W47", "2026-W48")
# (dag_id, time of its run on the Monday in WIB). Match and health are asset-triggered in production;
# here they run in the same order with the week in their conf.
ORDER = (
    ("nyengget_innovations", dtime(3)), ("nyengget_programmes", dtime(4)), ("nyengget_match", dtime(5)),
    ("nyengget_weekly", dtime(6)), ("nyengget_health", dtime(6, 30)),
)


@contextlib.contextmanager
def output_to(path: Path) -> Iterator[None]:
    """Send this process's stdout/stderr (file descriptors, so Airflow's too) to `path` for a while."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(path, "a") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def run_week(bag, label: str, log_path: Path) -> bool:
    """Run the DAGs for one week; False as soon as one run does not succeed."""
    from nyengget.config import get_settings
    from nyengget.sources.replay import serve
    from nyengget.weeks import JAKARTA, parse_week

    monday = parse_week(label)
    with serve(get_settings().snapshots_dir / label) as base_url:
        os.environ["NYENGGET_SOURCES_BASE_URL"] = base_url
        for dag_id, at in ORDER:
            logical = datetime.combine(monday, at, tzinfo=JAKARTA)
            started = time.monotonic()
            with output_to(log_path):
                run = bag.dags[dag_id].test(logical_date=logical, run_conf={"week": label})
            state = str(getattr(run.state, "value", run.state))
            print(f"  {label}  {dag_id:<22} {state:<8} {time.monotonic() - started:5.1f} s", flush=True)
            if state != "success":
                return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", nargs="+", default=list(DEFAULT_WEEKS))
    args = parser.parse_args(argv)
    os.environ.setdefault("NYENGGET_RETRY_DELAY_SECONDS", "5")  # a replay that fails should say so quickly
    env = local_airflow.configure()
    from nyengget.config import get_settings

    home = get_settings().home
    log_path = home / "logs" / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
    print(f"Nyengget embedded run — NYENGGET_HOME={home}")
    t0 = time.monotonic()
    local_airflow.migrate_metadata()
    from airflow.dag_processing.dagbag import DagBag

    from nyengget.warehouse.db import get_engine

    with output_to(log_path):
        engine = get_engine()
        bag = DagBag(env["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        print(f"DAG import errors: {bag.import_errors}", file=sys.stderr)
        return 1
    print(f"Airflow metadata and warehouse ready ({time.monotonic() - t0:.1f} s); running DAGs, log: {log_path}")
    for label in args.weeks:
        if not run_week(bag, label, log_path):
            print(f"A DAG run failed for {label}; see {log_path}", file=sys.stderr)
            return 1
    return print_result(engine, args.weeks[-1], home, time.monotonic() - t0, log_path)


def print_result(engine, label: str, home: Path, seconds: float, log_path: Path | None = None) -> int:
    """A short summary a planner can read; the full per-OPD table goes to the log."""
    from nyengget.regions import configured_regions
    from nyengget.weekly.summary import planner_lines
    from nyengget.weekly.table import render_week
    from nyengget.weeks import parse_week

    monday = parse_week(label)
    for region in configured_regions():
        lines, week = planner_lines(engine, monday, home, region)
        if log_path is not None:
            with open(log_path, "a", encoding="utf-8") as log:
                table = render_week(engine, week, monday, region.code)
                log.write(f"\n=== weekly list {label}, {region.name} ({region.code}) (top per OPD) ===\n"
                          f"{table}\nwarehouse: {engine.url.render_as_string(hide_password=True)}\n")
        print()
        print("\n".join(lines))
    print(f"\nSelesai dalam {seconds:.0f} detik. Rincian teknis: {log_path or home / 'logs'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
