"""What the thin DAG files share: assets, default arguments, the alert notifier, the week of a run.

Imported at DAG parse time: keep it light (no pandas, no database, no network here).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, BaseNotifier

from nyengget.config import get_settings
from nyengget.weeks import parse_week, week_label, week_start

log = logging.getLogger(__name__)

TIMEZONE = pendulum.timezone("Asia/Jakarta")
OWNER = "bappeda-data"
TAGS = ["nyengget"]

PROGRAMMES = Asset(name="nyengget_programmes", uri="nyengget://warehouse/programmes", group="warehouse")
INNOVATIONS = Asset(name="nyengget_innovations", uri="nyengget://warehouse/innovations", group="warehouse")
MATCHES = Asset(name="nyengget_matches", uri="nyengget://warehouse/matches", group="warehouse")
WEEKLY = Asset(name="nyengget_weekly", uri="nyengget://warehouse/nyengget_weekly", group="warehouse")


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
    }


def week_of(context: dict[str, Any]) -> date:
    """The ISO week (its Monday) a run is about: run conf `week`, else the triggering assets' `week`,
    else the run's logical date (or run_after) in Asia/Jakarta. Never `now()`."""
    dag_run = context.get("dag_run")
    conf = (getattr(dag_run, "conf", None) or {}) if dag_run else {}
    if conf.get("week"):
        return parse_week(str(conf["week"]))
    events = context.get("triggering_asset_events") or {}
    weeks = [e.extra.get("week") for evs in events.values() for e in evs if (e.extra or {}).get("week")]
    if weeks:
        return parse_week(max(weeks))
    moment = context.get("logical_date") or getattr(dag_run, "run_after", None)
    if moment is None:
        raise ValueError("cannot tell the week of this run: no conf week, asset event or logical date")
    return week_start(moment)


def publish_week(context: dict[str, Any], asset: Asset, week: date, **extra: Any) -> None:
    """Attach the week (and counts) to the asset event this task emits."""
    context["outlet_events"][asset].extra = {"week": week_label(week), **extra}
