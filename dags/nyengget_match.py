"""Matching: rank programmes for every active innovation once the week's programmes and innovations are in."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from nyengget.orchestration.dag_support import (
    INNOVATIONS,
    MATCHES,
    PROGRAMMES,
    TAGS,
    TIMEZONE,
    common_week,
    default_args,
    publish_regions,
    watcher,
    week_params,
)

DOC = """
### Nyengget — matching

Runs when both `nyengget_programmes` **and** `nyengget_innovations` have published since the last match
(a conditional asset schedule), for the latest week both events name (`extra.week`). A run whose events
name no common week, or a week whose programmes were not ingested, is refused without retries.
One mapped `match` task per configured region: applies the eligibility filters (the region's level,
window, fiscal year), ranks the shared programmes for the region's innovations with Indonesian-aware
text relevance, urusan↔bidang codes and its planners' feedback, and replaces the region's partition of
`matches` for the week (with a readable reason per pair). `publish` emits `nyengget_matches` once for
the regions matched (one region's failure stops no other), which triggers the weekly list; `watcher`
fails the run when a region failed.
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
    @task
    def regions(**context) -> list[str]:
        from nyengget.pipeline.registry import region_codes

        common_week(context, PROGRAMMES, INNOVATIONS)  # refused before any region is matched
        return region_codes()

    @task(inlets=[PROGRAMMES, INNOVATIONS])
    def match(region_code: str, **context) -> dict:
        from nyengget.pipeline.weekly import match_week

        week = common_week(context, PROGRAMMES, INNOVATIONS)
        n = match_week(week, region_code)
        return {"week": str(week), "region_code": region_code, "matches": n}

    @task(outlets=[MATCHES], trigger_rule="all_done")
    def publish(codes: list[str], **context) -> dict:
        """The asset event for the regions matched this run."""
        return publish_regions(context, MATCHES, common_week(context, PROGRAMMES, INNOVATIONS), codes, "match")

    codes = regions()
    matched = match.expand(region_code=codes)
    matched >> publish(codes)
    matched >> watcher("a region's matching")


nyengget_match()
