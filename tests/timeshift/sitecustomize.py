"""Shift this process's wall clock by TIMESHIFT_DAYS (time-machine, ticking), for proving that
the test suites pass on another date. Put this folder first on PYTHONPATH: every Python process started
with that environment (Airflow's scheduler, workers, api-server, the CLI) travels by the same offset.
Monotonic clocks are left alone, so timeouts and sleeps keep working. libfaketime was tried first:
Debian's 0.9.10 makes Python 3.11's time.sleep fail with EINVAL and thread waits hang."""

import os

_days = os.environ.get("TIMESHIFT_DAYS")
if _days:
    import datetime

    import time_machine

    _destination = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=float(_days))
    time_machine.travel(_destination, tick=True).start()
