"""docker-compose.yaml keeps the production shape of Airflow's official compose file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
COMPOSE = REPO / "docker-compose.yaml"
AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                    "airflow-worker", "airflow-init")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_is_valid_for_docker_compose():
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (.ci/run installs Debian's docker-compose)")
    result = subprocess.run([binary, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr


def test_services_of_the_production_shape(compose):
    services = compose["services"]
    for name in (*AIRFLOW_SERVICES, "postgres", "redis", "mailpit"):
        assert name in services, name
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert env["NYENGGET_WAREHOUSE_URL"].startswith("postgresql")
        assert "mailpit" in env["AIRFLOW_CONN_SMTP_DEFAULT"]
        volumes = services[name]["volumes"]
        assert any(v.startswith("./dags:") for v in volumes) and any(v.startswith("./include:") for v in volumes)
        assert any(v.startswith("./plugins:") for v in volumes)


def test_init_job_migrates_both_databases(compose):
    command = "\n".join(compose["services"]["airflow-init"]["command"])
    assert "airflow db migrate" in command and "nyengget db upgrade" in command
