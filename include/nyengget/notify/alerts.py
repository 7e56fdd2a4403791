"""Alerts for data engineers: task failures, unhealthy sources and undeliverable mail, as multipart emails.

Alerts go through the outbox like every other email (claimed, sent once per key, stable Message-ID).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from nyengget.config import get_settings
from nyengget.notify import message, outbox
from nyengget.notify.render import render_pair
from nyengget.weeks import week_start as monday_of

log = logging.getLogger(__name__)
KIND_LIMIT = 160  # outbox.kind


def alert_messages(headline: str, facts: list[tuple[str, str]], detail: str, key: str,
                   week: date | None = None, also: Sequence[str] = ()) -> list[outbox.Outgoing]:
    """One alert per recipient of NYENGGET_ALERT_EMAILS and of `also` (a region's own `alert_emails`), keyed
    `alert:<key>` in the outbox."""
    settings = get_settings()
    recipients = list(dict.fromkeys([*settings.alert_recipients, *also]))
    week = week or monday_of(datetime.now(UTC).date())
    subject = f"[Nyengget ALERT] {headline}"
    text, html = render_pair("alert", title=subject, headline=headline, facts=facts, detail=detail)
    kind = _kind(key)
    return [outbox.Outgoing(week, address, kind, message.build(
        sender=settings.alert_sender, recipients=[address], subject=subject, text=text, html=html,
        key=outbox.outbox_key(week, kind, address)), items=1) for address in recipients]


def _kind(key: str) -> str:
    kind = f"alert:{key}"
    if len(kind) <= KIND_LIMIT:
        return kind
    return kind[:KIND_LIMIT - 13] + "~" + hashlib.sha1(kind.encode()).hexdigest()[:12]


def send_alert(headline: str, facts: list[tuple[str, str]], detail: str, key: str,
               engine: Engine | None = None, *, week: date | None = None, also: Sequence[str] = ()) -> None:
    """Queue and send one alert (to the data engineers and `also`); a failure to alert is logged, never
    raised (it must not mask the cause)."""
    try:
        msgs = alert_messages(headline, facts, detail, key, week=week, also=also)
        if not msgs:
            return
        try:
            if engine is None:
                from nyengget.warehouse.db import get_engine

                engine = get_engine()
            outbox.queue(engine, msgs)
        except SQLAlchemyError:  # the warehouse itself is down (maybe why we alert): send without the outbox
            log.exception("outbox unavailable; sending alert %s directly", key)
            _send_directly(msgs)
            return
        outbox.deliver(engine, msgs[0].week_start, kinds={m.kind for m in msgs}, alert=False)
    except Exception:  # noqa: BLE001 - the alert path must not mask the original failure
        log.exception("could not deliver alert %s", key)


def _send_directly(msgs: list[outbox.Outgoing]) -> None:
    from nyengget.notify.delivery import get_delivery

    delivery = get_delivery()
    for m in msgs:
        delivery.send(m.key, message.set_key(m.message, m.key))  # the same Message-ID as through the outbox


def alert_failed_mail(engine: Engine, failures: Sequence[outbox.Failure]) -> None:
    """One alert for the messages that failed for good, naming each recipient and the server's answer."""
    recipients = sorted({f.recipient for f in failures})
    facts = [("Recipients", ", ".join(recipients)), *((f.recipient, f.error) for f in failures)]
    key = "mail-failed:" + hashlib.sha1("|".join(sorted(f.key for f in failures)).encode()).hexdigest()[:16]
    send_alert(f"{len(failures)} email(s) could not be delivered", facts,
               "The mail server refused these messages after their attempts; they are marked 'failed' in "
               "the outbox. Fix the address or the server, then re-queue them with --resend.", key, engine)


def send_task_failure(context: dict[str, Any]) -> None:
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(ti, "run_id", "?")
    attempt = getattr(ti, "try_number", "?")
    error = context.get("exception")
    facts = [
        ("DAG", dag_id), ("Task", task_id), ("Run", run_id), ("Try", str(attempt)),
        ("Log", str(getattr(ti, "log_url", "") or "-")), ("When (UTC)", datetime.now(UTC).isoformat(timespec="seconds")),
    ]
    send_alert(f"{dag_id}.{task_id} failed", facts, f"{type(error).__name__}: {error}" if error else "-",
               key=f"task_{dag_id}_{task_id}_{run_id}_{attempt}")
