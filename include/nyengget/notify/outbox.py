"""The outbox: each (region_code, week_start, recipient, kind) is queued once and sent once, whoever sends it.
`region_code` is the region the message speaks for, "" for deployment-wide ones (alerts, health).

Statuses: `pending` → `sending` (claimed by one worker, with a lease) → `sent` | `failed`.

- A row is *claimed* before it is sent: one conditional UPDATE (`status` still claimable) that only one
  process can win; on PostgreSQL the candidate is also picked with `FOR UPDATE SKIP LOCKED` so
  concurrent senders take different rows instead of waiting on each other.
- A claim whose worker died (kill -9) expires after the lease and is claimed again; the message keeps
  the Message-ID derived from its key, so a receiver can drop the duplicate.
- `queue` only inserts new rows and refreshes `pending` ones: never a claimed, sent or failed row
  (except `resend`, which re-queues sent and failed rows, never claimed ones).
- A temporary answer (4xx) puts the row back to `pending`, not before `retry_after_s` (the next task
  try); a permanent answer (5xx), or the last attempt, makes it `failed`. A server that cannot be reached
  stops the batch and releases the claim without counting an attempt.
"""

from __future__ import annotations

import email
import email.policy
import logging
import os
import smtplib
import socket
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from nyengget.notify.delivery import Delivery
from nyengget.notify.message import message_id, set_key
from nyengget.warehouse.schema import outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outgoing:
    week_start: date
    recipient: str
    kind: str
    message: EmailMessage
    items: int = 0
    region_code: str = ""  # the region it speaks for; "" for deployment-wide messages (alerts, health)

    @property
    def key(self) -> str:
        return outbox_key(self.week_start, self.kind, self.recipient, self.region_code)


def outbox_key(week_start: date, kind: str, recipient: str, region_code: str = "") -> str:
    """The message's key (its Message-ID derives from it): the same on every resend."""
    region = f"{region_code}_" if region_code else ""
    return f"{week_start.isoformat()}_{region}{kind}_{recipient}"


@dataclass(frozen=True)
class Failure:
    key: str
    recipient: str
    error: str


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0  # temporary (4xx) answers: pending again, for the next task try
    left_pending: int = 0
    unavailable: str | None = None
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.deferred or self.unavailable)


class DeliveryUnavailable(RuntimeError):
    """The mail server cannot be reached at all: stop the batch, keep the rest pending for the next run."""


class MailNotDelivered(RuntimeError):
    """Some emails failed, were deferred, or the server was unreachable: the task must fail (and retry)."""


def is_outage(exc: BaseException) -> bool:
    """Connection-level failures (refused, timeout, disconnected) concern the server, not one message."""
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def smtp_codes(exc: BaseException) -> list[int]:
    """The SMTP reply codes carried by `exc` (one per refused recipient, or the one answer)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return [code for code, _ in exc.recipients.values()]
    code = getattr(exc, "smtp_code", None)
    return [code] if isinstance(code, int) else []


def is_temporary(exc: BaseException) -> bool:
    """A 4xx answer (greylisting, mailbox busy, rate limit): worth trying again later."""
    codes = smtp_codes(exc)
    return bool(codes) and all(400 <= c < 500 for c in codes)


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items())
        return f"{type(exc).__name__}: {answers}"
    return f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _key_clause(o: Outgoing):
    return and_(outbox.c.region_code == o.region_code, outbox.c.week_start == o.week_start,
                outbox.c.recipient == o.recipient, outbox.c.kind == o.kind)


def _insert(engine: Engine):
    return (pg_insert if engine.dialect.name == "postgresql" else sqlite_insert)(outbox)


def queue(engine: Engine, messages: list[Outgoing], *, resend: bool = False,
          clock: Clock = utcnow) -> tuple[int, int]:
    """Insert new messages, refresh pending ones; never touch a claimed, sent or failed row, except that
    `resend` re-queues sent and failed ones. Safe when several processes queue at once.

    Returns (queued, not_queued): rows inserted or refreshed, and rows left as they were.
    """
    queued = left = 0
    now = clock()
    with engine.begin() as conn:
        for o in messages:
            msg = set_key(o.message, o.key)
            values = {"subject": str(msg["Subject"]), "message": msg.as_string(), "items": o.items,
                      "message_id": message_id(o.key)}
            inserted = conn.execute(_insert(engine).values(
                region_code=o.region_code, week_start=o.week_start, recipient=o.recipient, kind=o.kind,
                status=PENDING, attempts=0, created_at=now, **values)
                .on_conflict_do_nothing(index_elements=["region_code", "week_start", "recipient", "kind"]))
            if inserted.rowcount == 1:
                queued += 1
                continue
            refreshed = conn.execute(update(outbox).where(_key_clause(o), outbox.c.status == PENDING).values(**values))
            if not refreshed.rowcount and resend:
                refreshed = conn.execute(update(outbox).where(_key_clause(o), outbox.c.status.in_((SENT, FAILED)))
                                         .values(status=PENDING, attempts=0, last_error=None, lease_until=None,
                                                 **values))
            queued += refreshed.rowcount
            left += not refreshed.rowcount
    return queued, left


def _claimable(now: datetime):
    """Pending and due (no retry delay running), or claimed by a worker whose lease ran out."""
    due = or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now)
    return and_(outbox.c.attempts < MAX_ATTEMPTS, due, outbox.c.status.in_((PENDING, SENDING)))


def _scope(query, week_start: date | None, kinds: Collection[str] | None, skip: Collection[int],
           region_code: str | None = None):
    if region_code is not None:
        query = query.where(outbox.c.region_code == region_code)
    if week_start is not None:
        query = query.where(outbox.c.week_start == week_start)
    if kinds is not None:
        query = query.where(outbox.c.kind.in_(list(kinds)))
    if skip:
        query = query.where(outbox.c.id.not_in(list(skip)))
    return query


def claim(engine: Engine, worker: str, *, week_start: date | None = None, kinds: Collection[str] | None = None,
          skip: Collection[int] = (), lease_s: int = 600, clock: Clock = utcnow, region_code: str | None = None):
    """Claim the next claimable row for `worker` (status `sending`, lease until now + lease_s); None if none.

    The claim is one conditional UPDATE: of two workers racing for a row, exactly one updates it.
    """
    while True:
        now = clock()
        with engine.begin() as conn:
            pick = _scope(select(outbox.c.id).where(_claimable(now)), week_start, kinds, skip, region_code)
            pick = pick.order_by(outbox.c.id).limit(1)
            if engine.dialect.name == "postgresql":
                pick = pick.with_for_update(skip_locked=True)
            row_id = conn.execute(pick).scalar()
            if row_id is None:
                return None
            won = conn.execute(update(outbox).where(outbox.c.id == row_id, _claimable(now)).values(
                status=SENDING, claimed_by=worker, lease_until=now + timedelta(seconds=lease_s))).rowcount
            if won == 1:
                return conn.execute(select(outbox).where(outbox.c.id == row_id)).first()
        log.debug("row %s was claimed by another worker; trying the next", row_id)


def _finish(engine: Engine, row, worker: str, **values) -> None:
    """Record the outcome, only if `worker` still holds the claim (a lost lease is reported, not hidden)."""
    with engine.begin() as conn:
        done = conn.execute(update(outbox).where(outbox.c.id == row.id, outbox.c.claimed_by == worker,
                                                 outbox.c.status == SENDING)
                            .values(claimed_by=None, **values)).rowcount
    if not done:
        log.warning("outbox row %s: claim lost before its outcome was recorded (lease too short?)", row.id)


def send_pending(
    engine: Engine,
    delivery: Delivery,
    week_start: date | None = None,
    *,
    kinds: Collection[str] | None = None,
    lease_s: int | None = None,
    retry_after_s: float | None = None,
    clock: Clock = utcnow,
    worker: str | None = None,
    region_code: str | None = None,
) -> SendReport:
    """Claim and send, one at a time, every claimable message (of one week and/or some kinds and/or one
    region, or all).

    Each message is tried at most once per call: a 4xx leaves it pending for the next call after
    `retry_after_s`; a 5xx (or the last attempt) makes it failed. An unreachable server stops the batch.
    """
    from nyengget.config import get_settings

    settings = get_settings()
    lease_s = lease_s or settings.outbox_lease_s
    # a 4xx waits for the task's next try (its first retry delay, a little less so that try finds it due)
    retry_after_s = settings.retry_delay_s * 0.9 if retry_after_s is None else retry_after_s
    worker = worker or worker_id()
    report, tried = SendReport(), []
    while (row := claim(engine, worker, week_start=week_start, kinds=kinds, skip=tried, lease_s=lease_s,
                        clock=clock, region_code=region_code)) is not None:
        tried.append(row.id)
        try:
            _send_one(engine, delivery, row, worker, report, retry_after_s=retry_after_s, clock=clock)
        except DeliveryUnavailable as exc:
            report.unavailable = str(exc)
            report.left_pending = 1 + _count_claimable(engine, week_start, kinds, tried, clock(), region_code)
            log.error("mail server unavailable, %d message(s) stay pending: %s", report.left_pending, exc)
            break
    log.info("outbox via %s (%s): %d sent, %d failed, %d deferred, %d left pending", delivery.name, worker,
             report.sent, report.failed, report.deferred, report.left_pending)
    return report


def _count_claimable(engine: Engine, week_start, kinds, skip, now: datetime, region_code: str | None = None) -> int:
    query = _scope(select(func.count()).select_from(outbox).where(_claimable(now)), week_start, kinds, skip,
                   region_code)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _send_one(engine: Engine, delivery: Delivery, row, worker: str, report: SendReport, *,
              retry_after_s: int, clock: Clock) -> None:
    msg = email.message_from_string(row.message, policy=email.policy.default)
    key = outbox_key(row.week_start, row.kind, row.recipient, row.region_code)
    try:
        delivery.send(key, msg)
    except Exception as exc:  # noqa: BLE001 - any delivery failure is recorded
        error = describe(exc)
        if is_outage(exc):
            _finish(engine, row, worker, status=PENDING, lease_until=None, last_error=error)
            raise DeliveryUnavailable(error) from exc
        attempts = row.attempts + 1
        if is_temporary(exc) and attempts < MAX_ATTEMPTS:
            log.warning("send %s deferred (attempt %d of %d): %s", key, attempts, MAX_ATTEMPTS, error)
            _finish(engine, row, worker, status=PENDING, attempts=attempts, last_error=error,
                    lease_until=clock() + timedelta(seconds=retry_after_s))
            report.deferred += 1
        else:
            log.error("send %s failed for good (attempt %d): %s", key, attempts, error)
            _finish(engine, row, worker, status=FAILED, attempts=attempts, last_error=error, lease_until=None)
            report.failed += 1
            report.failures.append(Failure(key, row.recipient, error))
        return
    _finish(engine, row, worker, status=SENT, attempts=row.attempts + 1, sent_at=clock(), last_error=None,
            lease_until=None)
    report.sent += 1


def _failed_earlier(engine: Engine, week_start: date, kinds, report: SendReport, region_code: str | None = None) -> int:
    """Rows of the week (and kinds) that failed in an earlier try: a retry must not turn the task green."""
    query = _scope(select(func.count()).select_from(outbox).where(outbox.c.status == FAILED), week_start, kinds, (),
                   region_code)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one() - report.failed


def _deferred(engine: Engine, week_start: date | None, kinds, now: datetime, region_code: str | None = None) -> int:
    """Rows in scope pending but not due yet: deferred by a temporary answer (in this call or an earlier one)."""
    query = _scope(select(func.count()).select_from(outbox).where(
        outbox.c.status == PENDING, outbox.c.lease_until.is_not(None), outbox.c.lease_until > now),
        week_start, kinds, (), region_code)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def deliver(engine: Engine, week_start: date | None = None, *, kinds: Collection[str] | None = None,
            delivery: Delivery | None = None, alert: bool = True, clock: Clock = utcnow,
            region_code: str | None = None) -> SendReport:
    """The one sender path of digests, summaries, reminders and alerts: send what is due, then raise
    MailNotDelivered when anything failed, was deferred or could not reach the server — after one alert
    naming the recipients and the server's answers of the messages that failed for good."""
    from nyengget.notify.delivery import get_delivery

    report = send_pending(engine, delivery or get_delivery(), week_start, kinds=kinds, clock=clock,
                          region_code=region_code)
    if report.failures and alert:
        from nyengget.notify.alerts import alert_failed_mail

        alert_failed_mail(engine, report.failures)
    earlier = _failed_earlier(engine, week_start, kinds, report, region_code) if week_start is not None else 0
    waiting = _deferred(engine, week_start, kinds, clock(), region_code) - report.deferred
    if not report.ok or earlier or waiting:
        raise MailNotDelivered(
            f"{report.failed + earlier} email(s) failed, {report.deferred + waiting} deferred after a temporary "
            "answer, "
            f"{report.left_pending} left pending ({report.sent} sent; server: {report.unavailable or 'reachable'})"
            + "".join(f"\n  {f.recipient}: {f.error}" for f in report.failures))
    return report
