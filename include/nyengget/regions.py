"""Regions (pemda) as data: who a deployment serves, read from one `regions.yaml`.

A region carries its Kemendagri code (the warehouse key `region_code`), its DJPK portal code (or None
when no evidence was found), name, level (kota / kabupaten / provinsi), kecamatan, its OPD directory
and innovation registry files, planners' and alert addresses and mail sender. Nothing about a region
is written in code: the file's path is the setting `NYENGGET_REGIONS_FILE` (`config.Settings.regions_file`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from nyengget.funding import LEVELS
from nyengget.settings import sender

# Kemendagri codes: "36" (provinsi), "36.73" (kabupaten/kota) - Permendagri 72/2019, Kepmendagri 100.1.1-6117/2022
_CODE = re.compile(r"^\d{2}(\.\d{2})?$")


class RegionsFileError(ValueError):
    """The regions file cannot be used; the message names the file, the region and the field."""


@dataclass(frozen=True)
class Region:
    code: str  # Kemendagri code, e.g. 36.73; the warehouse key region_code
    name: str  # as people write it, e.g. "Kota Serang"
    level: str  # kota | kabupaten | provinsi: eligibility of programmes by recipient level
    djpk_code: str | None = None  # the DJPK portal's own code (28.07), None when not known
    kecamatan: tuple[str, ...] = ()
    opds_file: Path | None = None
    innovations_file: Path | None = None
    planner_recipients: tuple[str, ...] = ()
    alert_recipients: tuple[str, ...] = ()
    mail_from: str = ""
    province: str | None = None  # the province's name as DJPK writes it ("Banten"), for the TKDD lookup

    @property
    def province_code(self) -> str:
        """The province's Kemendagri code ("36" for 36.73 and for 36 itself)."""
        return self.code.split(".", 1)[0]

    @property
    def bappeda(self) -> str:
        """The planning agency's name for people: "Bappeda Kota Serang"."""
        return f"Bappeda {self.name}"

    def covers(self, region_code: str) -> bool:
        """A province covers its kabupaten/kota; any region covers itself."""
        if self.level == "provinsi":
            return region_code.split(".", 1)[0] == self.code
        return region_code == self.code


@dataclass(frozen=True)
class Regions:
    regions: tuple[Region, ...]
    default_code: str

    @property
    def default(self) -> Region:
        return self.get(self.default_code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions)

    def get(self, code: str) -> Region:
        for region in self.regions:
            if region.code == code:
                return region
        raise KeyError(f"region {code!r} is not configured (known: {', '.join(self.codes)})")

    def __iter__(self):
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self.regions)


def _texts(value, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = re.split(r"[;,]", value)
    if not isinstance(value, list):
        raise RegionsFileError(f"{where}: {field} must be a list")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _file(base: Path, value) -> Path | None:
    if not value:
        return None
    path = Path(str(value))
    return path if path.is_absolute() else (base / path)


def _region(entry: dict, base: Path, where: str) -> Region:
    if not isinstance(entry, dict):
        raise RegionsFileError(f"{where}: each region must be a mapping")
    code = str(entry.get("code") or "").strip()
    if not _CODE.match(code):
        raise RegionsFileError(f"{where}: code {code!r} is not a Kemendagri code like 36.73")
    where = f"{where} ({code})"
    name = str(entry.get("name") or "").strip()
    if not name:
        raise RegionsFileError(f"{where}: name is required")
    level = str(entry.get("level") or "").strip().lower()
    if level not in LEVELS:
        raise RegionsFileError(f"{where}: level must be one of {', '.join(LEVELS)}, got {level!r}")
    if (level == "provinsi") != ("." not in code):
        raise RegionsFileError(f"{where}: a provinsi has a two-digit code, a kabupaten/kota NN.NN")
    djpk = entry.get("djpk_code")
    return Region(
        code=code, name=name, level=level,
        djpk_code=str(djpk).strip() if djpk not in (None, "", "unknown") else None,
        kecamatan=_texts(entry.get("kecamatan"), where, "kecamatan"),
        opds_file=_file(base, entry.get("opds_file")),
        innovations_file=_file(base, entry.get("innovations_file")),
        planner_recipients=_texts(entry.get("planner_emails"), where, "planner_emails"),
        alert_recipients=_texts(entry.get("alert_emails"), where, "alert_emails"),
        mail_from=str(entry.get("mail_from") or sender(f"Nyengget Bappeda {name}")),
        province=str(entry["province"]).strip() if entry.get("province") else None,
    )


def parse_regions(data: dict, base: Path, source: str) -> Regions:
    """Regions from the parsed YAML; relative file paths are relative to `base`."""
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list) or not data["regions"]:
        raise RegionsFileError(f"{source}: expected a mapping with a non-empty list `regions`")
    regions = tuple(_region(e, base, f"{source}: regions[{i}]") for i, e in enumerate(data["regions"]))
    codes = [r.code for r in regions]
    if len(set(codes)) != len(codes):
        raise RegionsFileError(f"{source}: region codes must be unique, got {codes}")
    default = str(data.get("default") or codes[0])
    if default not in codes:
        raise RegionsFileError(f"{source}: default {default!r} is not one of the regions {codes}")
    return Regions(regions, default)


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> Regions:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegionsFileError(f"{path}: cannot read the regions file: {exc}") from exc
    return parse_regions(data, path.parent, str(path))


def load_regions(path: str | Path) -> Regions:
    """The regions of `path` (cached until the file changes)."""
    path = Path(path).resolve()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise RegionsFileError(f"{path}: cannot read the regions file: {exc}") from exc
    return _load(path, mtime)


def configured_regions() -> Regions:
    """The regions of the configured file (`NYENGGET_REGIONS_FILE`). The single-region settings of earlier
    versions (NYENGGET_OPDS_FILE, NYENGGET_INNOVATIONS_FILE, NYENGGET_PLANNER_EMAILS, NYENGGET_MAIL_FROM,
    NYENGGET_LEVEL), when set, override the default region's values."""
    from nyengget.settings import get_settings

    settings = get_settings()
    regions = load_regions(settings.regions_file)
    changes = {k: v for k, v in {
        "opds_file": settings.opds_file, "innovations_file": settings.innovations_file,
        "planner_recipients": settings.planner_recipients or None, "level": settings.level,
        "mail_from": settings.mail_from}.items() if v}
    if not changes:
        return regions
    default = replace(regions.default, **changes)
    return Regions(tuple(default if r.code == default.code else r for r in regions), regions.default_code)


def default_region() -> Region:
    """The configured default region: the one rows without a region belonged to before regions existed."""
    return configured_regions().default


def region_of(code: str | None) -> Region:
    """The configured region `code`, or the default region when `code` is None."""
    regions = configured_regions()
    return regions.default if code is None else regions.get(code)


def in_scope(codes: Iterable[str], scope: Region) -> list[str]:
    """The codes among `codes` that `scope` covers."""
    return [c for c in codes if scope.covers(c)]
