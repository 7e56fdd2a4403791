"""The weekly nyengget list: when the week's matches are in → list → gates → report → outbox → send."""

from __future__ import annotations

import pendulum
from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from nyengget.dag_support import (
    MATCHES,
    TAGS,
    TIMEZONE,
    WEEKLY,
    default_args,
    failed_tasks,
    publish_week,
    quality_gates,
    time_schedules_enabled,
    week_of,
    week_params,
)

DOC = """
### Nyengget — weekly list

Runs when `nyengget_match` publishes the week's matches (asset `nyengget_matches`), so the list always
holds this week's programmes, however late ingestion was. Monday 09:00 WIB is the deadline: if the
week's list is not out by then, the time-triggered run fails with the reason (no programmes, no
matches) and the data engineers get the alert. It never builds a week from another week's data.

1. `ensure_matches` — the week's `matches`; refuses a week whose programmes were not ingested;
2. `build_list` — replaces the week's partition of `nyengget_weekly` in one transaction;
3. `gate_*` — warehouse rules (common-sql check operators on the `nyengget_warehouse` connection):
   required fields, plausible dates, ceilings ≥ 0, scores in [0, 1], ranks ≥ 1, a non-empty week,
   unique pairs. A failed gate holds the emails; `hold_emails` sends one alert naming the gates;
4. `write_reports` — the XLSX workbook and HTML report;
5. `queue_emails` — one digest per OPD and the planners' summary into `outbox` (never twice);
6. `send_emails` — sends what is pending, then emits `nyengget_weekly` (which wakes `nyengget_health`).

Trigger by hand with the `week` parameter (e.g. `2026-W48`).
"""

DEADLINE = CronTriggerTimetable("0 9 * * 1", timezone=TIMEZONE)
WEEK = "{{ ti.xcom_pull(task_ids='ensure_matches')['week'] }}"


@dag(
    dag_id="nyengget_weekly",
    schedule=AssetOrTimeSchedule(timetable=DEADLINE, assets=MATCHES) if time_schedules_enabled() else [MATCHES],
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    params=week_params(),
    tags=[*TAGS, "weekly"],
    doc_md=DOC,
)
def nyengget_weekly():
    @task(inlets=[MATCHES])
    def ensure_matches(**context) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from nyengget.jobs import weekly as jobs
        from nyengget.weeks import week_label

        week = week_of(context)
        deadline_run = str(getattr(context.get("dag_run"), "run_type", "")).endswith("scheduled")
        if deadline_run and jobs.week_is_out(week):
            raise AirflowSkipException(f"the list of {week_label(week)} is already out")
        return jobs.ensure_matches(week, deadline=deadline_run)

    @task
    def build_list(**context) -> dict:
        from nyengget.jobs import weekly as jobs

        return jobs.build_list(week_of(context))

    @task
    def write_reports(**context) -> list[str]:
        from nyengget.jobs import weekly as jobs

        return jobs.write_reports(week_of(context))

    @task(trigger_rule="all_done", on_failure_callback=None)
    def hold_emails(**context) -> dict:
        """One alert when any gate failed (the emails stay unqueued); skipped when all passed."""
        from airflow.sdk.exceptions import AirflowSkipException

        from nyengget.jobs import weekly as jobs
        from nyengget.weekly.gates import GATES

        failed = failed_tasks(context, list(GATES))
        if not failed:
            raise AirflowSkipException("every quality gate passed")
        return jobs.hold_emails(week_of(context), failed, str(getattr(context.get("ti"), "log_url", "") or ""))

    @task
    def queue_emails(**context) -> dict:
        from nyengget.jobs import weekly as jobs

        return jobs.queue_emails(week_of(context))

    @task(outlets=[WEEKLY])
    def send_emails(**context) -> dict:
        from nyengget.jobs import weekly as jobs

        week = week_of(context)
        report = jobs.send_emails(week)
        publish_week(context, WEEKLY, week, sent=report["sent"])
        return report

    gates = quality_gates(WEEK)
    built = ensure_matches() >> build_list()
    built >> gates
    gates >> hold_emails()
    gates >> write_reports() >> queue_emails() >> send_emails()


nyengget_weekly()
