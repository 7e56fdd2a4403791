"""One decisions module: a later reassignment is never undone from the side (older week, older link, the
old owner), a paused OPD's links are refused, and build, review page and reminders agree on the owner."""

from __future__ import annotations

from datetime import date

import pytest
from review_helpers import feedback_count
from sqlalchemy import update

from factories import W47, W48
from nyengget import decisions
from nyengget.config import get_settings
from nyengget.notify import reminders
from nyengget.review import links, queries
from nyengget.warehouse.schema import opds
from nyengget.weekly.build import build_week, load_week

ITEM = {"innovation_id": "I1", "programme_id": "P1"}


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def _reassign_to_dlh(client_for) -> None:
    planner = client_for("perencana", bearer=True)
    r = planner.post("/api/feedback", json={"week": "2026-W48", **ITEM, "status": "sedang_diusulkan",
                                            "assigned_opd": "DLH"})
    assert r.status_code == 201, r.text


def test_the_old_owner_cannot_take_an_item_back_through_an_older_week(client_for, seeded):
    _reassign_to_dlh(client_for)
    dinkes = client_for("dinkes", bearer=True)
    for week in ("2026-W47", "2026-W48"):
        r = dinkes.post("/api/feedback", json={"week": week, **ITEM, "status": "relevan", "assigned_opd": "DINKES"})
        assert r.status_code == 403, (week, r.text)
    assert feedback_count(seeded) == 1
    dlh = client_for("dlh", bearer=True)  # the new owner decides on the item it owns now
    assert dlh.post("/api/feedback", json={"week": "2026-W48", **ITEM, "status": "sudah_diusulkan"}).status_code == 201
    assert decisions.current(seeded).iloc[-1].assigned_opd == "DLH"


def test_a_decision_for_an_older_week_never_overrides_a_later_one(client_for, seeded):
    planner = client_for("perencana", bearer=True)
    assert planner.post("/api/feedback", json={"week": "2026-W48", **ITEM, "status": "sedang_diusulkan"}
                        ).status_code == 201
    late = planner.post("/api/feedback", json={"week": "2026-W47", **ITEM, "status": "tidak_relevan",
                                               "reason": "bukan_kewenangan"})
    assert late.status_code == 400 and "2026-W48" in late.json()["detail"]
    with pytest.raises(decisions.StaleDecision):
        decisions.record(seeded, decisions.Decision(W47, "I1", "P1", "didanai", "cli"))
    assert decisions.current(seeded).iloc[0].status == "sedang_diusulkan"


def test_an_older_email_link_cannot_dismiss_an_item_reassigned_since(client_for, seeded):
    path = "/tautan/" + links.dismiss_url(W48, "I1", "P1", "DINKES").rsplit("/tautan/", 1)[1]
    anon = client_for(None)
    form = {"csrf": _csrf(anon.get(path).text), "reason": "bukan_kewenangan"}  # opened before the reassignment
    _reassign_to_dlh(client_for)
    page = anon.get(path)
    assert page.status_code == 403 and "DLH" in page.text
    assert anon.post(path, data=form).status_code == 403
    assert feedback_count(seeded) == 1 and decisions.current(seeded).iloc[0].status == "sedang_diusulkan"


def test_links_of_a_paused_opd_are_refused(client_for, seeded):
    path = "/tautan/" + links.dismiss_url(W48, "I1", "P1", "DINKES").rsplit("/tautan/", 1)[1]
    anon = client_for(None)
    form = {"csrf": _csrf(anon.get(path).text), "reason": "bukan_kewenangan"}
    with seeded.begin() as conn:
        conn.execute(update(opds).where(opds.c.opd_code == "DINKES").values(paused=True))
    assert anon.get(path).status_code == 403
    assert anon.post(path, data=form).status_code == 403
    assert feedback_count(seeded) == 0


def test_build_review_page_and_reminders_agree_on_the_owner(client_for, seeded):
    _reassign_to_dlh(client_for)
    build_week(seeded, W48)
    assert load_week(seeded, W48).set_index("programme_id").at["P1", "opd_code"] == "DLH"
    item = queries.find(queries.week_items(seeded, W48), "I1", "P1")
    assert item["opd_code"] == "DLH"
    due = reminders.due(seeded, date(2026, 11, 25))  # P1 closes 4 Dec: 9 days left
    assert due.set_index("programme_id").at["P1", "opd_code"] == "DLH"
    (reminder,) = reminders.compose(seeded, date(2026, 11, 25), get_settings())
    assert reminder.recipient == "dlh@serangkota.example.go.id"
