"""Package paths and the Airflow-connection form of the warehouse URL.

The settings themselves are defined in `nyengget.settings` (re-exported here for existing imports);
the contracts they follow are the README's "Settings" table and "Architecture" section.
"""

from __future__ import annotations

from urllib.parse import quote

from nyengget.settings import (  # noqa: F401 - re-exported
    MAIL_DELIVERIES,
    PACKAGE_DIR,
    REPO_ROOT,
    Settings,
    get_settings,
    reset_settings,
)


def airflow_connection_uri(url: str) -> str:
    """A SQLAlchemy URL as an Airflow connection URI (`AIRFLOW_CONN_…`), the inverse of how settings
    read AIRFLOW_CONN_NYENGGET_WAREHOUSE."""
    scheme, rest = url.split("://", 1)
    if scheme.startswith("sqlite"):
        return "sqlite://" + quote(rest.lstrip("/") and "/" + rest.lstrip("/"), safe="")
    if scheme.startswith("postgres"):
        return f"postgres://{rest}"
    return f"{scheme.split('+', 1)[0]}://{rest}"
