"""Through Airflow (`dag.test()`): a week that breaks a warehouse rule queues no email and sends one alert."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
TESTS = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, os, sys
from datetime import date, datetime
from nyengget.orchestration import local as local_airflow
env = local_airflow.configure()
local_airflow.migrate_metadata()
sys.path.insert(0, sys.argv[1])
from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget.warehouse.db import get_engine
from nyengget.warehouse.schema import outbox, source_runs
from nyengget.weeks import JAKARTA
engine = get_engine()
add_opd(engine, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
add_innovation(engine, "I1", "Gardu Jaga", "DINKES")
add_programme(engine, "P1", "Hibah Sarana Puskesmas", ceiling_idr=-1)  # breaks "ceilings >= 0"
add_match(engine, W48, "I1", "P1")
with engine.begin() as conn:
    conn.execute(source_runs.insert().values(source="ann_a", week_start=W48, parsed=1, health="ok", fetched=1))
from airflow.dag_processing.dagbag import DagBag
dag = DagBag(env["AIRFLOW__CORE__DAGS_FOLDER"]).dags["nyengget_weekly"]
def states_of(run):
    return {ti.task_id: str(getattr(ti.state, "value", ti.state)) for ti in run.get_task_instances()}
run = dag.test(logical_date=datetime(2026, 11, 23, 6, tzinfo=JAKARTA), run_conf={"week": "2026-W48"})
with engine.connect() as conn:  # alerts go through the outbox too
    queued = [r for r in conn.execute(outbox.select()).all() if not r.kind.startswith("alert:")]
# a week whose programmes never came in: ensure_matches fails (its own alert); the gates never run
early = dag.test(logical_date=datetime(2026, 11, 30, 6, tzinfo=JAKARTA), run_conf={"week": "2026-W49"})
print(json.dumps({"run": str(getattr(run.state, "value", run.state)), "states": states_of(run),
                  "queued": len(queued), "early": states_of(early)}))
"""


def test_a_failed_gate_holds_the_emails_and_alerts_once(tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NYENGGET_"))}
    env.update(NYENGGET_HOME=str(home), NYENGGET_RETRY_DELAY_SECONDS="1")
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(TESTS)], env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["run"] == "failed"
    assert result["states"]["gate_programmes"] == "failed"
    assert result["states"]["gate_weekly_rows"] == "success"
    assert result["states"]["region_week.queue_emails"] == "upstream_failed"
    assert result["states"]["hold_emails"] == "success"
    assert result["queued"] == 0
    alerts = [p.read_text() for p in (home / "outbox").glob("*.eml")]
    held = [a for a in alerts if "quality gates failed" in a]
    assert len(held) == 1 and "gate_programmes" in held[0]
    early = result["early"]
    assert early["ensure_matches"] == "failed" and early["gate_weekly_rows"] == "upstream_failed"
    assert early["hold_emails"] == "skipped"  # no "gates failed" alert for gates that never ran
    assert len(alerts) == 2 and any("ensure_matches failed" in a for a in alerts)
