"""Programme ingestion: one task per source (its own host pool), then publish the week's programmes."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from nyengget.orchestration.dag_support import (
    PROGRAMMES,
    TAGS,
    TIMEZONE,
    cron,
    default_args,
    ingest_week_of,
    publish_week,
    watcher,
    week_of,
    week_params,
)
from nyengget.sources.registry import list_sources

DOC = """
### Nyengget — programme ingestion

One task per source listed in `include/nyengget/sources/sources.yaml` (HTML listings, PDF lampiran,
XLSX, RSS/JSON, curated YAML). Each fetches politely (its host's Airflow pool, retries, conditional
GET), keeps raw snapshots, parses, and upserts `programmes` and `programme_versions`; it writes one
`source_runs` row with a health verdict. A broken source fails its own task (and alerts) but never
stops the others, and never marks its programmes disappeared.

`publish` runs when all sources are done and emits the `nyengget_programmes` asset for matching, with
the week in its `extra`. `watcher` fails the run when any source task failed, so a broken source shows
as a failed run (Airflow's watcher pattern) while the other sources still ingest and publish.
A source that cannot be fixed by retrying (robots.txt, 404, a changed layout) fails without retries.
"""


@dag(
    dag_id="nyengget_programmes",
    schedule=cron("0 4 * * 1"),
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    params=week_params(),
    tags=[*TAGS, "sources"],
    doc_md=DOC,
)
def nyengget_programmes():
    @task
    def ingest(source: str, **context) -> dict:
        from nyengget.pipeline.sources import ingest_one

        return ingest_one(source, ingest_week_of(context))

    @task(outlets=[PROGRAMMES], trigger_rule="all_done")
    def publish(**context) -> dict:
        from nyengget.pipeline.sources import week_status

        week = week_of(context)
        status = week_status(week)
        publish_week(context, PROGRAMMES, week, **status)
        return status

    ingests = [
        ingest.override(task_id=f"ingest_{src.name}", pool=src.pool)(source=src.name) for src in list_sources()
    ]

    ingests >> publish()
    ingests >> watcher("a source task (ingest_*)")


nyengget_programmes()
