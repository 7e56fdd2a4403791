"""Matching: rank programmes for every active innovation whenever programmes or innovations change."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from nyengget.dag_support import (
    INNOVATIONS,
    MATCHES,
    PROGRAMMES,
    TAGS,
    TIMEZONE,
    default_args,
    publish_week,
    week_of,
)

DOC = """
### Nyengget — matching

Triggered by the `nyengget_programmes` or `nyengget_innovations` asset. For the week named by the
triggering event, applies the eligibility filters (level, window, fiscal year), ranks programmes
with Indonesian-aware text relevance, urusan↔bidang codes and planners' feedback, and replaces that
week's partition of `matches` (with a readable reason per pair). Emits `nyengget_matches`.
"""


@dag(
    dag_id="nyengget_match",
    schedule=(PROGRAMMES | INNOVATIONS),
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[*TAGS, "matching"],
    doc_md=DOC,
)
def nyengget_match():
    @task(outlets=[MATCHES])
    def match(**context) -> dict:
        from nyengget.config import get_settings
        from nyengget.warehouse.db import get_engine
        from nyengget.weekly.matches import run_matching

        settings = get_settings()
        week = week_of(context)
        n = run_matching(get_engine(), week, level=settings.level, top_k=settings.top_k)
        publish_week(context, MATCHES, week, matches=n)
        return {"week": str(week), "matches": n}

    match()


nyengget_match()
