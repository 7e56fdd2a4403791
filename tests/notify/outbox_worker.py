"""One sender process for the concurrency tests: waits for a start signal, then runs one role.

    python outbox_worker.py ROLE GO_FILE

Roles: `weekly` (the weekly stage of 2026-W48), `health` (its check), `reminders` (the daily job),
`flush` (send everything of the week still due, as the old health and reminders DAGs did).
Settings (warehouse, SMTP, home) come from the environment.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

W48 = date(2026, 11, 23)
REMINDER_DAY = date(2026, 11, 24)


def main(role: str, go: Path) -> int:
    from nyengget.notify import outbox
    from nyengget.notify.delivery import get_delivery
    from nyengget.pipeline.health import check_week
    from nyengget.pipeline.reminders import send_reminders
    from nyengget.pipeline.weekly import run_week
    from nyengget.warehouse.db import get_engine

    engine = get_engine()
    jobs = {
        "weekly": lambda: run_week(engine, W48),
        "health": lambda: check_week(W48),
        "reminders": lambda: send_reminders(REMINDER_DAY),
        "flush": lambda: outbox.send_pending(engine, get_delivery(), W48),
    }
    go.with_name(f"ready-{os.getpid()}").touch()
    while not go.exists():
        time.sleep(0.01)
    print(role, jobs[role](), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
