"""Emails are sent exactly once, through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from nyengget.config import get_settings
from nyengget.notify import message, outbox
from nyengget.notify.delivery import SmtpDelivery, smtp_from_url
from nyengget.warehouse.schema import outbox as outbox_table
from smtp_inbox import Inbox, SmtpSwitch
from smtp_inbox import smtp_server as serve

WEEK = date(2026, 11, 23)
T0 = datetime(2026, 11, 23, 0, 5, tzinfo=UTC)


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class RejectingInbox(Inbox):
    """Answers `code` to the recipients in `refuse` (451 temporary, 550 permanent)."""

    def __init__(self, code: str = "451 4.3.0 mailbox temporarily unavailable") -> None:
        super().__init__()
        self.code = code

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.code
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = RejectingInbox()
    with serve(inbox) as port:
        yield inbox, SmtpDelivery(host="127.0.0.1", port=port, timeout=5)


def _outgoing(recipient: str, kind: str = "opd_digest:DINKES") -> outbox.Outgoing:
    msg = message.build(sender="nyengget@bappeda.example.go.id", recipients=[recipient], subject="Peluang",
                        text="teks", html="<p>html</p>", key="ignored: the outbox sets its own")
    return outbox.Outgoing(WEEK, recipient, kind, msg, items=1)


def _rows(engine) -> dict[str, tuple[str, int]]:
    with engine.connect() as conn:
        return {f"{r.kind}|{r.recipient}": (r.status, r.attempts) for r in conn.execute(select(outbox_table))}


def test_each_message_is_sent_once_across_reruns_with_a_stable_message_id(any_engine, smtp_server):
    inbox, delivery = smtp_server
    batch = [_outgoing(f"opd{i}@serangkota.example.go.id") for i in range(3)]
    assert outbox.queue(any_engine, batch) == (3, 0)
    assert outbox.send_pending(any_engine, delivery, WEEK).sent == 3
    assert outbox.queue(any_engine, batch) == (0, 3)  # a rerun queues nothing new
    assert outbox.send_pending(any_engine, delivery, WEEK).sent == 0
    assert sorted(str(m["Message-ID"]) for m in inbox.messages) == sorted(message.message_id(o.key) for o in batch)
    assert all(m.is_multipart() and m.get_body(("plain",)) and m.get_body(("html",)) and m["Date"]
               for m in inbox.messages)


def test_two_opds_sharing_an_address_each_get_their_digest(engine, smtp_server):
    inbox, delivery = smtp_server
    shared = "sekretariat@serangkota.example.go.id"
    outbox.queue(engine, [_outgoing(shared, "opd_digest:DINKES"), _outgoing(shared, "opd_digest:DLH")])
    assert outbox.send_pending(engine, delivery, WEEK).sent == 2
    assert len({str(m["Message-ID"]) for m in inbox.messages}) == 2


def test_a_temporary_answer_is_retried_by_the_next_task_try_not_within_seconds(engine, smtp_server):
    inbox, delivery = smtp_server
    clock = Clock()
    outbox.queue(engine, [_outgoing(f"opd{i}@serangkota.example.go.id") for i in range(3)])
    inbox.refuse = {"opd1@serangkota.example.go.id"}
    with pytest.raises(outbox.MailNotDelivered, match="1 deferred"):
        outbox.deliver(engine, WEEK, delivery=delivery, clock=clock)
    assert _rows(engine)["opd_digest:DINKES|opd1@serangkota.example.go.id"] == ("pending", 1)
    assert len(inbox.messages) == 2
    clock.now += timedelta(seconds=30)  # a sender seconds later does not hammer the server
    assert outbox.send_pending(engine, delivery, WEEK, clock=clock).sent == 0
    with pytest.raises(outbox.MailNotDelivered, match="1 deferred"):  # and the task stays red meanwhile
        outbox.deliver(engine, WEEK, delivery=delivery, clock=clock)
    inbox.refuse = set()
    clock.now += timedelta(seconds=get_settings().retry_delay_s)  # the task's retry
    assert outbox.deliver(engine, WEEK, delivery=delivery, clock=clock).sent == 1
    assert sorted(inbox.recipients()) == [f"opd{i}@serangkota.example.go.id" for i in range(3)]


def test_temporary_answers_end_as_failed_after_the_last_attempt(engine, smtp_server):
    inbox, delivery = smtp_server
    clock = Clock()
    outbox.queue(engine, [_outgoing("busy@serangkota.example.go.id")])
    inbox.refuse = {"busy@serangkota.example.go.id"}
    for _ in range(outbox.MAX_ATTEMPTS):
        with pytest.raises(outbox.MailNotDelivered):
            outbox.deliver(engine, WEEK, delivery=delivery, clock=clock)
        clock.now += timedelta(seconds=get_settings().retry_delay_s)
    assert _rows(engine)["opd_digest:DINKES|busy@serangkota.example.go.id"] == ("failed", outbox.MAX_ATTEMPTS)


def test_a_permanent_refusal_is_failed_fails_the_task_and_sends_one_alert(engine, monkeypatch):
    inbox = RejectingInbox("550 5.1.1 no such user")
    with serve(inbox) as port:
        monkeypatch.delenv("NYENGGET_MAIL_DELIVERY")
        monkeypatch.setenv("NYENGGET_SMTP_URL", f"smtp://127.0.0.1:{port}?timeout=5")
        monkeypatch.setenv("NYENGGET_ALERT_EMAILS", "data-engineer@bappeda.example.go.id")
        inbox.refuse = {"typo@serangkota.example.go.id"}
        outbox.queue(engine, [_outgoing("typo@serangkota.example.go.id"), _outgoing("ok@serangkota.example.go.id")])
        with pytest.raises(outbox.MailNotDelivered, match="(?s)1 email.*failed.*typo@serangkota.*550"):
            outbox.deliver(engine, WEEK)
        with pytest.raises(outbox.MailNotDelivered, match="1 email"):  # a retry stays red, resends nothing, no new alert
            outbox.deliver(engine, WEEK)
    rows = _rows(engine)
    assert rows["opd_digest:DINKES|typo@serangkota.example.go.id"] == ("failed", 1)
    alerts = [m for m in inbox.messages if "ALERT" in str(m["Subject"])]
    assert len(alerts) == 1
    body = alerts[0].get_body(("plain",)).get_content()
    assert "typo@serangkota.example.go.id" in body and "550" in body and "no such user" in body
    assert [str(m["To"]) for m in inbox.messages if "ALERT" not in str(m["Subject"])] == ["ok@serangkota.example.go.id"]


def test_queue_never_touches_a_claimed_or_sent_row_and_resend_is_explicit(engine, smtp_server):
    inbox, delivery = smtp_server
    o = _outgoing("dinkes@serangkota.example.go.id")
    outbox.queue(engine, [o])
    row = outbox.claim(engine, "worker-a", lease_s=600)
    assert row is not None and outbox.claim(engine, "worker-b", lease_s=600) is None
    assert outbox.queue(engine, [o], resend=True) == (0, 1)  # claimed: left alone even with resend
    with engine.connect() as conn:
        assert conn.execute(select(outbox_table.c.claimed_by)).scalar_one() == "worker-a"
    with engine.begin() as conn:  # worker-a finishes
        conn.execute(update(outbox_table).values(status="sent", claimed_by=None, lease_until=None))
    assert outbox.queue(engine, [o]) == (0, 1)
    assert outbox.queue(engine, [o], resend=True) == (1, 0)
    outbox.send_pending(engine, delivery, WEEK)
    assert len(inbox.messages) == 1


def test_an_expired_claim_is_taken_over(engine):
    clock = Clock()
    outbox.queue(engine, [_outgoing("dinkes@serangkota.example.go.id")])
    assert outbox.claim(engine, "dead-worker", lease_s=60, clock=clock) is not None
    assert outbox.claim(engine, "live-worker", lease_s=60, clock=clock) is None
    clock.now += timedelta(seconds=61)
    assert outbox.claim(engine, "live-worker", lease_s=60, clock=clock).claimed_by == "live-worker"


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
    switch = SmtpSwitch(Inbox())  # not started: connection refused
    delivery = SmtpDelivery(host="127.0.0.1", port=switch.port, timeout=2)
    outbox.queue(engine, [_outgoing(f"opd{i}@serangkota.example.go.id") for i in range(5)])
    report = outbox.send_pending(engine, delivery, WEEK)
    assert (report.sent, report.failed, report.left_pending) == (0, 0, 5)
    assert "ConnectionRefused" in report.unavailable
    assert set(_rows(engine).values()) == {("pending", 0)}  # an outage costs no attempt
    switch.start()
    try:
        assert outbox.send_pending(engine, delivery, WEEK).sent == 5  # the next run
        assert outbox.send_pending(engine, delivery, WEEK).sent == 0
    finally:
        switch.stop()
    assert len(switch.inbox.messages) == 5
    assert get_settings().outbox_lease_s == 600
