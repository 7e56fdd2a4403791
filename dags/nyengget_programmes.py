"""Programme ingestion: one task per source (its own host pool), then publish the week's programmes."""

from __future__ import annotations

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, task

from nyengget.dag_support import PROGRAMMES, TAGS, TIMEZONE, default_args, publish_week, week_of
from nyengget.sources.registry import list_sources

DOC = """
### Nyengget — programme ingestion

One task per source listed in `include/nyengget/sources/sources.yaml` (HTML listings, PDF lampiran,
XLSX, RSS/JSON, curated YAML). Each fetches politely (its host's Airflow pool, retries, conditional
GET), keeps raw snapshots, parses, and upserts `programmes` and `programme_versions`; it writes one
`source_runs` row with a health verdict. A broken source fails its own task (and alerts) but never
stops the others, and never marks its programmes disappeared.

`publish` runs when all sources are done and emits the `nyengget_programmes` asset for matching.
"""


@dag(
    dag_id="nyengget_programmes",
    schedule=CronTriggerTimetable("0 4 * * 1", timezone=TIMEZONE),
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[*TAGS, "sources"],
    doc_md=DOC,
)
def nyengget_programmes():
    @task
    def ingest(source: str, **context) -> dict:
        from nyengget.jobs.sources import ingest_one

        return ingest_one(source, week_of(context))

    @task(outlets=[PROGRAMMES], trigger_rule="all_done")
    def publish(**context) -> dict:
        from nyengget.jobs.sources import week_status

        week = week_of(context)
        status = week_status(week)
        publish_week(context, PROGRAMMES, week, **status)
        return status

    ingests = [
        ingest.override(task_id=f"ingest_{src.name}", pool=src.pool)(source=src.name) for src in list_sources()
    ]
    ingests >> publish()


nyengget_programmes()
