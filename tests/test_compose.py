"""docker-compose.yaml keeps the production shape of Airflow's official compose file."""

from __future__ import annotations

import os
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


SECRETS = ("AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET", "NYENGGET_LINK_SECRET")


def _config(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (.ci/run installs Debian's docker-compose)")
    # only the given environment: a developer's .env (scripts/compose-secrets.sh) must not hide a missing secret
    empty = tmp_path / "empty.env"
    empty.write_text("")
    return subprocess.run([binary, "--env-file", str(empty), "-f", str(COMPOSE), "config", "-q"],
                          capture_output=True, text=True, cwd=REPO, timeout=60, env=env)


def _env_without_secrets() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in SECRETS}


def test_compose_file_is_valid_for_docker_compose(tmp_path):
    secrets = {name: f"test-only-{name.lower()}-{'x' * 24}" for name in SECRETS}  # what compose-secrets.sh writes
    result = _config({**_env_without_secrets(), **secrets}, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", SECRETS)
def test_compose_refuses_to_start_without_each_secret(missing, tmp_path):
    secrets = {name: f"test-only-{name.lower()}-{'x' * 24}" for name in SECRETS if name != missing}
    result = _config({**_env_without_secrets(), **secrets}, tmp_path)
    assert result.returncode != 0 and missing in result.stderr


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
