"""Through Airflow (`dag.test()`): a region whose list breaks a warehouse rule has its emails held, with one
alert naming it; the other region's emails are queued and sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
TESTS = Path(__file__).resolve().parents[1]

# The sample regions.yaml: 36.73 Kota Serang (map index 0, region A) and 36.72 Kota Cilegon (index 1, B).
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
add_opd(engine, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@cilegonkota.example.go.id", region_code="36.72")
add_innovation(engine, "C1", "Bank Sampah Digital", "DLH", region_code="36.72")
add_programme(engine, "P1", "Hibah Sarana Puskesmas")
add_match(engine, W48, "I1", "P1", score=1.5)  # region A's row breaks "scores in [0, 1]"
add_match(engine, W48, "C1", "P1", region_code="36.72")
with engine.begin() as conn:
    conn.execute(source_runs.insert().values(source="ann_a", week_start=W48, parsed=1, health="ok", fetched=1))
from airflow.dag_processing.dagbag import DagBag
dag = DagBag(env["AIRFLOW__CORE__DAGS_FOLDER"]).dags["nyengget_weekly"]
def states_of(run):
    return {f"{ti.task_id}[{ti.map_index}]": str(getattr(ti.state, "value", ti.state))
            for ti in run.get_task_instances()}
def mails():
    with engine.connect() as conn:  # alerts go through the outbox too
        rows = conn.execute(outbox.select()).all()
    return [[r.region_code, r.status] for r in rows if not r.kind.startswith("alert:")]
run = dag.test(logical_date=datetime(2026, 11, 23, 6, tzinfo=JAKARTA), run_conf={"week": "2026-W48"})
queued = mails()
# a week whose programmes never came in: ensure_matches fails (its own alert); no gate runs
early = dag.test(logical_date=datetime(2026, 11, 30, 6, tzinfo=JAKARTA), run_conf={"week": "2026-W49"})
print(json.dumps({"run": str(getattr(run.state, "value", run.state)), "states": states_of(run),
                  "queued": queued, "early": states_of(early)}))
"""


def test_a_failed_gate_holds_only_its_regions_emails_and_alerts_once(tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NYENGGET_"))}
    env.update(NYENGGET_HOME=str(home), NYENGGET_RETRY_DELAY_SECONDS="1", NYENGGET_TIME_SCHEDULES="off")
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(TESTS)], env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    states = result["states"]
    assert states["region_week.gate_weekly_rows[0]"] == "failed"  # A: Kota Serang
    assert states["region_week.gate_programmes[0]"] == "success"
    assert states["region_week.queue_emails[0]"] == "upstream_failed"
    assert states["region_week.hold_emails[0]"] == "success"
    assert {states[f"region_week.{t}[1]"] for t in ("gate_weekly_rows", "gate_weekly_keys", "gate_programmes",
                                                   "gate_programme_dates", "queue_emails", "send_emails")} == {"success"}
    assert states["region_week.hold_emails[1]"] == "skipped"  # B: Kota Cilegon, nothing held
    assert states["published[-1]"] == "success"  # B's emails were sent
    assert states["watcher[-1]"] == "failed" and result["run"] == "failed"  # A was held
    assert result["queued"] and all(m == ["36.72", "sent"] for m in result["queued"]), result["queued"]
    alerts = [p.read_text() for p in (home / "outbox").glob("*.eml") if "[Nyengget ALERT]" in p.read_text()]
    held = [a for a in alerts if "quality gates failed" in a]
    assert len(held) == 1, held
    assert "Kota Serang (36.73)" in held[0] and "2026-W48" in held[0] and "gate_weekly_rows" in held[0]
    assert "Cilegon" not in held[0] and "gate_programmes" not in held[0]
    early = result["early"]
    assert early["ensure_matches[-1]"] == "failed"
    assert not [t for t, s in early.items() if t.startswith("region_week.") and s in ("success", "failed")]
    assert len(alerts) == 2 and any("ensure_matches failed" in a for a in alerts)  # no held alert for W49
