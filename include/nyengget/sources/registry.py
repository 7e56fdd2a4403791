"""The list of sources, read from a YAML file a data engineer can edit without touching code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from nyengget.errors import InputFileError, UsageError
from nyengget.settings import Settings, get_settings

DEFAULT_FILE = Settings.model_fields["sources_file"].default  # NYENGGET_SOURCES_FILE unset
ADAPTERS = ("announcements", "regulations", "juknis_pdf", "tables", "djpk_tkdd", "curated")


@dataclass(frozen=True)
class SourceConfig:
    """One source: which adapter parses it, which URLs it starts from, how politely to fetch."""

    name: str
    adapter: str
    urls: tuple[str, ...]
    pool: str
    options: dict[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ("title",)
    min_delay_s: float = 1.0
    enabled: bool = True
    description: str = ""

    @property
    def host(self) -> str:
        return urlsplit(self.urls[0]).hostname or "local" if self.urls else "local"


def pool_name(url: str) -> str:
    """`nyengget_host_<host>` with dots and dashes as underscores (Airflow pool names)."""
    host = urlsplit(url).hostname or "local"
    return "nyengget_host_" + host.replace(".", "_").replace("-", "_")


def sources_file() -> Path:
    return get_settings().sources_file


def _config(raw: dict[str, Any], path: Path) -> SourceConfig:
    name = raw.get("name")
    adapter = raw.get("adapter")
    if not name or adapter not in ADAPTERS:
        raise InputFileError(f"{path}: source {name!r} needs a name and an adapter among {', '.join(ADAPTERS)}")
    urls = raw.get("urls") or ([raw["url"]] if raw.get("url") else [])
    if not urls:
        raise InputFileError(f"{path}: source {name!r} has no url/urls")
    return SourceConfig(
        name=name,
        adapter=adapter,
        urls=tuple(urls),
        pool=raw.get("pool") or pool_name(urls[0]),
        options=dict(raw.get("options") or {}),
        required=tuple(raw.get("required") or ("title",)),
        min_delay_s=float(raw.get("min_delay_s", 1.0)),
        enabled=bool(raw.get("enabled", True)),
        description=str(raw.get("description", "")),
    )


def list_sources(path: Path | None = None, *, include_disabled: bool = False) -> list[SourceConfig]:
    """All sources of the YAML file (enabled ones unless asked), in file order."""
    path = path or sources_file()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputFileError(f"cannot read sources file {path}: {exc}") from exc
    configs = [_config(raw, path) for raw in doc.get("sources", [])]
    names = [c.name for c in configs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise InputFileError(f"{path}: duplicate source names: {', '.join(sorted(dupes))}")
    return [c for c in configs if include_disabled or c.enabled]


def get_source(name: str) -> SourceConfig:
    for config in list_sources(include_disabled=True):
        if config.name == name:
            return config
    raise UsageError(f"unknown source {name!r} (see `nyengget sources list`)")
