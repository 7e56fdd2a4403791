"""Alerts for data engineers: task failures and unhealthy sources, as multipart emails."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from nyengget.config import get_settings
from nyengget.notify import message
from nyengget.notify.delivery import get_delivery
from nyengget.notify.render import render_pair

log = logging.getLogger(__name__)


def send_alert(headline: str, facts: list[tuple[str, str]], detail: str, key: str) -> None:
    """Send one alert to NYENGGET_ALERT_EMAILS; a failure to alert is logged, never raised."""
    settings = get_settings()
    subject = f"[Nyengget ALERT] {headline}"
    text, html = render_pair("alert", title=subject, headline=headline, facts=facts, detail=detail)
    msg = message.build(sender=settings.mail_from, recipients=list(settings.alert_recipients), subject=subject,
                        text=text, html=html, key=key)
    try:
        get_delivery().send(key, msg)
    except Exception:  # noqa: BLE001 - the alert path must not mask the original failure
        log.exception("could not deliver alert %s", key)


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
               key=f"alert_{dag_id}_{task_id}_{run_id}_{attempt}")
