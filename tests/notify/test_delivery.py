"""Which delivery the product uses: `.eml` files only when chosen, NYENGGET_SMTP_URL, or SmtpHook on
the Airflow connection smtp_default — and never a silent fallback to files."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from nyengget.notify import message, outbox
from nyengget.notify.delivery import DeliveryNotConfigured, FileDelivery, SmtpHookDelivery, get_delivery
from nyengget.warehouse.schema import outbox as outbox_table
from smtp_inbox import Inbox, smtp_server

WEEK = date(2026, 11, 23)


def test_eml_files_only_when_chosen_explicitly(nyengget_home, monkeypatch):
    delivery = get_delivery()  # conftest sets NYENGGET_MAIL_DELIVERY=file, as `make run` / `make up` do
    assert isinstance(delivery, FileDelivery) and delivery.directory == nyengget_home.resolve() / "outbox"


def test_the_embedded_default_writes_files_without_any_lookup(monkeypatch):
    monkeypatch.delenv("NYENGGET_MAIL_DELIVERY")
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    assert isinstance(get_delivery(), FileDelivery)  # SQLite warehouse, no SMTP given: `make run`
    monkeypatch.setenv("NYENGGET_WAREHOUSE_URL", "postgresql+psycopg://nyengget@127.0.0.1/nyengget")
    with pytest.raises(DeliveryNotConfigured):  # a production warehouse never writes .eml files by itself
        get_delivery()


def test_no_delivery_configured_refuses_and_names_the_settings(monkeypatch):
    monkeypatch.setenv("NYENGGET_MAIL_DELIVERY", "smtp")
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    with pytest.raises(DeliveryNotConfigured, match="NYENGGET_SMTP_URL.*smtp_default.*NYENGGET_MAIL_DELIVERY"):
        get_delivery()


def test_an_unreadable_airflow_connection_sends_nothing_and_marks_nothing_sent(engine, monkeypatch):
    monkeypatch.delenv("NYENGGET_MAIL_DELIVERY")
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", "{not json")
    msg = message.build(sender="a@example.go.id", recipients=["b@example.go.id"], subject="s", text="t",
                        html="<p>h</p>", key="k")
    outbox.queue(engine, [outbox.Outgoing(WEEK, "b@example.go.id", "opd_digest:X", msg)])
    with pytest.raises(DeliveryNotConfigured):
        outbox.deliver(engine, WEEK)
    with engine.connect() as conn:
        assert conn.execute(select(outbox_table.c.status)).scalar_one() == "pending"


def test_airflow_smtp_default_goes_through_the_providers_smtphook(engine, monkeypatch):
    monkeypatch.delenv("NYENGGET_MAIL_DELIVERY")
    inbox = Inbox()
    with smtp_server(inbox) as port:
        conn = {"conn_type": "smtp", "host": "127.0.0.1", "port": port,
                "extra": {"disable_ssl": True, "disable_tls": True, "timeout": 5}}
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps(conn))
        assert isinstance(get_delivery(), SmtpHookDelivery)
        msg = message.build(sender="a@example.go.id", recipients=["dinkes@example.go.id"], subject="Peluang",
                            text="t", html="<p>h</p>", key="k")
        o = outbox.Outgoing(WEEK, "dinkes@example.go.id", "opd_digest:DINKES", msg)
        outbox.queue(engine, [o])
        assert outbox.deliver(engine, WEEK).sent == 1
    (got,) = inbox.messages
    assert got["Message-ID"] == message.message_id(o.key)


def test_nyengget_smtp_url_wins_over_the_connection(monkeypatch):
    monkeypatch.delenv("NYENGGET_MAIL_DELIVERY")
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps({"conn_type": "smtp", "host": "a.example"}))
    monkeypatch.setenv("NYENGGET_SMTP_URL", "smtp://b.example:2525")
    assert get_delivery().host == "b.example"
