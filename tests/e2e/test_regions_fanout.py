"""Through Airflow (`dag.test()`): the innovations DAG fans out per region; one region's bad registry file
fails only that region's mapped task, the other region's registry still loads and is published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SAMPLE = Path(__file__).resolve().parents[2] / "include" / "data" / "sample"

SCRIPT = r"""
import json
from datetime import datetime
from nyengget.orchestration import local as local_airflow
env = local_airflow.configure()
local_airflow.migrate_metadata()
from sqlalchemy import func, select
from nyengget.warehouse.db import get_engine
from nyengget.warehouse.schema import innovations, opds
from nyengget.weeks import JAKARTA
from airflow.dag_processing.dagbag import DagBag
dag = DagBag(env["AIRFLOW__CORE__DAGS_FOLDER"]).dags["nyengget_innovations"]
run = dag.test(logical_date=datetime(2026, 11, 23, 3, tzinfo=JAKARTA), run_conf={"week": "2026-W48"})
states = {f"{ti.task_id}[{ti.map_index}]": str(getattr(ti.state, "value", ti.state)) for ti in run.get_task_instances()}
publish = next(ti for ti in run.get_task_instances() if ti.task_id == "publish").xcom_pull(task_ids="publish")
with get_engine().connect() as conn:
    counts = {t.name: dict(conn.execute(select(t.c.region_code, func.count()).group_by(t.c.region_code)).all())
              for t in (opds, innovations)}
print(json.dumps({"run": str(getattr(run.state, "value", run.state)), "states": states, "counts": counts,
                  "publish": publish}))
"""


def test_one_regions_bad_registry_file_stops_no_other_region(tmp_path):
    broken = tmp_path / "cilegon-innovations.xlsx"
    broken.write_bytes(b"this is not a workbook")  # unreadable: the import fails without retries
    regions = tmp_path / "regions.yaml"
    regions.write_text(
        "default: '36.73'\nregions:\n"
        f"  - {{code: '36.73', name: Kota Serang, level: kota, kecamatan: [Serang, Cipocok Jaya, Curug, Kasemen, "
        f"Taktakan, Walantaka], opds_file: {SAMPLE / 'opds.csv'}, innovations_file: {SAMPLE / 'innovations.csv'}}}\n"
        f"  - {{code: '36.72', name: Kota Cilegon, level: kota, kecamatan: [Cilegon, Pulomerak], "
        f"opds_file: {SAMPLE / 'cilegon' / 'opds.csv'}, innovations_file: {broken}}}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NYENGGET_"))}
    env.update(NYENGGET_HOME=str(tmp_path / "home"), NYENGGET_RETRY_DELAY_SECONDS="1",
               NYENGGET_REGIONS_FILE=str(regions))
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    states = result["states"]
    assert states["region_registry.import_innovations[0]"] == "success"
    assert states["region_registry.import_innovations[1]"] == "failed"
    assert states["region_registry.import_opds[1]"] == "success"  # the region's good file still loads
    assert states["publish[-1]"] == "success" and result["publish"]["regions"] == ["36.73"]
    assert states["watcher[-1]"] == "failed" and result["run"] == "failed"  # the broken region shows
    assert result["counts"]["innovations"] == {"36.73": 78}
    assert result["counts"]["opds"] == {"36.73": 25, "36.72": 10}
