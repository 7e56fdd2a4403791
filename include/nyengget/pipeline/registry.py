"""Tasks of the innovation-ingestion DAG: one region's directory and registry per mapped task."""

from __future__ import annotations

from dataclasses import asdict

from nyengget.regions import RegionsFileError, configured_regions, region_of
from nyengget.registry import import_innovations, import_opds
from nyengget.warehouse.db import get_engine


def _file(path, code: str, field: str):
    if path is None:
        raise RegionsFileError(f"region {code}: {field} is not set in the regions file")
    return path


def region_codes() -> list[str]:
    """The configured regions' codes, in file order (what the DAGs map over)."""
    return list(configured_regions().codes)


def import_opd_directory(region_code: str | None = None) -> dict:
    """The region's OPD directory (default: the default region's) into `opds`."""
    region = region_of(region_code)
    path = _file(region.opds_file, region.code, "opds_file")
    return {"region_code": region.code, **asdict(import_opds(get_engine(), path, region=region))}


def import_innovation_registry(region_code: str | None = None) -> dict:
    """The region's innovation registry (default: the default region's) into `innovations`."""
    region = region_of(region_code)
    path = _file(region.innovations_file, region.code, "innovations_file")
    result = import_innovations(get_engine(), path, region=region)
    return {"region_code": region.code, **asdict(result)}
