"""Every setting Nyengget reads from the environment, typed and validated, in one place.

`get_settings()` parses the environment once and returns the same frozen `Settings` until one of the
variables it reads changes (a test's monkeypatch, `local_run` pointing at its replay server), then
parses again; `reset_settings()` forgets the cached value. No other module reads `NYENGGET_*`.

`python -m nyengget.settings --env-example` prints `.env.example`; `--readme-table` prints the
settings table of the README (both are checked against this file by tests/test_settings.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from pydantic import AliasChoices, Field, PrivateAttr, SecretStr, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nyengget.funding import DEFAULT_LEVEL, LEVELS
from nyengget.matching import LIST_LENGTH

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
PREFIX = "NYENGGET_"
MAIL_DELIVERIES = ("smtp", "file")
SENDER_ADDRESS = "nyengget@bappeda.example.go.id"  # the placeholder address of every default From header


def sender(display: str = "Nyengget") -> str:
    """A From header at the placeholder address: alerts get "Nyengget", a region "Nyengget Bappeda <name>"."""
    return f"{display} <{SENDER_ADDRESS}>"


Level = Literal[LEVELS]  # type: ignore[valid-type]
Csv = Annotated[tuple[str, ...], NoDecode]
# Variables read by Airflow itself that change what Nyengget resolves (the warehouse, mail delivery,
# the link secret's Variable), besides every NYENGGET_* one.
AIRFLOW_VARIABLES = ("AIRFLOW_CONN_NYENGGET_WAREHOUSE", "AIRFLOW_CONN_SMTP_DEFAULT",
                     "AIRFLOW_VAR_NYENGGET_LINK_SECRET")
# Read by scripts/compose, not by the package; listed in .env.example and the README all the same.
OTHER_VARIABLES = (
    ("NYENGGET_PORT", "8080", "make up: api-server port"),
    ("NYENGGET_HOST", "127.0.0.1", "make up: address the api-server binds"),
    ("NYENGGET_REPLAY_WEEK", "2026-W48", "make up: the recorded week served to the DAGs"),
    ("NYENGGET_REPLAY_PORT", "8799", "make up: port of that replay server"),
    ("AIRFLOW_JWT_SECRET", "...", "secret, docker compose (scripts/compose-secrets.sh generates it)"),
    ("AIRFLOW_FERNET_KEY", "...", "secret, docker compose (scripts/compose-secrets.sh generates it)"),
)


def _default_home() -> Path:
    """`.local` in the repository root (editable install) or in the working directory."""
    root = REPO_ROOT if (REPO_ROOT / "pyproject.toml").exists() else Path.cwd()
    return root / ".local"


def _env(name: str, default: Any = None, description: str = "", example: str | None = None, *,
         shown: str | None = None, **kw: Any) -> Any:
    """A field read from `name` (the full variable name), with its description, its .env.example value
    and (`shown`) how the README states a default that is derived from other settings."""
    extra = {"env": name, "example": example if example is not None else ("" if default is None else default),
             "shown": shown}
    return Field(default, validation_alias=AliasChoices(name), description=description,
                 json_schema_extra=extra, **kw)


class Settings(BaseSettings):
    """The process's configuration (see README "Settings"); derived values are filled in on validation."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", validate_default=False)

    home: Path = _env("NYENGGET_HOME", None, "everything local: warehouse, outbox, reports, raw snapshots, the "
                      "matcher's programme analysis (cache/matcher)", ".local", shown="`.local` (repository root)")
    warehouse_url: str = _env(
        "NYENGGET_WAREHOUSE_URL", "", "SQLAlchemy URL of the warehouse (else the Airflow connection "
        "nyengget_warehouse, else NYENGGET_HOME/warehouse.sqlite)",
        "postgresql+psycopg://nyengget:change-me@127.0.0.1:5432/nyengget", shown="`NYENGGET_HOME/warehouse.sqlite`")
    smtp_url: str | None = _env("NYENGGET_SMTP_URL", None, "smtp:// or smtps:// server (else the Airflow "
                                "connection smtp_default)",
                                "smtp://user:change-me@smtp.example.go.id:587?starttls=1")
    mail_delivery: str = _env("NYENGGET_MAIL_DELIVERY", "", "file (.eml under NYENGGET_HOME/outbox) or smtp; "
                              "unset: file for the embedded default, else smtp", "file",
                              shown="file (embedded) / smtp")
    mail_from: str | None = _env("NYENGGET_MAIL_FROM", None, "From header of the default region's emails "
                                 "(overrides its `mail_from` in the regions file)",
                                 sender(), shown="the region's `mail_from`")
    planner_recipients: Csv = _env("NYENGGET_PLANNER_EMAILS", (), "comma-separated: who gets the default "
                                   "region's weekly summary (overrides its `planners` in the regions file)",
                                   "perencana@bappeda.example.go.id", shown="the region's planners")
    alert_recipients: Csv = _env("NYENGGET_ALERT_EMAILS", ("data-engineer@bappeda.example.go.id",),
                                 "comma-separated: who gets alerts (failed tasks, gates, health)",
                                 "data-engineer@bappeda.example.go.id")
    public_base_url: str = _env("NYENGGET_PUBLIC_URL", "http://localhost:8080/nyengget",
                                "public address of the review page, used in email links")
    closing_soon_days: int = _env("NYENGGET_CLOSING_SOON_DAYS", 21, "a window closing within this many days "
                                  "is 'segera ditutup'", ge=0)
    top_k: int = _env("NYENGGET_TOP_K", LIST_LENGTH, "programmes kept per innovation each week", ge=1)
    level: Level | None = _env("NYENGGET_LEVEL", None, f"the default region's level ({', '.join(LEVELS)}; "
                               "overrides its `level` in the regions file)", DEFAULT_LEVEL,
                               shown="the region's level")
    send_empty: bool = _env("NYENGGET_SEND_EMPTY", False, "also email OPDs with nothing this week")
    retry_delay_s: float = _env("NYENGGET_RETRY_DELAY_SECONDS", 60.0, "first retry delay of every task "
                                "(exponential backoff)", "60", gt=0)
    outbox_lease_s: int = _env("NYENGGET_OUTBOX_LEASE_SECONDS", 600, "a claimed email not marked sent "
                               "within this many seconds is claimed again (same Message-ID)", ge=1)
    time_schedules: bool = _env("NYENGGET_TIME_SCHEDULES", True, "off: DAGs run only when triggered or by "
                                "asset events", "on")
    sample_dir: Path = _env("NYENGGET_SAMPLE_DIR", REPO_ROOT / "include" / "data" / "sample",
                            "directory of the sample OPD and innovation files", "include/data/sample")
    opds_file: Path | None = _env("NYENGGET_OPDS_FILE", None, "the default region's OPD list (overrides its "
                                  "`opds_file` in the regions file)", "include/data/sample/opds.csv",
                                  shown="the region's `opds_file`")
    innovations_file: Path | None = _env("NYENGGET_INNOVATIONS_FILE", None, "the default region's innovations "
                                         "register (overrides its `innovations_file`)",
                                         "include/data/sample/innovations.csv",
                                         shown="the region's `innovations_file`")
    sources_file: Path = _env("NYENGGET_SOURCES_FILE", PACKAGE_DIR / "sources" / "sources.yaml",
                              "the list of programme sources", "include/nyengget/sources/sources.yaml")
    sources_base_url: str | None = _env("NYENGGET_SOURCES_BASE_URL", None, "replay recorded sources from "
                                        "this server instead of the real sites", "http://127.0.0.1:8765")
    snapshots_dir: Path = _env("NYENGGET_SNAPSHOTS_DIR", REPO_ROOT / "include" / "snapshots",
                               "the recorded weeks of the sources (make run replays them)", "include/snapshots")
    raw_url: str | None = _env("NYENGGET_RAW_URL", None, "raw snapshots and reports in object storage "
                               "(ObjectStoragePath: s3://, gs://, file://; else NYENGGET_HOME)",
                               "s3://my-bucket/nyengget/raw")
    reports_url: str | None = _env("NYENGGET_REPORTS_URL", None, "weekly reports in object storage "
                                   "(ObjectStoragePath; default: the `reports` sibling of NYENGGET_RAW_URL, "
                                   "else NYENGGET_HOME/reports)", "s3://my-bucket/nyengget/reports")
    regions_file: Path = _env("NYENGGET_REGIONS_FILE", None, "the regions served: codes, level, kecamatan, OPD "
                              "and innovation files, planners, sender (docs/regions.md)",
                              "include/data/sample/regions.yaml", shown="`NYENGGET_SAMPLE_DIR/regions.yaml`")
    users_file: Path | None = _env("NYENGGET_USERS_FILE", None, "review page users and their scope (YAML); "
                                   "unset: nobody may use the page",
                                   "include/nyengget/review/users.example.yaml")
    link_secret: SecretStr | None = _env("NYENGGET_LINK_SECRET", None, "secret, >= 24 random characters "
                                         "signing email links (or the Airflow Variable nyengget_link_secret)",
                                         "...")
    link_secret_file: Path | None = _env("NYENGGET_LINK_SECRET_FILE", None, "a file holding that secret",
                                         "/run/secrets/nyengget_link_secret")
    link_max_age_days: int = _env("NYENGGET_LINK_MAX_AGE_DAYS", 21, "an email link is refused after this "
                                  "many days", ge=1)
    airflow_warehouse_conn: str | None = _env("AIRFLOW_CONN_NYENGGET_WAREHOUSE", None, "Airflow's own: the "
                                              "warehouse connection as a URI", "postgres://u:p@db:5432/nyengget")
    airflow_smtp_conn: str | None = _env("AIRFLOW_CONN_SMTP_DEFAULT", None, "Airflow's own: the smtp_default "
                                         "connection as a URI", "smtp://user:pass@smtp.example.go.id:587")

    _warehouse_url_given: bool = PrivateAttr(False)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any, info) -> Any:
        """An empty variable means 'not set' (NYENGGET_SOURCES_BASE_URL= fetches the real sites), except
        for the recipient lists, where empty means nobody."""
        if value == "" and info.field_name not in ("planner_recipients", "alert_recipients"):
            return cls.model_fields[info.field_name].get_default(call_default_factory=True)
        return value

    @field_validator("planner_recipients", "alert_recipients", mode="before")
    @classmethod
    def _csv(cls, value: Any) -> Any:
        return tuple(x.strip() for x in value.split(",") if x.strip()) if isinstance(value, str) else value

    @field_validator("mail_delivery", mode="before")
    @classmethod
    def _delivery(cls, value: Any) -> Any:
        value = (value or "").strip().lower()
        if value and value not in MAIL_DELIVERIES:
            raise ValueError(f"NYENGGET_MAIL_DELIVERY must be one of {', '.join(MAIL_DELIVERIES)}, got {value!r}")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _derive(self) -> Settings:
        """Fill in what depends on other settings (frozen afterwards)."""
        home = (self.home or _default_home()).resolve()
        self._warehouse_url_given = bool(self.warehouse_url)
        warehouse = self.warehouse_url or _warehouse_url(self.airflow_warehouse_conn, home)
        derived = {
            "home": home,
            "warehouse_url": warehouse,
            "regions_file": self.regions_file or self.sample_dir / "regions.yaml",
            "reports_url": self.reports_url or _reports_beside(self.raw_url),
            "mail_delivery": self.mail_delivery or _default_delivery(warehouse, self.smtp_url or
                                                                     self.airflow_smtp_conn),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)
        return self

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return init_settings, env_settings  # the environment only: no .env file is read implicitly

    @property
    def warehouse_url_given(self) -> bool:
        """NYENGGET_WAREHOUSE_URL was set (rather than derived from Airflow's connection or the home)."""
        return self._warehouse_url_given

    @property
    def embedded(self) -> bool:
        """The embedded default (`make run`, `make up`): SQLite warehouse and `.eml` files, no real SMTP."""
        return self.warehouse_url.startswith("sqlite") and self.mail_delivery == "file" and not self.smtp_url

    @property
    def alert_sender(self) -> str:
        """From header of alerts to data engineers (they belong to no region): NYENGGET_MAIL_FROM when set."""
        return self.mail_from or sender()

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def matcher_cache_dir(self) -> Path:
        """The week's programme analysis, shared by the regions' match tasks on this host (matching/catalogue.py)."""
        return self.home / "cache" / "matcher"


def _warehouse_url(conn: str | None, home: Path) -> str:
    """The Airflow connection `nyengget_warehouse` given as a URI, else the embedded SQLite file."""
    if conn and "://" in conn:
        scheme, rest = conn.split("://", 1)
        if scheme in ("postgres", "postgresql"):
            scheme = "postgresql+psycopg"
        if scheme == "sqlite":  # Airflow's form: sqlite://%2Fabs%2Fpath.db
            return f"sqlite:///{unquote(rest)}"
        return f"{scheme}://{rest}"
    return f"sqlite:///{home / 'warehouse.sqlite'}"


def _reports_beside(raw_url: str | None) -> str | None:
    """`…/raw` → `…/reports`; another raw URL → `<raw>/reports`; no raw URL → None (a local directory)."""
    if not raw_url:
        return None
    base = raw_url.rstrip("/")
    return base[:-len("/raw")] + "/reports" if base.endswith("/raw") else base + "/reports"


def _default_delivery(warehouse_url: str, mail_configured: str | None) -> str:
    """Unset NYENGGET_MAIL_DELIVERY is decided from the configuration, never from a failed lookup: `file`
    for the embedded default (SQLite warehouse, no SMTP server given), else `smtp` (which refuses to run
    if the server cannot be configured)."""
    return "file" if warehouse_url.startswith("sqlite") and not mail_configured else "smtp"


# -- read once -------------------------------------------------------------------------------------
_lock = threading.Lock()
_cached: tuple[tuple, Settings] | None = None


def _read_names() -> tuple[str, ...]:
    """Every variable `Settings` reads, and Airflow's that change what it resolves."""
    return tuple(f.json_schema_extra["env"] for f in Settings.model_fields.values()) + AIRFLOW_VARIABLES


_READ = _read_names()


def env_fingerprint() -> tuple:
    """The variables settings depend on, as they are now: one lookup per variable Settings reads (called
    for every signed link and settings read, so it never walks the whole environment)."""
    environ = os.environ
    return tuple(environ.get(name) for name in _READ)


def get_settings() -> Settings:
    """The settings of this process, parsed on first use (not at import time) and again only when the
    environment they come from has changed."""
    global _cached
    key = env_fingerprint()
    hit = _cached
    if hit is not None and hit[0] == key:
        return hit[1]
    with _lock:
        settings = Settings()
        _cached = (key, settings)
    return settings


def reset_settings() -> None:
    """Forget the parsed settings (tests)."""
    global _cached
    _cached = None


# -- generated documentation -------------------------------------------------------------------------
def _documented() -> list[tuple[str, str, str]]:
    """(variable, example value, description) of every setting, in declaration order."""
    rows = []
    for field in Settings.model_fields.values():
        extra = field.json_schema_extra or {}
        rows.append((extra["env"], _shown(extra["example"]), field.description or ""))
    return rows + list(OTHER_VARIABLES)


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Path):
        return str(value.relative_to(REPO_ROOT)) if value.is_relative_to(REPO_ROOT) else str(value)
    return str(value)


def _default_shown(field: FieldInfo) -> str:
    if field.json_schema_extra.get("shown"):
        return field.json_schema_extra["shown"]
    default = field.get_default(call_default_factory=True)
    return "—" if default in (None, "") else _shown(default)


def env_example() -> str:
    """The text of `.env.example`: every variable, commented out, with an example and what it does."""
    lines = ["# Example settings for development — copy to .env and adapt. Never commit real secrets.",
             "# Generated by `make env-example` (python -m nyengget.settings --env-example); do not edit."]
    for name, example, description in _documented():
        lines.append(f"# {name}={_quoted(example)}".ljust(60) + f"  # {description}")
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


README_MARKERS = ("<!-- settings-table:start -->", "<!-- settings-table:end -->")


def readme_table() -> str:
    """The README's table of settings (between its `settings-table` markers)."""
    defaults = {f.json_schema_extra["env"]: _default_shown(f) for f in Settings.model_fields.values()}
    lines = ["| variable | default | what it does |", "| --- | --- | --- |"]
    for name, example, description in _documented():
        default = defaults.get(name, example if name.startswith(PREFIX) and example != "..." else "—")
        lines.append(f"| `{name}` | {default.replace('|', '/')} | {description} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Nyengget settings: generated documentation.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--env-example", action="store_true", help="print .env.example")
    group.add_argument("--readme-table", action="store_true", help="print the README's settings table")
    group.add_argument("--write-readme", metavar="README", type=Path, help="replace the table in README")
    args = parser.parse_args(argv)
    if args.write_readme:
        text = args.write_readme.read_text(encoding="utf-8")
        start, end = README_MARKERS
        head, rest = text.split(start + "\n", 1)
        args.write_readme.write_text(f"{head}{start}\n{readme_table()}{end}{rest.split(end, 1)[1]}",
                                     encoding="utf-8")
        return 0
    sys.stdout.write(env_example() if args.env_example else readme_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
