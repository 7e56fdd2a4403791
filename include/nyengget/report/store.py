"""Where the weekly reports (the workbook with its calendar sheet, the HTML report) are kept.

Object storage through Airflow's `ObjectStoragePath` (s3://, gs://, file://) when NYENGGET_REPORTS_URL
is set, or derived from NYENGGET_RAW_URL (its `reports` sibling): the task that writes a report and the
one that attaches it may run on different workers, and they meet in the store, not on a local disk.
Without either, a directory (NYENGGET_HOME/reports), as in the embedded default.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from nyengget.regions import Region, region_of
from nyengget.settings import Settings
from nyengget.weeks import week_label

ReportPath = Any  # pathlib.Path or airflow.sdk.ObjectStoragePath: both have name, exists, read_bytes


def reports_root(settings: Settings) -> ReportPath:
    if not settings.reports_url:
        return settings.reports_dir
    from airflow.sdk import ObjectStoragePath

    return ObjectStoragePath(settings.reports_url)


def report_paths(week_start: date, settings: Settings, region: Region | None = None) -> tuple[ReportPath, ReportPath]:
    """The week's workbook and HTML report under the root: `nyengget-2026-W48.xlsx` / `.html` for the default
    region, `nyengget-2026-W48-36.72.xlsx` for another one."""
    region = region or region_of(None)
    suffix = "" if region.code == region_of(None).code else f"-{region.code}"
    root = reports_root(settings)
    stem = f"nyengget-{week_label(week_start)}{suffix}"
    return root / f"{stem}.xlsx", root / f"{stem}.html"


def write(target: ReportPath, writer: Callable[[Path], Path]) -> ReportPath:
    """`writer(path)` writes the file; on a local root straight there (atomically, as the writers do),
    on object storage into a private temporary file whose bytes then become the object."""
    if isinstance(target, Path):
        return writer(target)
    with tempfile.TemporaryDirectory(prefix="nyengget-report-") as tmp:
        local = writer(Path(tmp) / target.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fh:
            fh.write(local.read_bytes())
    return target
