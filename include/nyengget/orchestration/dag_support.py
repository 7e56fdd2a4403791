"""What the thin DAG files share: assets, default arguments, the alert notifier, the week of a run.

Imported at DAG parse time: keep it light (no pandas, no database, no network here).
"""

from __future__ import annotations

import logging
import os
from datetime import date, timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, BaseNotifier, CronTriggerTimetable, Param, task
from airflow.sdk.definitions.retry_policy import ExceptionRetryPolicy, RetryAction, RetryRule

from nyengget.config import get_settings
from nyengget.weeks import WEEK_PATTERN, parse_week, week_label, week_start

log = logging.getLogger(__name__)

TIMEZONE = pendulum.timezone("Asia/Jakarta")
OWNER = "bappeda-data"
TAGS = ["nyengget"]

PROGRAMMES = Asset(name="nyengget_programmes", uri="nyengget://warehouse/programmes", group="warehouse")
INNOVATIONS = Asset(name="nyengget_innovations", uri="nyengget://warehouse/innovations", group="warehouse")
MATCHES = Asset(name="nyengget_matches", uri="nyengget://warehouse/matches", group="warehouse")
WEEKLY = Asset(name="nyengget_weekly", uri="nyengget://warehouse/nyengget_weekly", group="warehouse")

# Exceptions a retry cannot fix: fail at once instead of holding a pool slot through the backoff.
# Network errors, 5xx answers and database outages are not among them and keep their retries.
NO_RETRY = ExceptionRetryPolicy(rules=[
    RetryRule(exception="nyengget.errors.PermanentError", action=RetryAction.FAIL,
              reason="a retry cannot fix this (robots.txt, 404, changed layout, bad input or week)"),
    RetryRule(exception="nyengget.errors.UsageError", action=RetryAction.FAIL, reason="bad input"),
])


class AlertNotifier(BaseNotifier):
    """Tell the data engineers that a task failed: one multipart email, SMTP or an `.eml` in the outbox."""

    template_fields = ()

    def notify(self, context: dict[str, Any]) -> None:
        from nyengget.notify.alerts import send_task_failure

        send_task_failure(context)


def default_args() -> dict[str, Any]:
    """Owner, 2 retries with exponential backoff from NYENGGET_RETRY_DELAY_SECONDS (60), alert on failure."""
    return {
        "owner": OWNER,
        "retries": 2,
        "retry_delay": timedelta(seconds=get_settings().retry_delay_s),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=20),
        "on_failure_callback": AlertNotifier(),
        "retry_policy": NO_RETRY,
    }


def time_schedules_enabled() -> bool:
    """NYENGGET_TIME_SCHEDULES=off: DAGs run only when triggered or by asset events (tests, deployments
    driven by an outside orchestrator). Read from the environment at parse time; no I/O."""
    return get_settings().time_schedules


def cron(expression: str) -> CronTriggerTimetable | None:
    """A cron schedule in Asia/Jakarta, or none when time schedules are switched off."""
    return CronTriggerTimetable(expression, timezone=TIMEZONE) if time_schedules_enabled() else None


def week_params() -> dict[str, Param]:
    """The trigger form's `week`: empty means the week of the run's date (or of its asset events)."""
    return {"week": Param(None, type=["null", "string"], pattern=WEEK_PATTERN, title="Pekan (ISO)",
                          description="ISO week to run, e.g. 2026-W48. Leave empty for the week of the "
                                      "run's logical date. Weeks before the project's data starts, or more "
                                      "than a year away from the data, are refused.")}


def chosen_week(context: dict[str, Any]) -> str | None:
    """The week someone asked for: the run conf's `week`, else the trigger form's `week` parameter."""
    conf = getattr(context.get("dag_run"), "conf", None) or {}
    return conf.get("week") or (context.get("params") or {}).get("week") or None


def run_moment(context: dict[str, Any]) -> Any:
    """The run's logical date, else its run_after (asset-triggered runs have no logical date)."""
    return context.get("logical_date") or getattr(context.get("dag_run"), "run_after", None)


def week_of(context: dict[str, Any]) -> date:
    """The ISO week (its Monday) a run is about: the chosen week, else the triggering assets' latest
    `week`, else the run's logical date (or run_after) in Asia/Jakarta. Never `now()`."""
    if chosen := chosen_week(context):
        return parse_week(str(chosen))
    if weeks := set().union(*triggering_weeks(context).values()):
        return parse_week(max(weeks))
    if (moment := run_moment(context)) is None:
        raise ValueError("cannot tell the week of this run: no conf week, asset event or logical date")
    return week_start(moment)


def publish_week(context: dict[str, Any], asset: Asset, week: date, **extra: Any) -> None:
    """Attach the week (and counts) to the asset event this task emits."""
    context["outlet_events"][asset].extra = {"week": week_label(week), **extra}


def triggering_weeks(context: dict[str, Any]) -> dict[str, set[str]]:
    """Asset name -> the weeks (`extra.week`) of the events that triggered this run."""
    events = context.get("triggering_asset_events") or {}
    out: dict[str, set[str]] = {}
    for asset, evs in events.items():
        name = getattr(asset, "name", None) or str(asset)
        out.setdefault(name, set()).update(str(e.extra["week"]) for e in evs if (e.extra or {}).get("week"))
    return out


def common_week(context: dict[str, Any], *assets: Asset) -> date:
    """The week a run needs all of `assets` for: the conf's week, else the latest week that every
    triggering asset's events name. Refuses (no retry) when the events disagree."""
    from nyengget.errors import WeekRefused

    weeks = triggering_weeks(context)
    if chosen_week(context) or not weeks:
        return week_of(context)
    shared = set.intersection(*(weeks.get(a.name, set()) for a in assets))
    if not shared:
        seen = ", ".join(f"{a.name}: {sorted(weeks.get(a.name, set())) or 'none'}" for a in assets)
        raise WeekRefused(f"the triggering events name no common week ({seen}); trigger the missing DAG "
                          "for the week with conf {\"week\": \"YYYY-Www\"}")
    return parse_week(max(shared))


def ensure_warehouse_connection(context: dict[str, Any] | None = None) -> None:
    """Point the Airflow connection `nyengget_warehouse` at the warehouse the tasks use (unless the
    deployment defines it in the environment), so the check operators read the same database."""
    from nyengget.config import airflow_connection_uri, get_settings

    settings = get_settings()
    if settings.warehouse_url_given or not settings.airflow_warehouse_conn:
        os.environ["AIRFLOW_CONN_NYENGGET_WAREHOUSE"] = airflow_connection_uri(settings.warehouse_url)


def quality_gates(week_template: str, region_template: str) -> list:
    """One common-sql check operator per gate of `nyengget.weekly.gates`, over one region's rows (both
    templates are Jinja in the operators' templated `sql`); a failed gate fails at once (no retries) and
    sends no alert of its own: the region's `hold_emails` task sends one for all its failed gates."""
    from airflow.providers.common.sql.operators.sql import SQLCheckOperator, SQLColumnCheckOperator

    from nyengget.weekly.gates import CONN_ID, GATES, rows_sql

    operators = []
    for task_id, (kind, table, partition, checks) in GATES.items():
        where = partition.format(week=week_template, region=region_template)
        common = dict(task_id=task_id, conn_id=CONN_ID, retry_on_failure=False, on_failure_callback=None,
                      pre_execute=ensure_warehouse_connection)
        if kind == "column":
            operators.append(SQLColumnCheckOperator(table=table, column_mapping=checks, partition_clause=where,
                                                    **common))
        else:
            operators.append(SQLCheckOperator(sql=rows_sql(table, where, checks), **common))
    return operators


def watcher(what: str):
    """Airflow's watcher pattern: a task that fails the run when any upstream task failed (`what` names it
    in the log); the failed task already sent its own alert, so the watcher sends none and never retries."""

    @task(task_id="watcher", trigger_rule="one_failed", retries=0, on_failure_callback=None)
    def _watcher() -> None:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(f"{what} failed: see the failed task")

    return _watcher()


def publish_regions(context: dict[str, Any], asset: Asset, week: date, codes: list[str], task_id: str) -> dict:
    """Emit `asset` for the week with the regions whose mapped `task_id` succeeded (one region's failure
    stops no other); fails when none did."""
    done = [codes[i] for i in succeeded_map_indexes(context, task_id) if i < len(codes)]
    if not done:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(f"no region's {task_id} succeeded")
    publish_week(context, asset, week, regions=done)
    return {"week": str(week), "regions": done}


def succeeded_map_indexes(context: dict[str, Any], task_id: str) -> list[int]:
    """The map indexes of `task_id` that succeeded in this run (its regions that are done)."""
    ti = context["ti"]
    states = ti.get_task_states(dag_id=ti.dag_id, task_ids=[task_id], run_ids=[ti.run_id])
    found = (states.get(ti.run_id) or {})
    return sorted(int(key.rsplit("_", 1)[1]) for key, state in found.items()
                  if str(state) == "success" and key.rsplit("_", 1)[-1].isdigit() and key != task_id)


def failed_tasks(context: dict[str, Any], task_ids: list[str]) -> list[str]:
    """Which of `task_ids` failed themselves in this run (asked through the task SDK), at this task's map
    index when it is mapped (its region's tasks, in a mapped task group). Tasks that never ran because
    something before them failed are not counted: that failure has its own alert."""
    ti = context["ti"]
    index = getattr(ti, "map_index", -1)
    mapped = index is not None and index >= 0
    states = ti.get_task_states(dag_id=ti.dag_id, task_ids=task_ids, run_ids=[ti.run_id],
                                map_index=index if mapped else None)
    found, suffix = states.get(ti.run_id) or {}, f"_{index}" if mapped else ""  # keys: task_id[_map_index]
    return sorted(t for t in task_ids if str(found.get(f"{t}{suffix}")) == "failed")


def ingest_week_of(context: dict[str, Any]) -> date:
    """`week_of` for an ingestion run, refusing a week before the project's data or more than a year
    away from the run's own date (a typo in the trigger form, not a week to ingest)."""
    from nyengget.weekly.readiness import check_range

    week, moment = week_of(context), run_moment(context)
    check_range(week, week_start(moment) if moment else None, "the run's date")
    return week
