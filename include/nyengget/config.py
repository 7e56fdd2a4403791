"""Settings from the environment, with the embedded defaults of DESIGN.md."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent


def _default_home() -> Path:
    """`.local` in the repository root (editable install) or in the working directory."""
    root = REPO_ROOT if (REPO_ROOT / "pyproject.toml").exists() else Path.cwd()
    return root / ".local"


@dataclass(frozen=True)
class Settings:
    home: Path
    warehouse_url: str
    smtp_url: str | None
    snapshots_dir: Path
    sample_dir: Path
    closing_soon_days: int
    mail_from: str
    public_base_url: str
    alert_recipients: tuple[str, ...]
    planner_recipients: tuple[str, ...]  # NYENGGET_PLANNER_EMAILS: overrides the default region's when set
    level: str | None  # NYENGGET_LEVEL: overrides the default region's level when set
    top_k: int
    opds_file: Path | None  # NYENGGET_OPDS_FILE: overrides the default region's directory when set
    innovations_file: Path | None  # NYENGGET_INNOVATIONS_FILE: likewise for its registry
    send_empty: bool
    regions_file: Path = REPO_ROOT / "include" / "data" / "sample" / "regions.yaml"  # NYENGGET_REGIONS_FILE
    mail_delivery: str = "smtp"  # "file" (.eml under outbox_dir, chosen explicitly) or "smtp"
    outbox_lease_s: int = 600  # a claimed email not marked sent within this is claimed again (same Message-ID)
    retry_delay_s: float = 60.0  # first retry delay of every task; a 4xx-deferred email waits for that retry

    @property
    def embedded(self) -> bool:
        """The embedded default (`make run`, `make up`): SQLite warehouse and `.eml` files, no real SMTP."""
        return self.warehouse_url.startswith("sqlite") and self.mail_delivery == "file" and not self.smtp_url

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"


def _warehouse_url(home: Path) -> str:
    """NYENGGET_WAREHOUSE_URL, else the Airflow connection `nyengget_warehouse` given as an
    AIRFLOW_CONN_NYENGGET_WAREHOUSE URI, else the embedded SQLite file."""
    url = os.environ.get("NYENGGET_WAREHOUSE_URL")
    if url:
        return url
    conn = os.environ.get("AIRFLOW_CONN_NYENGGET_WAREHOUSE", "")
    if "://" in conn:
        scheme, rest = conn.split("://", 1)
        if scheme in ("postgres", "postgresql"):
            scheme = "postgresql+psycopg"
        if scheme == "sqlite":  # Airflow's form: sqlite://%2Fabs%2Fpath.db
            return f"sqlite:///{unquote(rest)}"
        return f"{scheme}://{rest}"
    return f"sqlite:///{home / 'warehouse.sqlite'}"


def airflow_connection_uri(url: str) -> str:
    """A SQLAlchemy URL as an Airflow connection URI (`AIRFLOW_CONN_…`), the inverse of `_warehouse_url`."""
    scheme, rest = url.split("://", 1)
    if scheme.startswith("sqlite"):
        return "sqlite://" + quote(rest.lstrip("/") and "/" + rest.lstrip("/"), safe="")
    if scheme.startswith("postgres"):
        return f"postgres://{rest}"
    return f"{scheme.split('+', 1)[0]}://{rest}"


def _csv_env(name: str, default: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in os.environ.get(name, default).split(",") if x.strip())


def _path_env(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def get_settings() -> Settings:
    """Read settings now (not at import time), so tests and tasks can change the environment."""
    home = Path(os.environ.get("NYENGGET_HOME") or _default_home()).resolve()
    warehouse_url = _warehouse_url(home)
    sample_dir = Path(os.environ.get("NYENGGET_SAMPLE_DIR") or REPO_ROOT / "include" / "data" / "sample")
    return Settings(
        home=home,
        warehouse_url=warehouse_url,
        smtp_url=os.environ.get("NYENGGET_SMTP_URL") or None,
        snapshots_dir=Path(os.environ.get("NYENGGET_SNAPSHOTS_DIR") or REPO_ROOT / "include" / "snapshots"),
        sample_dir=sample_dir,
        closing_soon_days=int(os.environ.get("NYENGGET_CLOSING_SOON_DAYS", "21")),
        mail_from=os.environ.get("NYENGGET_MAIL_FROM", "Nyengget <nyengget@bappeda.example.go.id>"),
        public_base_url=os.environ.get("NYENGGET_PUBLIC_URL", "http://localhost:8080/nyengget").rstrip("/"),
        alert_recipients=_csv_env("NYENGGET_ALERT_EMAILS", "data-engineer@bappeda.example.go.id"),
        planner_recipients=_csv_env("NYENGGET_PLANNER_EMAILS", ""),
        level=os.environ.get("NYENGGET_LEVEL") or None,
        top_k=int(os.environ.get("NYENGGET_TOP_K", "5")),
        opds_file=_path_env("NYENGGET_OPDS_FILE"),
        innovations_file=_path_env("NYENGGET_INNOVATIONS_FILE"),
        regions_file=Path(os.environ.get("NYENGGET_REGIONS_FILE") or sample_dir / "regions.yaml"),
        send_empty=os.environ.get("NYENGGET_SEND_EMPTY", "false").lower() in ("1", "true", "yes"),
        mail_delivery=_mail_delivery(warehouse_url),
        outbox_lease_s=int(os.environ.get("NYENGGET_OUTBOX_LEASE_SECONDS", "600")),
        retry_delay_s=float(os.environ.get("NYENGGET_RETRY_DELAY_SECONDS", "60")),
    )


MAIL_DELIVERIES = ("smtp", "file")


def _mail_delivery(warehouse_url: str) -> str:
    """NYENGGET_MAIL_DELIVERY when set. Unset, it is decided from the configuration, never from a failed
    lookup: `file` for the embedded default (SQLite warehouse, no NYENGGET_SMTP_URL, no smtp_default given
    as AIRFLOW_CONN_SMTP_DEFAULT), else `smtp` (which refuses to run if the server cannot be configured)."""
    value = (os.environ.get("NYENGGET_MAIL_DELIVERY") or "").strip().lower()
    if not value:
        mail_configured = os.environ.get("NYENGGET_SMTP_URL") or os.environ.get("AIRFLOW_CONN_SMTP_DEFAULT")
        return "file" if warehouse_url.startswith("sqlite") and not mail_configured else "smtp"
    if value not in MAIL_DELIVERIES:
        raise ValueError(f"NYENGGET_MAIL_DELIVERY must be one of {', '.join(MAIL_DELIVERIES)}, got {value!r}")
    return value
