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
Every configured region (`NYENGGET_REGIONS_FILE`) gets its own mapped task group `region_week`; each
region's week is idempotent on its own, and one region's failure, or its broken list, stops no other
region's emails.

1. `ensure_matches` — refuses a week whose programmes were not ingested; `regions` lists the regions;
2. `region_week` (per region, one mapped task group):
   - `build_list` — the region's matches (matched now if missing), then replaces the region's partition
     of `nyengget_weekly` in one transaction;
   - `gate_*` — warehouse rules over the region's rows and the programmes listed for it (common-sql
     check operators on the `nyengget_warehouse` connection): required fields, plausible dates,
     ceilings ≥ 0, scores in [0, 1], ranks ≥ 1, a non-empty list, unique pairs. A failed gate holds
     only this region's emails; `hold_emails` sends one alert naming the region, the week and its
     failed gates (each gate's log has the rows and the rule);
   - `write_reports` (XLSX workbook and HTML report), `queue_emails` (one digest per OPD and the
     planners' summary into `outbox`, never twice) and `send_emails`, once every gate passed;
3. `published` emits `nyengget_weekly` (which wakes `nyengget_health`) once some region's emails were
   sent; `watcher` fails the run when a region failed or was held.

Trigger by hand with the `week` parameter (e.g. `2026-W48`).
"""

DEADLINE = CronTriggerTimetable("0 9 * * 1", timezone=TIMEZONE)
WEEK = "{{ ti.xcom_pull(task_ids='ensure_matches')['week'] }}"
# The region of a `region_week` task: the group is expanded over the `regions` list, so its map index is
# the region's position in it (a mapped argument cannot be spliced into the gates' SQL, see `quality_gates`).
REGION = "{{ ti.xcom_pull(task_ids='regions')[ti.map_index] }}"
GROUP = "region_week"


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
        from nyengget.pipeline import weekly as jobs

        return jobs.write_reports(week_of(context), region_code)

    @task
    def queue_emails(region_code: str, **context) -> dict:
        from nyengget.pipeline import weekly as jobs

        return jobs.queue_emails(week_of(context), region_code)

    @task
    def send_emails(region_code: str, **context) -> dict:
        from nyengget.pipeline import weekly as jobs

        return jobs.send_emails(week_of(context), region_code)

    @task(trigger_rule="all_done", on_failure_callback=None)
    def hold_emails(region_code: str, **context) -> dict:
        """One alert when any of the region's gates failed (its emails stay unqueued); skipped when all
        passed or none ran."""
        from airflow.sdk.exceptions import AirflowSkipException

        from nyengget.pipeline import weekly as jobs
        from nyengget.weekly.gates import GATES

        failed = failed_tasks(context, [f"{GROUP}.{gate}" for gate in GATES])
        if not failed:
            raise AirflowSkipException(f"every quality gate of region {region_code} passed (or none ran)")
        names = [task_id.removeprefix(f"{GROUP}.") for task_id in failed]
        link = str(getattr(context.get("ti"), "log_url", "") or "")
        return jobs.hold_emails(week_of(context), region_code, names, link)

    @task_group(group_id=GROUP)
    def region_week(region_code: str):
        """One region's week: its list, its gates, then its emails (or the alert holding them)."""
        gates = quality_gates(WEEK, REGION)
        build_list(region_code) >> gates
        gates >> hold_emails(region_code)
        sent = send_emails(region_code)
        gates >> write_reports(region_code) >> queue_emails(region_code) >> sent
        return sent  # what `published` and `watcher` follow: a held or failed region leaves it upstream_failed

    @task(outlets=[WEEKLY], trigger_rule="all_done_min_one_success")
    def published(**context) -> dict:
        """The week's asset event once the regions' emails are sent (health wakes after them, not before)."""
        from airflow.sdk.exceptions import AirflowSkipException

        done = succeeded_map_indexes(context, f"{GROUP}.send_emails")
        if not done:
            raise AirflowSkipException("no region's emails were sent in this run")
        week = week_of(context)
        publish_week(context, WEEKLY, week, regions=len(done))
        return {"week": str(week), "regions": len(done)}

    weeks = region_week.expand(region_code=regions(ensure_matches()))
    weeks >> published()
    weeks >> watcher("a region's weekly list")


nyengget_weekly()
