"""Task of the health DAG: run the checks and send one alert per problem, once per week."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from nyengget import monitoring
from nyengget.config import get_settings
from nyengget.notify import message, outbox
from nyengget.notify.render import render_pair
from nyengget.warehouse.db import get_engine
from nyengget.weeks import week_label


def alerts_for(problems: list[monitoring.Problem], week: date, run_link: str) -> list[outbox.Outgoing]:
    """One multipart alert per problem and recipient; the outbox key makes a rerun send nothing new."""
    settings = get_settings()
    out = []
    for p in problems:
        subject = f"[Nyengget ALERT] {p.check}: {p.summary}"
        facts = [("Check", p.check), ("About", p.subject), ("Week", week_label(week)), ("Run", run_link or "-"),
                 *((k, str(v)) for k, v in p.numbers.items())]
        text, html = render_pair("alert", title=subject, headline=p.summary, facts=facts,
                                 detail="Checked by the nyengget_health DAG after the weekly run.")
        for address in settings.alert_recipients:
            kind = f"alert:{p.key}"[:160]
            msg = message.build(sender=settings.alert_sender, recipients=[address], subject=subject, text=text,
                                html=html, key=f"{week}_{kind}_{address}")
            out.append(outbox.Outgoing(week, address, kind, msg, items=1))
    return out


def check_week(week: date, run_link: str = "") -> dict:
    from nyengget.sources.registry import list_sources

    engine = get_engine()
    problems = monitoring.run_checks(engine, week, [s.name for s in list_sources()])
    alerts = alerts_for(problems, week, run_link)
    queued, _ = outbox.queue(engine, alerts)
    # only this check's alerts: digests of the week are the weekly DAG's to send
    report = outbox.deliver(engine, week, kinds={a.kind for a in alerts}, alert=False) if alerts else outbox.SendReport()
    return {"problems": [asdict(p) for p in problems], "alerts_queued": queued, "sent": report.sent}
