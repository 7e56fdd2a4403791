"""Which delivery the product uses: NYENGGET_SMTP_URL, the Airflow connection smtp_default, or files."""

import json

from nyengget.notify.delivery import FileDelivery, SmtpDelivery, get_delivery


def test_embedded_default_writes_eml_files(nyengget_home, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    delivery = get_delivery()
    assert isinstance(delivery, FileDelivery) and delivery.directory == nyengget_home.resolve() / "outbox"


def test_airflow_smtp_default_connection_with_the_providers_tls_semantics(monkeypatch):
    conn = {"conn_type": "smtp", "host": "mail.example.go.id", "port": 587, "login": "nyengget",
            "password": "example-only", "extra": {"disable_ssl": True}}
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps(conn))
    delivery = get_delivery()
    assert isinstance(delivery, SmtpDelivery)
    assert (delivery.host, delivery.port, delivery.user) == ("mail.example.go.id", 587, "nyengget")
    assert delivery.starttls and not delivery.use_ssl
    conn["extra"] = {}  # SSL unless disabled, as in apache-airflow-providers-smtp
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps(conn))
    assert get_delivery().use_ssl


def test_nyengget_smtp_url_wins(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps({"conn_type": "smtp", "host": "a.example"}))
    monkeypatch.setenv("NYENGGET_SMTP_URL", "smtp://b.example:2525")
    assert get_delivery().host == "b.example"
