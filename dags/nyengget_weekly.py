"""The weekly nyengget list: Mondays 06:00 WIB, list → report → outbox → send."""

from __future__ import annotations

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, task

from nyengget.dag_support import MATCHES, TAGS, TIMEZONE, WEEKLY, default_args, publish_week, week_of

DOC = """
### Nyengget — weekly list

Every Monday 06:00 WIB, for the ISO week of the run:

1. `ensure_matches` — uses the week's `matches` (from `nyengget_match`), matching now if absent;
2. `build_list` — replaces the week's partition of `nyengget_weekly` in one transaction (new /
   changed / closing-soon flags, latest review status);
3. `write_reports` — the XLSX workbook and HTML report under `NYENGGET_HOME/reports/`;
4. `queue_emails` — one digest per OPD with matches and the planners' summary into `outbox`
   (keyed by week, recipient, kind: reruns never queue a second copy of a sent email);
5. `send_emails` — sends what is pending (SMTP `smtp_default` / `NYENGGET_SMTP_URL`, or `.eml` files).
"""


@dag(
    dag_id="nyengget_weekly",
    schedule=CronTriggerTimetable("0 6 * * 1", timezone=TIMEZONE),
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[*TAGS, "weekly"],
    doc_md=DOC,
)
def nyengget_weekly():
    @task(inlets=[MATCHES])
    def ensure_matches(**context) -> int:
        from nyengget.jobs import weekly as jobs

        return jobs.ensure_matches(week_of(context))

    @task(outlets=[WEEKLY])
    def build_list(**context) -> dict:
        from nyengget.jobs import weekly as jobs

        week = week_of(context)
        summary = jobs.build_list(week)
        publish_week(context, WEEKLY, week, rows=summary["rows"])
        return summary

    @task
    def write_reports(**context) -> list[str]:
        from nyengget.jobs import weekly as jobs

        return jobs.write_reports(week_of(context))

    @task
    def queue_emails(**context) -> dict:
        from nyengget.jobs import weekly as jobs

        return jobs.queue_emails(week_of(context))

    @task
    def send_emails(**context) -> dict:
        from nyengget.jobs import weekly as jobs

        return jobs.send_emails(week_of(context))

    ensure_matches() >> build_list() >> write_reports() >> queue_emails() >> send_emails()


nyengget_weekly()
