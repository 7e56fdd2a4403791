"""`make up` (scripts/up.sh) on a fresh home: recorded sources by default, DAGs paused, no log server,
nothing listening beyond 127.0.0.1, and a message that says how to run a week."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listeners(root: psutil.Process) -> set[tuple[str, int]]:
    procs = [root, *root.children(recursive=True)]
    pids = {p.pid for p in procs}
    return {(c.laddr.ip, c.laddr.port) for c in psutil.net_connections("inet")
            if c.status == psutil.CONN_LISTEN and c.pid in pids}


def test_make_up_serves_the_recorded_week_and_binds_localhost(tmp_path):
    port, replay = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NYENGGET_"))}
    env.update(NYENGGET_HOME=str(tmp_path / "home"), NYENGGET_PORT=str(port), NYENGGET_REPLAY_PORT=str(replay))
    log = tmp_path / "up.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["bash", str(REPO / "scripts" / "up.sh")], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and "Ctrl-C" not in log.read_text(errors="replace"):
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            time.sleep(1)
        text = log.read_text(errors="replace")
        assert "Ctrl-C" in text, text[-3000:]
        assert "recorded week 2026-W48" in text and "start paused" in text and "dags trigger" in text
        robots = httpx.get(f"http://127.0.0.1:{replay}/www.menpan.go.id/robots.txt", timeout=10)
        assert robots.status_code in (200, 404)  # the replay server answers, not the real site
        time.sleep(5)  # the scheduler is up: a log server would be listening by now
        listening = _listeners(psutil.Process(proc.pid))
        assert {port, replay} <= {p for _, p in listening}, listening
        assert all(ip in ("127.0.0.1", "::1") for ip, _ in listening), listening
        assert 8793 not in {p for _, p in listening}
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
