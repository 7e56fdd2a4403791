"""Deadline reminders: every morning, items being pursued that close in 14 or 3 days."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from nyengget.orchestration.dag_support import TAGS, TIMEZONE, cron, default_args, run_moment

DOC = """
### Nyengget — deadline reminders

Every day at 07:00 WIB: for each (innovation, programme) whose latest review status is
*sedang diusulkan* or *sudah diusulkan*, the OPD gets one reminder when the window closes within
14 days and another within 3 days — each sent once (outbox key), even if the item is not new.
Also flushes anything still pending in the outbox (e.g. after an SMTP outage).
"""


@dag(
    dag_id="nyengget_reminders",
    schedule=cron("0 7 * * *"),
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[*TAGS, "email"],
    doc_md=DOC,
)
def nyengget_reminders():
    @task
    def send_reminders(**context) -> dict:
        from nyengget.pipeline.reminders import send_reminders as send

        return send(pendulum.instance(run_moment(context)).in_timezone(TIMEZONE).date())

    send_reminders()


nyengget_reminders()
