"""Emails are sent exactly once, through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from nyengget.notify import message, outbox
from nyengget.notify.delivery import SmtpDelivery, smtp_from_url
from nyengget.warehouse.schema import outbox as outbox_table
from smtp_inbox import Inbox
from smtp_inbox import smtp_server as serve

WEEK = date(2026, 11, 23)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with serve(inbox) as port:
        yield inbox, SmtpDelivery(host="127.0.0.1", port=port, timeout=5)


def _outgoing(recipient: str, subject: str = "Peluang pekan ini") -> outbox.Outgoing:
    msg = message.build(sender="nyengget@bappeda.example.go.id", recipients=[recipient], subject=subject,
                        text="teks", html="<p>html</p>", key=f"{WEEK}_opd_{recipient}")
    return outbox.Outgoing(WEEK, recipient, "opd_digest", msg, items=1)


def _status(engine) -> dict[str, tuple[str, int]]:
    with engine.connect() as conn:
        return {r.recipient: (r.status, r.attempts) for r in conn.execute(select(outbox_table))}


def test_each_message_is_sent_once_across_reruns(engine, smtp_server):
    inbox, delivery = smtp_server
    batch = [_outgoing(f"opd{i}@serangkota.example.go.id") for i in range(3)]
    assert outbox.queue(engine, batch) == (3, 0)
    assert outbox.send_pending(engine, delivery, WEEK, backoff_s=0).sent == 3
    assert outbox.queue(engine, batch) == (0, 3)  # a rerun queues nothing new
    assert outbox.send_pending(engine, delivery, WEEK, backoff_s=0).sent == 0
    assert len(inbox.messages) == 3
    assert all(m.is_multipart() and m.get_body(("plain",)) and m.get_body(("html",)) for m in inbox.messages)


def test_a_failure_mid_batch_loses_nothing_and_sends_nothing_twice(engine, smtp_server):
    inbox, delivery = smtp_server
    batch = [_outgoing(f"opd{i}@serangkota.example.go.id") for i in range(4)]
    outbox.queue(engine, batch)
    inbox.refuse = {"opd1@serangkota.example.go.id"}
    report = outbox.send_pending(engine, delivery, WEEK, retries=1, backoff_s=0)
    assert (report.sent, report.failed) == (3, 1)
    status = _status(engine)
    assert status["opd1@serangkota.example.go.id"] == ("failed", 2)
    with engine.connect() as conn:
        error = conn.execute(select(outbox_table.c.last_error)
                             .where(outbox_table.c.recipient == "opd1@serangkota.example.go.id")).scalar_one()
    assert "451" in error
    inbox.refuse = set()
    retry = outbox.send_pending(engine, delivery, WEEK, backoff_s=0)  # the task's retry
    assert (retry.sent, retry.failed) == (1, 0)
    recipients = sorted(str(m["To"]) for m in inbox.messages)
    assert recipients == sorted(f"opd{i}@serangkota.example.go.id" for i in range(4))


def test_resend_is_explicit(engine, smtp_server):
    inbox, delivery = smtp_server
    batch = [_outgoing("dinkes@serangkota.example.go.id")]
    outbox.queue(engine, batch)
    outbox.send_pending(engine, delivery, WEEK, backoff_s=0)
    assert outbox.queue(engine, batch, resend=True) == (1, 0)
    outbox.send_pending(engine, delivery, WEEK, backoff_s=0)
    assert len(inbox.messages) == 2


def test_smtp_url_parsing():
    d = smtp_from_url("smtp://user%40x:s3cret@mail.example.go.id:587?starttls=1")
    assert (d.host, d.port, d.user, d.password, d.starttls, d.use_ssl) == (
        "mail.example.go.id", 587, "user@x", "s3cret", True, False)
    assert smtp_from_url("smtps://mail.example.go.id").port == 465


def test_scraped_text_cannot_inject_headers():
    msg = message.build(sender="a@example.go.id", recipients=["b@example.go.id"],
                        subject="Hibah\r\nBcc: victim@example.com", text="t", html="<p>h</p>", key="k")
    assert "Bcc" not in msg.keys()
    assert "\n" not in str(msg["Subject"]) and "Hibah" in str(msg["Subject"])


def test_server_down_stops_the_batch_and_keeps_everything_pending(engine):
    from smtp_inbox import SmtpSwitch

    switch = SmtpSwitch(Inbox())  # not started: connection refused
    delivery = SmtpDelivery(host="127.0.0.1", port=switch.port, timeout=2)
    outbox.queue(engine, [_outgoing(f"opd{i}@serangkota.example.go.id") for i in range(5)])
    report = outbox.send_pending(engine, delivery, WEEK, backoff_s=0)
    assert (report.sent, report.failed, report.left_pending) == (0, 0, 5)
    assert "ConnectionRefused" in report.unavailable
    assert {s for s, _ in _status(engine).values()} == {"pending"}
    switch.start()
    try:
        assert outbox.send_pending(engine, delivery, WEEK, backoff_s=0).sent == 5  # the next run
        assert outbox.send_pending(engine, delivery, WEEK, backoff_s=0).sent == 0
    finally:
        switch.stop()
    assert len(switch.inbox.messages) == 5
