"""Innovation ingestion: the OPD directory and the registered innovations (IID export) into the warehouse."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task, task_group

from nyengget.orchestration.dag_support import (
    INNOVATIONS,
    TAGS,
    TIMEZONE,
    cron,
    default_args,
    ingest_week_of,
    publish_regions,
    watcher,
    week_params,
)

DOC = """
### Nyengget — innovation ingestion

For every region of the regions file (`NYENGGET_REGIONS_FILE`, default: the sample's two regions) a
mapped task group imports its OPD directory, then its innovation registry (CSV/XLSX, IID portal
headers accepted), each file in one transaction. Bad rows go to `quarantine` with file, row, field and
reason; good rows still load. A region whose file cannot be read fails only its own mapped tasks:
`publish` still emits the `nyengget_innovations` asset (which triggers matching) for the others, and
`watcher` fails the run so the broken region shows.
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
    def regions(**context) -> list[str]:
        from nyengget.pipeline.registry import region_codes

        ingest_week_of(context)  # a refused week stops before any region is touched
        return region_codes()

    @task
    def import_opds(region_code: str) -> dict:
        from nyengget.pipeline.registry import import_opd_directory

        return import_opd_directory(region_code)

    @task
    def import_innovations(region_code: str) -> dict:
        from nyengget.pipeline.registry import import_innovation_registry

        counts = import_innovation_registry(region_code)
        return {k: v for k, v in counts.items() if k != "rejected"}

    @task_group
    def region_registry(region_code: str):
        import_opds(region_code) >> import_innovations(region_code)

    @task(outlets=[INNOVATIONS], trigger_rule="all_done")
    def publish(codes: list[str], **context) -> dict:
        """The asset event for the regions whose registry is in (one region's broken file stops no other)."""
        return publish_regions(context, INNOVATIONS, ingest_week_of(context), codes,
                               "region_registry.import_innovations")

    codes = regions()
    groups = region_registry.expand(region_code=codes)
    groups >> publish(codes)
    groups >> watcher("a region's registry import")


nyengget_innovations()
