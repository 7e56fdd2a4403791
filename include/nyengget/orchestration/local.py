"""The embedded default of Airflow: metadata in SQLite under NYENGGET_HOME/airflow, this repo's DAGs.

`configure()` must run before `airflow` is imported (Airflow reads its configuration at import).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nyengget.config import REPO_ROOT, get_settings


def configure(home: Path | None = None) -> dict[str, str]:
    """Set (without overriding what the user set) the Airflow environment of the embedded default."""
    home = home or get_settings().home
    airflow_home = home / "airflow"
    airflow_home.mkdir(parents=True, exist_ok=True)
    env = {
        "NYENGGET_HOME": str(home),
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Jakarta",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(airflow_home / "logs"),
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
    }
    if not get_settings().smtp_url:
        env["NYENGGET_MAIL_DELIVERY"] = "file"  # the embedded default's .eml outbox, chosen explicitly
    for key, value in env.items():
        os.environ.setdefault(key, value)
    return {k: os.environ[k] for k in env}


def migrate_metadata() -> None:
    """`airflow db migrate` on the configured metadata database (idempotent)."""
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, env=os.environ.copy())
