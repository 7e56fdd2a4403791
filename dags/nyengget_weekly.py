"""The weekly nyengget list: when the week's matches are in → list → gates → report → outbox → send."""

from __future__ import annotations

import pendulum
from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task, task_group

from nyengget.orchestration.dag_support import (
    MATCHES,
    TAGS,
    TIMEZONE,
    WEEKLY,
    default_args,
    failed_tasks,
    publish_week,
    quality_gates,
    succeeded_map_indexes,
    time_schedules_enabled,
    watcher,
    week_of,
    week_params,
)

DOC = """
### Nyengget — weekly list

Runs when `nyengget_match` publishes the week's matches (asset `nyengget_matches`), so the list always
holds this week's programmes, however late ingestion was. Monday 09:00 WIB is the deadline: if the
week's list is not out by then, the time-triggered run fails with the reason (no programmes, no
matches) and the data engineers get the alert. It never builds a week from another week's data.
Every configured region (`NYENGGET_REGIONS_FILE`) gets its own mapped tasks; each region's week is
idempotent on its own, and one region's failure stops no other region's emails.

1. `ensure_matches` — refuses a week whose programmes were not ingested; `regions` lists the regions;
2. `build_list` (per region) — the region's matches (matched now if missing), then replaces the region's
   partition of `nyengget_weekly` in one transaction;
3. `gate_*` — warehouse rules over the whole week (common-sql check operators on the `nyengget_warehouse`
   connection): required fields, plausible dates, ceilings ≥ 0, scores in [0, 1], ranks ≥ 1, a non-empty
   week, unique pairs. A failed gate holds the emails; `hold_emails` sends one alert naming the gates;
4. `region_week` (per region) — `write_reports` (XLSX workbook and HTML report), `queue_emails` (one digest
   per OPD and the planners' summary into `outbox`, never twice) and `send_emails`;
5. `published` emits `nyengget_weekly` (which wakes `nyengget_health`); `watcher` fails the run when a
   region failed.

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

        from nyengget.pipeline import weekly as jobs
        from nyengget.weeks import week_label

        week = week_of(context)
        deadline_run = str(getattr(context.get("dag_run"), "run_type", "")).endswith("scheduled")
        if deadline_run and jobs.week_is_out(week):
            raise AirflowSkipException(f"the list of {week_label(week)} is already out")
        return jobs.ensure_week(week, deadline=deadline_run)

    @task
    def regions(ensured: dict) -> list[str]:
        return list(ensured["regions"])

    @task
    def build_list(region_code: str, **context) -> dict:
        from nyengget.pipeline import weekly as jobs

        return jobs.build_list(week_of(context), region_code)

    @task
    def write_reports(region_code: str, **context) -> list[str]:
        from airflow.sdk.exceptions import AirflowSkipException

        from nyengget.pipeline import weekly as jobs

        if context["ti"].map_index not in succeeded_map_indexes(context, "build_list"):
            raise AirflowSkipException(f"the list of region {region_code} was not built in this run")
        return jobs.write_reports(week_of(context), region_code)

    @task
    def queue_emails(region_code: str, **context) -> dict:
        from nyengget.pipeline import weekly as jobs

        return jobs.queue_emails(week_of(context), region_code)

    @task
    def send_emails(region_code: str, **context) -> dict:
        from nyengget.pipeline import weekly as jobs

        return jobs.send_emails(week_of(context), region_code)

    @task_group
    def region_week(region_code: str):
        write_reports(region_code) >> queue_emails(region_code) >> send_emails(region_code)

    @task(trigger_rule="all_done", on_failure_callback=None)
    def hold_emails(**context) -> dict:
        """One alert when any gate failed (the emails stay unqueued); skipped when all passed."""
        from airflow.sdk.exceptions import AirflowSkipException

        from nyengget.pipeline import weekly as jobs
        from nyengget.weekly.gates import GATES

        failed = failed_tasks(context, list(GATES))
        if not failed:
            raise AirflowSkipException("every quality gate passed")
        return jobs.hold_emails(week_of(context), failed, str(getattr(context.get("ti"), "log_url", "") or ""))

    @task(outlets=[WEEKLY], trigger_rule="all_done_min_one_success")
    def published(**context) -> dict:
        """The week's asset event once the regions' emails are sent (health wakes after them, not before)."""
        from airflow.sdk.exceptions import AirflowSkipException

        done = succeeded_map_indexes(context, "region_week.send_emails")
        if not done:
            raise AirflowSkipException("no region's emails were sent in this run")
        week = week_of(context)
        publish_week(context, WEEKLY, week, regions=len(done))
        return {"week": str(week), "regions": len(done)}


    gates = quality_gates(WEEK)
    for gate in gates:  # one region's failed build never holds the other regions' emails
        gate.trigger_rule = "all_done_min_one_success"
    ensured = ensure_matches()
    codes = regions(ensured)
    built = build_list.expand(region_code=codes)
    built >> gates
    gates >> hold_emails()
    weeks = region_week.expand(region_code=codes)
    gates >> weeks
    weeks >> published()
    [built, weeks] >> watcher("a region's weekly list")


nyengget_weekly()
