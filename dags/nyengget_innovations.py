"""Innovation ingestion: the OPD directory and the registered innovations (IID export) into the warehouse."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from nyengget.dag_support import (
    INNOVATIONS,
    TAGS,
    TIMEZONE,
    cron,
    default_args,
    ingest_week_of,
    publish_week,
    week_params,
)

DOC = """
### Nyengget — innovation ingestion

Imports the OPD directory, then the innovation registry (CSV/XLSX, IID portal headers accepted),
each file in one transaction. Bad rows go to `quarantine` with file, row, field and reason; good
rows still load. Files: `NYENGGET_OPDS_FILE` and `NYENGGET_INNOVATIONS_FILE` (default: the
illustrative sample under `include/data/sample/`).

Emits the `nyengget_innovations` asset, which triggers matching.
"""


@dag(
    dag_id="nyengget_innovations",
    schedule=cron("0 3 * * 1"),
    start_date=pendulum.datetime(2026, 11, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    params=week_params(),
    tags=[*TAGS, "registry"],
    doc_md=DOC,
)
def nyengget_innovations():
    @task
    def import_opds() -> dict:
        from nyengget.jobs.registry import import_opd_directory

        return import_opd_directory()

    @task(outlets=[INNOVATIONS])
    def import_innovations(**context) -> dict:
        from nyengget.jobs.registry import import_innovation_registry

        week = ingest_week_of(context)
        counts = import_innovation_registry()
        publish_week(context, INNOVATIONS, week, **counts)
        return counts

    import_opds() >> import_innovations()


nyengget_innovations()
