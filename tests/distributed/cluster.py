"""A real distributed Airflow on this machine's services, no Docker.

PostgreSQL (127.0.0.1:5432) holds Airflow's metadata and the warehouse, each in a fresh database;
Redis (127.0.0.1:6379) is the Celery broker. The api-server, scheduler, dag-processor, the Celery
workers and the replay server of the recorded sources run as separate processes. Everything is
bounded in time and stopped on exit, also on failure.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = os.environ.get("NYENGGET_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("NYENGGET_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
ADMIN = ("admin", "admin-dist-pw")
DAG_IDS = ("nyengget_innovations", "nyengget_programmes", "nyengget_match", "nyengget_weekly", "nyengget_health")
BROKEN = "zz_broken"  # a source whose listing is gone (404 at the replay server): its task fails at once


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg(url_db: str) -> str:
    return PG.rsplit("/", 1)[0] + "/" + url_db


def create_databases(*names: str) -> None:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_databases(*names: str) -> None:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    api_url: str
    warehouse_url: str
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    specs: dict[str, tuple[tuple[str, ...], dict[str, str]]] = field(default_factory=dict)
    restarts: list[str] = field(default_factory=list)
    _token: str | None = None

    # --- processes -----------------------------------------------------------------------------
    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        self.specs[name] = (args, env or {})
        log = (self.root / "logs" / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(list(args), env={**self.env, **(env or {})}, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True, cwd=self.root)

    def supervise(self, max_restarts: int = 5) -> None:
        """Restart a component that exited, as `restart: always` does in docker-compose.yaml."""
        for name, proc in list(self.procs.items()):
            if proc.poll() is None:
                continue
            if len(self.restarts) >= max_restarts:
                raise RuntimeError(f"{name} exited ({proc.returncode}) too often:\n{self.log(name)[-4000:]}")
            self.restarts.append(name)
            args, env = self.specs[name]
            self.start(name, *args, env=env)

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.root / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def airflow(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run([str(BIN / "airflow"), *args], env=self.env, capture_output=True, text=True,
                                timeout=timeout, cwd=self.root)
        assert result.returncode == 0, f"airflow {' '.join(args)}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        return result.stdout

    # --- REST API --------------------------------------------------------------------------------
    def token(self) -> str:
        if self._token is None:  # JWTs outlive api-server restarts (same secret)
            r = httpx.post(f"{self.api_url}/auth/token", json={"username": ADMIN[0], "password": ADMIN[1]},
                           timeout=30)
            r.raise_for_status()
            self._token = r.json()["access_token"]
        return self._token

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token()}"}
        return httpx.request(method, f"{self.api_url}/api/v2{path}", headers=headers, timeout=30, **kw)

    def wait(self, what: str, check, timeout: float, every: float = 2.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = check()
            except httpx.HTTPError:  # the api-server restarting after an outage
                value = None
            if value:
                return value
            self.supervise()
            time.sleep(every)
        raise TimeoutError(f"{what} not reached in {timeout:.0f} s; scheduler log:\n{self.log('scheduler')[-3000:]}")

    def trigger(self, dag_id: str, logical_date: str, week: str) -> str:
        r = self.api("POST", f"/dags/{dag_id}/dagRuns", json={"logical_date": logical_date, "conf": {"week": week}})
        assert r.status_code in (200, 201), r.text
        return r.json()["dag_run_id"]

    def unpause(self, *dag_ids: str) -> None:
        """Unpause DAGs (the cluster has no time schedules, so this creates no run of its own)."""
        for dag_id in dag_ids:
            r = self.api("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
            assert r.status_code == 200, r.text

    def run_state(self, dag_id: str, run_id: str) -> str:
        r = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
        r.raise_for_status()
        return r.json()["state"]

    def wait_run(self, dag_id: str, run_id: str, timeout: float = 300) -> str:
        return self.wait(f"{dag_id} {run_id} finished",
                         lambda: (s := self.run_state(dag_id, run_id)) in ("success", "failed") and s, timeout)

    def runs(self, dag_id: str) -> list[dict]:
        r = self.api("GET", f"/dags/{dag_id}/dagRuns", params={"order_by": "-run_after", "limit": 50})
        r.raise_for_status()
        return r.json()["dag_runs"]

    def task_states(self, dag_id: str, run_id: str) -> dict[str, str]:
        r = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
        r.raise_for_status()
        return {t["task_id"]: t["state"] for t in r.json()["task_instances"]}

    def clear_failed(self, dag_id: str, run_id: str) -> None:
        r = self.api("POST", f"/dags/{dag_id}/clearTaskInstances",
                     json={"dag_run_id": run_id, "only_failed": True, "dry_run": False, "reset_dag_runs": True})
        assert r.status_code == 200, r.text

    def run_ids(self, dag_id: str) -> set[str]:
        return {r["dag_run_id"] for r in self.runs(dag_id)}

    def wait_new_run(self, dag_id: str, known: set[str], timeout: float = 300) -> tuple[str, str]:
        """Wait for a run of `dag_id` that is not in `known` (one the scheduler made) to finish."""
        def finished():
            new = [r for r in self.runs(dag_id) if r["dag_run_id"] not in known]
            done = [r for r in new if r["state"] in ("success", "failed")]
            return done and len(done) == len(new) and (done[0]["dag_run_id"], done[0]["state"])
        return self.wait(f"a new {dag_id} run finished", finished, timeout)

    def task_instances(self, dag_id: str, run_id: str) -> dict[str, dict]:
        r = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
        r.raise_for_status()
        return {t["task_id"]: t for t in r.json()["task_instances"]}

    def mapped_instances(self, dag_id: str, run_id: str) -> dict[str, dict]:
        """The run's task instances by `task_id[map_index]` (a mapped task has one per region)."""
        r = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
        r.raise_for_status()
        return {f"{t['task_id']}[{t['map_index']}]": t for t in r.json()["task_instances"]}

    def wait_quiet(self, dag_id: str, timeout: float = 300) -> list[dict]:
        """Wait until no run of `dag_id` is queued or running; returns its runs."""
        return self.wait(f"{dag_id} quiet", lambda: (rs := self.runs(dag_id)) and all(
            r["state"] in ("success", "failed") for r in rs) and rs, timeout)


def _sources_with_a_broken_one(root: Path) -> Path:
    """The shipped sources plus one whose listing path is not recorded (HTTP 404 from the replay server)."""
    import yaml

    from nyengget.sources.registry import DEFAULT_FILE

    config = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    first = next(s for s in config["sources"] if s.get("adapter") == "announcements")
    broken = {**first, "name": BROKEN, "urls": [first["urls"][0].rstrip("/") + "/no-such-listing-404/"]}
    config["sources"].append(broken)
    for source in config["sources"]:  # local files are relative to the shipped file's folder
        source["urls"] = [u if "://" in u else str(DEFAULT_FILE.parent / u) for u in source.get("urls", [])]
    path = root / "sources.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _env(root: Path, api_port: int, meta_db: str, wh_db: str, replay_port: int, smtp_url: str) -> dict[str, str]:
    passwords = root / "passwords.json"
    passwords.write_text(json.dumps({ADMIN[0]: ADMIN[1]}))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NYENGGET_"))}
    meta = _pg(meta_db).replace("+psycopg", "+psycopg2")
    return {
        **base,
        "PATH": f"{BIN}{os.pathsep}{base.get('PATH', '')}",
        "AIRFLOW_HOME": str(root / "airflow"),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta,
        "AIRFLOW__CELERY__BROKER_URL": REDIS,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + meta.replace("+psycopg2", ""),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Jakarta",
        "AIRFLOW__CORE__AUTH_MANAGER":
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN[0]}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API_AUTH__JWT_SECRET": "nyengget-distributed-test-secret",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "10",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(root / "airflow" / "logs"),
        "NYENGGET_HOME": str(root / "home"),
        "NYENGGET_WAREHOUSE_URL": _pg(wh_db),
        "NYENGGET_SOURCES_BASE_URL": f"http://127.0.0.1:{replay_port}",
        "NYENGGET_SMTP_URL": smtp_url,
        "NYENGGET_RETRY_DELAY_SECONDS": "10",
        "NYENGGET_LINK_SECRET": "distributed-test-link-secret",
        # Runs come only from the tests' triggers and the asset events they cause: the scheduler never
        # adds "the latest Monday" of the machine's calendar (these tests pass on any date).
        "NYENGGET_TIME_SCHEDULES": "off",
        "NYENGGET_SOURCES_FILE": str(_sources_with_a_broken_one(root)),
    }


def _flush_broker() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


@contextmanager
def cluster(root: Path, week: str, smtp_url: str, workers: int = 2) -> Iterator[Cluster]:
    """Migrate, start every component, yield once the DAGs are parsed; stop everything afterwards."""
    tag = uuid.uuid4().hex[:8]
    meta_db, wh_db = f"nyengget_dist_meta_{tag}", f"nyengget_dist_wh_{tag}"
    (root / "logs").mkdir(parents=True, exist_ok=True)
    api_port, replay_port = free_port(), free_port()
    env = _env(root, api_port, meta_db, wh_db, replay_port, smtp_url)
    c = Cluster(root, env, f"http://127.0.0.1:{api_port}", _pg(wh_db))
    create_databases(meta_db, wh_db)
    _flush_broker()
    try:
        c.airflow("db", "migrate", timeout=300)
        subprocess.run([str(BIN / "nyengget"), "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([str(BIN / "nyengget"), "airflow", "pools", "--apply"], env=env, check=True,
                       capture_output=True)
        c.start("replay", str(BIN / "nyengget"), "sources", "serve", "--week", week, "--port", str(replay_port))
        c.start("api-server", str(BIN / "airflow"), "api-server", "-H", "127.0.0.1", "-p", str(api_port),
                "-w", "1")
        c.start("scheduler", str(BIN / "airflow"), "scheduler")
        c.start("dag-processor", str(BIN / "airflow"), "dag-processor")
        for i in range(1, workers + 1):
            c.start(f"worker{i}", str(BIN / "airflow"), "celery", "worker", "-H", f"worker{i}@%h",
                    env={"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())})
        c.wait("api-server healthy", lambda: _healthy(c.api_url), timeout=120, every=1)
        c.wait("DAGs parsed", lambda: all(c.api("GET", f"/dags/{d}").status_code == 200 for d in DAG_IDS),
               timeout=180)
        c.unpause(*DAG_IDS)  # safe on any date: no time schedules in this cluster
        yield c
    finally:
        c.stop_all()
        try:
            drop_databases(meta_db, wh_db)
        except Exception as exc:  # noqa: BLE001 - cleanup must not hide the test's own failure
            print(f"could not drop test databases: {exc}", file=sys.stderr)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v2/monitor/health", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False
