"""DAG integrity: the DAG files import cleanly, fast, without I/O, and follow the house rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DAG_IDS = {"nyengget_programmes", "nyengget_innovations", "nyengget_match", "nyengget_weekly", "nyengget_reminders",
           "nyengget_health"}


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(str(REPO / "dags"))


def test_no_import_errors_and_all_dags_present(dagbag):
    assert dagbag.import_errors == {}
    assert DAG_IDS <= set(dagbag.dags)


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_house_rules(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.owner == "bappeda-data"
    assert "nyengget" in dag.tags
    assert dag.doc_md and len(dag.doc_md) > 100
    assert dag.catchup is False
    assert str(dag.timezone) in ("Asia/Jakarta", "Timezone('Asia/Jakarta')")
    for task in dag.tasks:
        assert task.retries >= 2, task.task_id
        assert task.retry_exponential_backoff, task.task_id
        assert task.on_failure_callback, task.task_id


@pytest.mark.parametrize("path", sorted((REPO / "dags").glob("*.py")), ids=lambda p: p.name)
def test_catchup_is_explicit(path):
    assert "catchup=False" in path.read_text()


def test_assets_join_the_dags(dagbag):
    match = dagbag.dags["nyengget_match"]
    triggers = {asset.name for asset in match.timetable.asset_condition.objects}
    assert triggers == {"nyengget_programmes", "nyengget_innovations"}
    producers = {t.task_id: [o.name for o in t.outlets] for d in dagbag.dags.values() for t in d.tasks if t.outlets}
    assert producers["publish"] == ["nyengget_programmes"]
    assert producers["import_innovations"] == ["nyengget_innovations"]
    assert producers["match"] == ["nyengget_matches"]
    assert producers["build_list"] == ["nyengget_weekly"]


def test_one_ingest_task_per_source_with_its_host_pool(dagbag):
    from nyengget.sources.registry import list_sources

    dag = dagbag.dags["nyengget_programmes"]
    for src in list_sources():
        task = dag.get_task(f"ingest_{src.name}")
        assert task.pool == src.pool


PARSE_PROBE = r"""
import json, socket, sys, time
def refuse(*a, **k):
    raise AssertionError("network I/O at DAG parse time")
socket.socket.connect = refuse
socket.create_connection = refuse
import airflow.sdk  # the framework's own import cost is not the DAG's
results = {}
for path in sys.argv[1:]:
    t = time.perf_counter()
    ns = {"__name__": "dagfile"}
    exec(compile(open(path).read(), path, "exec"), ns)
    results[path] = time.perf_counter() - t
print(json.dumps(results))
"""


def test_parsing_is_fast_and_does_no_io(tmp_path):
    env = {**os.environ, "NYENGGET_HOME": str(tmp_path / "home")}
    files = [str(p) for p in sorted((REPO / "dags").glob("*.py"))]
    out = subprocess.run([sys.executable, "-c", PARSE_PROBE, *files], env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    times = json.loads(out.stdout.strip().splitlines()[-1])
    assert max(times.values()) < 1.0, times
    assert not (tmp_path / "home" / "warehouse.sqlite").exists(), "a DAG file touched the warehouse"
