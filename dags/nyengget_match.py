"""Matching: rank programmes for every active innovation once the week's programmes and innovations are in."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from nyengget.dag_support import (
    INNOVATIONS,
    MATCHES,
    PROGRAMMES,
    TAGS,
    TIMEZONE,
    common_week,
    default_args,
    publish_week,
    week_params,
)

DOC = """
### Nyengget — matching

Runs when both `nyengget_programmes` **and** `nyengget_innovations` have published since the last match
(a conditional asset schedule), for the latest week both events name (`extra.week`). A run whose events
name no common week, or a week whose programmes were not ingested, is refused without retries.
Applies the eligibility filters (level, window, fiscal year), ranks programmes with Indonesian-aware
text relevance, urusan↔bidang codes and planners' feedback, and replaces that week's partition of
`matches` (with a readable reason per pair). Emits `nyengget_matches`, which triggers the weekly list.
"""


@dag(
    dag_id="nyengget_match",
    schedule=(PROGRAMMES & INNOVATIONS),
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    params=week_params(),
    tags=[*TAGS, "matching"],
    doc_md=DOC,
)
def nyengget_match():
    @task(outlets=[MATCHES])
    def match(**context) -> dict:
        from nyengget.jobs.weekly import match_week

        week = common_week(context, PROGRAMMES, INNOVATIONS)
        n = match_week(week)
        publish_week(context, MATCHES, week, matches=n)
        return {"week": str(week), "matches": n}

    match()


nyengget_match()
