"""The outbox: each (week_start, recipient, kind) is queued once and sent once.

`queue` never touches a message already sent; `send_pending` marks an attempt before sending and
`sent` right after, so task retries, reruns and backfills do not send it again. A failed send is
recorded (attempts, last_error) and the rest of the batch still goes out.
"""

from __future__ import annotations

import email
import email.policy
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage

from sqlalchemy import Engine, and_, select, update

from nyengget.notify.delivery import Delivery
from nyengget.warehouse.schema import outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Outgoing:
    week_start: date
    recipient: str
    kind: str
    message: EmailMessage
    items: int = 0

    @property
    def key(self) -> str:
        return f"{self.week_start.isoformat()}_{self.kind}_{self.recipient}"


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    left_pending: int = 0
    unavailable: str | None = None


class DeliveryUnavailable(RuntimeError):
    """The mail server cannot be reached at all: stop the batch, keep the rest pending for the next run."""


def is_outage(exc: BaseException) -> bool:
    """Connection-level failures (refused, timeout, disconnected) concern the server, not one message."""
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _key_clause(o: Outgoing):
    return and_(outbox.c.week_start == o.week_start, outbox.c.recipient == o.recipient, outbox.c.kind == o.kind)


def queue(engine: Engine, messages: list[Outgoing], *, resend: bool = False) -> tuple[int, int]:
    """Insert new messages, refresh unsent ones; leave sent ones alone unless `resend`.

    Returns (queued, already_sent).
    """
    queued = already_sent = 0
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for o in messages:
            existing = conn.execute(select(outbox.c.id, outbox.c.status).where(_key_clause(o))).first()
            values = {"subject": str(o.message["Subject"]), "message": o.message.as_string(), "items": o.items}
            if existing is None:
                conn.execute(outbox.insert().values(
                    week_start=o.week_start, recipient=o.recipient, kind=o.kind, status="pending",
                    attempts=0, created_at=now, **values))
                queued += 1
            elif existing.status != "sent" or resend:
                conn.execute(update(outbox).where(outbox.c.id == existing.id).values(status="pending", **values))
                queued += 1
            else:
                already_sent += 1
    return queued, already_sent


def send_pending(
    engine: Engine,
    delivery: Delivery,
    week_start: date | None = None,
    *,
    kind_prefix: str | None = None,
    retries: int = 2,
    backoff_s: float = 1.0,
) -> SendReport:
    """Send every pending message (of one week, or all; of kinds starting with `kind_prefix`, or all).

    A message the server refuses is retried with backoff, then recorded as failed, and the batch goes on.
    When the server cannot be reached at all, the batch stops and every unsent message stays pending.
    """
    report = SendReport()
    query = select(outbox).where(outbox.c.status.in_(("pending", "failed"))).where(outbox.c.attempts < MAX_ATTEMPTS)
    if week_start is not None:
        query = query.where(outbox.c.week_start == week_start)
    if kind_prefix is not None:
        query = query.where(outbox.c.kind.startswith(kind_prefix))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(outbox.c.id)).all()
    for i, row in enumerate(rows):
        try:
            ok = _send_one(engine, delivery, row, retries=retries, backoff_s=backoff_s)
        except DeliveryUnavailable as exc:
            report.unavailable, report.left_pending = str(exc), len(rows) - i
            log.error("mail server unavailable, %d message(s) stay pending: %s", report.left_pending, exc)
            break
        report.sent += ok
        report.failed += not ok
    log.info("outbox via %s: %d sent, %d failed, %d left pending", delivery.name, report.sent, report.failed,
             report.left_pending)
    return report


def _record(engine: Engine, row_id: int, **values) -> None:
    with engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == row_id).values(**values))


def _send_one(engine: Engine, delivery: Delivery, row, *, retries: int, backoff_s: float) -> bool:
    msg = email.message_from_string(row.message, policy=email.policy.default)
    key = f"{row.week_start.isoformat()}_{row.kind}_{row.recipient}"
    error = None
    for attempt in range(retries + 1):
        _record(engine, row.id, attempts=outbox.c.attempts + 1)
        try:
            delivery.send(key, msg)
        except Exception as exc:  # noqa: BLE001 - any delivery failure is recorded
            error = f"{type(exc).__name__}: {exc}"
            if is_outage(exc):
                _record(engine, row.id, last_error=error)
                raise DeliveryUnavailable(error) from exc
            log.warning("send %s failed (attempt %d): %s", key, attempt + 1, error)
            if attempt < retries:
                time.sleep(backoff_s * 2**attempt)
            continue
        _record(engine, row.id, status="sent", sent_at=datetime.now(UTC), last_error=None)
        return True
    _record(engine, row.id, status="failed", last_error=error)
    return False
