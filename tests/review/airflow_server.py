"""A real `airflow api-server` with this repo's plugins on a free 127.0.0.1 port (bounded, always killed)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")
PASSWORDS = {"admin": "admin-dev-pw", "perencana": "perencana-dev-pw", "dinkes": "dinkes-dev-pw"}
ROLES = {"admin": "admin", "perencana": "user", "dinkes": "viewer"}
START_TIMEOUT = 60


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    def token(self, username: str) -> str:
        """Log in through Airflow's login API (SimpleAuthManager) and return the JWT."""
        response = httpx.post(f"{self.url}/auth/token", json={"username": username, "password": PASSWORDS[username]},
                              timeout=15)
        response.raise_for_status()
        return response.json()["access_token"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(home: Path, port: int, warehouse_url: str, users_file: Path) -> dict[str, str]:
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps(PASSWORDS), encoding="utf-8")
    (home / "dags").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW__")}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__AUTH_MANAGER":
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(f"{u}:{r}" for u, r in ROLES.items()),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API_AUTH__JWT_SECRET": "nyengget-test-jwt-secret",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "NYENGGET_WAREHOUSE_URL": warehouse_url,
        "NYENGGET_USERS_FILE": str(users_file),
        "NYENGGET_LINK_SECRET": "test-secret-for-review-links-0123456789",
        "NYENGGET_PUBLIC_URL": f"http://127.0.0.1:{port}/nyengget",
    })
    return env


def _wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"api-server exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/api/v2/monitor/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"api-server not ready after {START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def api_server(home: Path, warehouse_url: str, users_file: Path) -> Iterator[Server]:
    """`airflow db migrate`, then `airflow api-server` (1 worker) until the block ends."""
    port = free_port()
    env = server_env(home, port, warehouse_url, users_file)
    subprocess.run([str(AIRFLOW), "db", "migrate"], env=env, check=True, capture_output=True, timeout=60)
    log = home / "api-server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(AIRFLOW), "api-server", "-H", "127.0.0.1", "-p", str(port), "-w", "1"],
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, proc, log)
        yield Server(url, log)
    finally:
        _stop(proc)
