"""DAG integrity: the DAG files import cleanly, fast, without I/O, and follow the house rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from airflow.sdk.exceptions import ParamValidationError

from nyengget.orchestration.dag_support import NO_RETRY
from nyengget.weekly.gates import GATES
from nyengget.weeks import WEEK_PATTERN

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


# Tasks that only report what other tasks found: their failure is the alert of another task (or they are
# the alert), so they carry no failure callback of their own. The watcher never retries.
SILENT = {"watcher", "region_week.hold_emails", *(f"region_week.{gate}" for gate in GATES)}


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_house_rules(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.owner == "bappeda-data"
    assert "nyengget" in dag.tags
    assert dag.doc_md and len(dag.doc_md) > 100
    assert dag.catchup is False
    assert str(dag.timezone) in ("Asia/Jakarta", "Timezone('Asia/Jakarta')")
    for task in dag.tasks:
        assert task.retries >= (0 if task.task_id == "watcher" else 2), task.task_id
        assert task.retry_exponential_backoff, task.task_id
        assert bool(task.on_failure_callback) is (task.task_id not in SILENT), task.task_id
        assert task.retry_policy is NO_RETRY or task.task_id == "watcher", task.task_id


@pytest.mark.parametrize("path", sorted((REPO / "dags").glob("*.py")), ids=lambda p: p.name)
def test_catchup_is_explicit(path):
    assert "catchup=False" in path.read_text()


def _names(condition) -> set[str]:
    return {a.name for a in getattr(condition, "objects", [condition])}


def test_schedules_follow_the_data(dagbag):
    from airflow.sdk.definitions.asset import AssetAll

    match = dagbag.dags["nyengget_match"].timetable
    assert isinstance(match.asset_condition, AssetAll)  # programmes AND innovations, not OR
    assert {a.name for a in match.asset_condition.objects} == {"nyengget_programmes", "nyengget_innovations"}
    weekly = dagbag.dags["nyengget_weekly"].timetable
    assert type(weekly).__name__ == "AssetOrTimeSchedule"  # the week's matches, or the 09:00 deadline run
    assert _names(weekly.asset_condition) == {"nyengget_matches"}
    assert weekly.timetable.expression == "0 9 * * 1" and str(weekly.timetable.timezone) == "Asia/Jakarta"
    health = dagbag.dags["nyengget_health"].timetable
    assert _names(health.asset_condition) == {"nyengget_weekly"}
    for dag_id, expression in (("nyengget_innovations", "0 3 * * 1"), ("nyengget_programmes", "0 4 * * 1"),
                               ("nyengget_reminders", "0 7 * * *")):
        assert dagbag.dags[dag_id].timetable.expression == expression


def test_assets_join_the_dags(dagbag):
    producers = {(d.dag_id, t.task_id): [o.name for o in t.outlets]
                 for d in dagbag.dags.values() for t in d.tasks if t.outlets}
    assert producers == {  # one event per DAG run, whatever the number of regions
        ("nyengget_programmes", "publish"): ["nyengget_programmes"],
        ("nyengget_innovations", "publish"): ["nyengget_innovations"],
        ("nyengget_match", "publish"): ["nyengget_matches"],
        ("nyengget_weekly", "published"): ["nyengget_weekly"],
    }
    weekly = dagbag.dags["nyengget_weekly"]  # health wakes after the emails, not before
    assert "region_week.send_emails" in weekly.get_task("published").upstream_task_ids


def test_gates_stand_before_the_regions_emails(dagbag):
    """Each region's gates run in its own mapped task group, after its list and before its emails."""
    weekly = dagbag.dags["nyengget_weekly"]
    group = weekly.task_group.get_task_group_dict()["region_week"]
    gates = {f"region_week.{gate}" for gate in GATES}
    assert gates | {"region_week.build_list", "region_week.hold_emails"} <= set(group.children)
    queue = weekly.get_task("region_week.queue_emails")
    assert gates <= queue.get_flat_relative_ids(upstream=True)
    assert weekly.get_task("region_week.hold_emails").upstream_task_ids == gates | {"regions"}  # its region_code
    for gate in gates:
        task = weekly.get_task(gate)
        assert task.conn_id == "nyengget_warehouse" and task.retry_on_failure is False
        assert task.upstream_task_ids == {"region_week.build_list"}
        assert "region_code = '{{" in task.sql and "ti.map_index" in task.sql  # the region of this map index
    for task_id in ("watcher", "published"):  # a held region leaves its send_emails upstream_failed
        assert weekly.get_task(task_id).upstream_task_ids == {"region_week.send_emails"}
    watcher = dagbag.dags["nyengget_programmes"].get_task("watcher")
    assert watcher.trigger_rule == "one_failed"
    assert {t for t in watcher.upstream_task_ids} == {t.task_id for t in dagbag.dags["nyengget_programmes"].tasks
                                                    if t.task_id.startswith("ingest_")}


def test_the_week_is_a_validated_param(dagbag):
    for dag_id in ("nyengget_innovations", "nyengget_programmes", "nyengget_match", "nyengget_weekly"):
        param = dagbag.dags[dag_id].params.get_param("week")
        assert param.value is None and param.schema["pattern"] == WEEK_PATTERN
        param.resolve("2026-W48")
        with pytest.raises(ParamValidationError):
            param.resolve("48")


TIME_OFF_PROBE = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(sys.argv[1])
print(json.dumps({d: type(bag.dags[d].timetable).__name__ for d in sorted(bag.dags)}))
"""


def test_time_schedules_can_be_switched_off(tmp_path):
    env = {**os.environ, "NYENGGET_HOME": str(tmp_path / "home"), "NYENGGET_TIME_SCHEDULES": "off"}
    out = subprocess.run([sys.executable, "-c", TIME_OFF_PROBE, str(REPO / "dags")], env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    kinds = json.loads(out.stdout.strip().splitlines()[-1])
    assert kinds["nyengget_programmes"] == kinds["nyengget_innovations"] == kinds["nyengget_reminders"] \
        == "NullTimetable"
    assert kinds["nyengget_weekly"] == "AssetTriggeredTimetable"  # no 09:00 run


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
