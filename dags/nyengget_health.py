"""Health checks after each weekly list: one concise alert per problem, nothing when all is well."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from nyengget.orchestration.dag_support import TAGS, TIMEZONE, WEEKLY, default_args, week_of

DOC = """
### Nyengget — health

Runs whenever `nyengget_weekly` publishes a week. Checks source freshness (a good fetch in the last
two weeks), unhealthy sources, row-count drops (below half the median of the previous weeks),
quarantine growth, emails left unsent, and warehouse rules (required fields, `closes_on ≥ opens_on`,
ceilings ≥ 0, scores in [0, 1], a non-empty week). Each problem becomes one alert email to
`NYENGGET_ALERT_EMAILS` (through the outbox: a rerun sends nothing new).
"""


@dag(
    dag_id="nyengget_health",
    schedule=[WEEKLY],
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[*TAGS, "monitoring"],
    doc_md=DOC,
)
def nyengget_health():
    @task
    def check(**context) -> dict:
        from nyengget.pipeline.health import check_week

        ti = context.get("ti")
        return check_week(week_of(context), run_link=str(getattr(ti, "log_url", "") or ""))

    check()


nyengget_health()
