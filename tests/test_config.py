from pathlib import Path

from nyengget.config import get_settings


def test_embedded_default_lives_under_nyengget_home(nyengget_home: Path):
    settings = get_settings()
    assert settings.warehouse_url == f"sqlite:///{nyengget_home.resolve() / 'warehouse.sqlite'}"
    assert settings.outbox_dir == nyengget_home.resolve() / "outbox"
    assert settings.closing_soon_days == 21


def test_warehouse_url_from_env_or_airflow_connection(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_NYENGGET_WAREHOUSE", "postgres://u:p@db.example:5432/nyengget")
    assert get_settings().warehouse_url == "postgresql+psycopg://u:p@db.example:5432/nyengget"
    monkeypatch.setenv("NYENGGET_WAREHOUSE_URL", "postgresql+psycopg://other/wh")
    assert get_settings().warehouse_url == "postgresql+psycopg://other/wh"
