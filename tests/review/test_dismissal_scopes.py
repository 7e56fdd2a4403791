"""Dismissal scopes through the real page, API and email links: this innovation, this OPD, the whole pemda
(`region`); who may dismiss at which scope; the list and the matcher's feedback honour the scope; a
replacement item is not "Baru" unless its programme is."""

from __future__ import annotations

from datetime import date

import pytest
from review_helpers import add_routed, feedback_count

from factories import W48, add_match, add_programme, add_version
from nyengget import decisions
from nyengget.review import links
from nyengget.weekly import feedback
from nyengget.weekly.build import build_week, load_week

W49, W50 = date(2026, 11, 30), date(2026, 12, 7)
W = {"week": "2026-W48"}
DISMISS = {"week": "2026-W48", "innovation_id": "I1", "programme_id": "P1", "status": "tidak_relevan"}


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def _week_with_p1_for_everyone(e, week=W49) -> set[tuple[str, str]]:
    """Matches of `week`: P1 for every innovation (I1, I3 of DINKES, I2 of DLH); the built list's pairs."""
    for iid, rank in (("I1", 1), ("I3", 1), ("I2", 2)):
        add_match(e, week, iid, "P1", rank)
    add_match(e, week, "I2", "P3", 1)
    build_week(e, week)
    return {(r.innovation_id, r.programme_id) for r in load_week(e, week).itertuples()}


def _matcher_dismissed(e, week=W49) -> set[tuple[str, str]]:
    fb = feedback.for_matcher(e, week)
    return {(r.innovation_id, r.programme_id) for r in fb.itertuples() if r.status == "tidak_relevan"}


def test_an_opd_dismissal_removes_the_programme_for_that_opds_other_innovations_only(client_for, seeded):
    dinkes = client_for("dinkes", bearer=True)
    r = dinkes.post("/api/feedback", json={**DISMISS, "reason": "bukan_untuk_opd", "dismissal_scope": "opd"})
    assert r.status_code == 201, r.text
    row = decisions.current(seeded).iloc[0]
    assert (row.dismissal_scope, row.dismissal_opd, row.reason) == ("opd", "DINKES", "bukan_untuk_opd")
    assert _matcher_dismissed(seeded) == {("I1", "P1"), ("I3", "P1")}
    pairs = _week_with_p1_for_everyone(seeded)
    assert ("I3", "P1") not in pairs  # DINKES's other innovation: gone
    assert ("I2", "P1") in pairs  # DLH still gets it
    assert ("I1", "P1") in pairs  # the dismissed item itself keeps its decision, as before


def test_a_pair_dismissal_stays_with_its_pair(client_for, seeded):
    dinkes = client_for("dinkes", bearer=True)
    assert dinkes.post("/api/feedback", json={**DISMISS, "reason": "bukan_kewenangan"}).status_code == 201
    assert decisions.current(seeded).iloc[0].dismissal_scope == "inovasi"
    assert _matcher_dismissed(seeded) == {("I1", "P1")}
    assert {("I3", "P1"), ("I2", "P1")} <= _week_with_p1_for_everyone(seeded)


def test_bappeda_dismisses_for_the_whole_pemda_on_the_page_until_the_programme_changes(client_for, seeded):
    planner = client_for("perencana")
    page = planner.get("/", params=W).text
    assert 'value="region"' in page and "Seluruh pemda" in page
    r = planner.post("/keputusan", data={**DISMISS, "reason": "bukan_untuk_pemda", "dismissal_scope": "region",
                                         "csrf": _csrf(page), "next": "/?week=2026-W48"})
    assert r.status_code == 303, r.text
    assert decisions.current(seeded).iloc[0].dismissal_scope == "region"
    assert _matcher_dismissed(seeded) == {("I1", "P1"), ("I2", "P1"), ("I3", "P1")}
    pairs = _week_with_p1_for_everyone(seeded)
    assert ("I2", "P1") not in pairs and ("I3", "P1") not in pairs
    detail = planner.get("/item", params={**W, **{k: DISMISS[k] for k in ("innovation_id", "programme_id")}}).text
    assert "Cakupan: Seluruh pemda" in detail
    # a change of window after the dismissal brings it back for everyone
    add_version(seeded, "P1", 3, W50, "closes_on", "batas usulan diperpanjang")
    assert _matcher_dismissed(seeded, W50) == set()
    assert {("I2", "P1"), ("I3", "P1")} <= _week_with_p1_for_everyone(seeded, W50)


def test_an_opd_may_not_dismiss_for_the_whole_pemda(client_for, seeded):
    dinkes = client_for("dinkes", bearer=True)
    r = dinkes.post("/api/feedback", json={**DISMISS, "reason": "bukan_untuk_pemda", "dismissal_scope": "region"})
    assert r.status_code == 403 and "Bappeda" in r.json()["detail"]
    cookie = client_for("dinkes")
    page = cookie.get("/", params=W).text
    assert 'value="opd"' in page and 'value="region"' not in page  # not offered to an OPD
    forged = cookie.post("/keputusan", data={**DISMISS, "reason": "bukan_untuk_pemda", "dismissal_scope": "region",
                                             "csrf": _csrf(page)})
    assert forged.status_code == 403
    unknown = dinkes.post("/api/feedback", json={**DISMISS, "reason": "lainnya", "note": "x",
                                                 "dismissal_scope": "kota"})
    assert unknown.status_code == 400
    assert feedback_count(seeded) == 0


def test_the_email_link_dismisses_for_the_opd_but_not_for_the_pemda(client_for, seeded):
    anon = client_for(None)
    path = "/tautan/" + links.dismiss_url(W48, "I1", "P1", "DINKES").rsplit("/tautan/", 1)[1]
    page = anon.get(path).text
    assert 'value="opd"' in page and 'value="region"' not in page
    refused = anon.post(path, data={"csrf": _csrf(page), "reason": "bukan_untuk_pemda", "dismissal_scope": "region"})
    assert refused.status_code == 403 and feedback_count(seeded) == 0
    done = anon.post(path, data={"csrf": _csrf(page), "reason": "bukan_untuk_opd", "dismissal_scope": "opd"})
    assert done.status_code == 200 and "semua inovasi OPD" in done.text
    row = decisions.current(seeded).iloc[0]
    assert (row.actor, row.dismissal_scope, row.dismissal_opd) == ("email:DINKES", "opd", "DINKES")
    assert ("I3", "P1") in _matcher_dismissed(seeded)


def test_a_later_decision_on_the_pair_lifts_its_opd_wide_dismissal(seeded):
    decisions.record(seeded, decisions.Decision(W48, "I1", "P1", "tidak_relevan", "dinkes", reason="bukan_untuk_opd",
                                                dismissal_scope="opd"), scope="DINKES")
    decisions.record(seeded, decisions.Decision(W49, "I1", "P1", "relevan", "dinkes"), scope="DINKES")
    assert _matcher_dismissed(seeded) == set()


def test_an_opd_dismissal_stays_with_its_opd_when_bappeda_moves_its_pair_to_another_opd(seeded):
    decisions.record(seeded, decisions.Decision(W48, "I1", "P1", "tidak_relevan", "dinkes", reason="bukan_untuk_opd",
                                                dismissal_scope="opd"), scope="DINKES")
    decisions.record(seeded, decisions.Decision(W49, "I1", "P1", "relevan", "bappeda", assigned_opd="DLH"))
    assert _matcher_dismissed(seeded) == {("I3", "P1")}  # still not for DINKES; the moved pair is DLH's
    pairs = _week_with_p1_for_everyone(seeded)
    assert ("I3", "P1") not in pairs and {("I1", "P1"), ("I2", "P1")} <= pairs
    moved = load_week(seeded, W49).set_index(["innovation_id", "programme_id"]).loc[("I1", "P1")]
    assert (moved.opd_code, moved.review_status) == ("DLH", "relevan")
    # DLH's own later decision on the pair does not bring P1 back for DINKES's other innovation
    decisions.record(seeded, decisions.Decision(W49, "I1", "P1", "sedang_diusulkan", "dlh"), scope="DLH")
    assert _matcher_dismissed(seeded) == {("I3", "P1")}
    # moved back, DINKES says "relevan" after all: its dismissal for the OPD is lifted
    decisions.record(seeded, decisions.Decision(W49, "I1", "P1", "relevan", "bappeda", assigned_opd="DINKES"))
    assert _matcher_dismissed(seeded) == set()


def test_an_opd_dismissal_is_not_the_decision_of_the_opd_the_routing_later_gives_the_item(seeded):
    add_routed(seeded, build=False)  # K1 x BOK, no list yet: the kecamatan owns it when it dismisses
    decisions.record(seeded, decisions.Decision(W48, "K1", "BOK", "tidak_relevan", "kec", reason="bukan_untuk_opd",
                                                dismissal_scope="opd"), scope="KEC-SERANG")
    assert decisions.current(seeded).iloc[0].dismissal_opd == "KEC-SERANG"
    build_week(seeded, W48)  # routed to the Dinas Kesehatan, which may propose it
    row = load_week(seeded, W48).set_index(["innovation_id", "programme_id"]).loc[("K1", "BOK")]
    assert (row.opd_code, row.partner_opd_code, row.review_status) == ("DINKES", "KEC-SERANG", None)
    assert ("K1", "BOK") not in _matcher_dismissed(seeded, W48)
    decisions.record(seeded, decisions.Decision(W48, "K1", "BOK", "relevan", "dinkes"), scope="DINKES")


def test_a_region_dismissal_hides_the_programme_for_the_proposing_opd_too(seeded):
    add_routed(seeded)
    add_match(seeded, W49, "K1", "BOK", 1)
    add_match(seeded, W49, "I1", "BOK", 2)
    decisions.record(seeded, decisions.Decision(W48, "K1", "BOK", "tidak_relevan", "bappeda",
                                                reason="bukan_untuk_pemda", dismissal_scope="region"))
    build_week(seeded, W49)
    assert {(r.innovation_id, r.opd_code, r.review_status) for r in load_week(seeded, W49).itertuples()
            if r.programme_id == "BOK"} == {("K1", "DINKES", "tidak_relevan")}


def test_a_dismissal_scope_needs_a_dismissal(seeded):
    with pytest.raises(decisions.UsageError, match="only for status tidak_relevan"):
        decisions.record(seeded, decisions.Decision(W48, "I1", "P1", "relevan", "x", dismissal_scope="opd"))


def test_a_replacement_item_is_not_new_unless_its_programme_is(client_for, seeded):
    dinkes = client_for("dinkes", bearer=True)
    assert dinkes.post("/api/feedback", json={**DISMISS, "reason": "bukan_kewenangan"}).status_code == 201
    add_programme(seeded, "P5", "Hibah Posyandu Baru", week=W49)
    add_match(seeded, W49, "I1", "P2", 1)
    add_match(seeded, W49, "I1", "P3", 2)  # moves up into I1's list; P3 was listed (for DLH) before
    add_match(seeded, W49, "I1", "P5", 3)  # a programme first listed this week
    build_week(seeded, W49)
    rows = {r.programme_id: r for r in load_week(seeded, W49).itertuples() if r.innovation_id == "I1"}
    assert not rows["P3"].is_new and not rows["P2"].is_new
    assert rows["P5"].is_new


def test_the_real_matcher_honours_an_opd_wide_dismissal(engine):
    from review_helpers import seed_for_matcher
    from sqlalchemy import select

    from factories import add_innovation
    from nyengget.warehouse.schema import matches
    from nyengget.weekly.matches import run_matching

    seed_for_matcher(engine)
    add_innovation(engine, "I4", "Kelas Ibu Balita", "DINKES",
                   description="kelas ibu hamil dan balita stunting di posyandu kesehatan")
    run_matching(engine, W48)

    def matched(week):
        with engine.connect() as conn:
            return {(r.innovation_id, r.programme_id) for r in conn.execute(
                select(matches.c.innovation_id, matches.c.programme_id).where(matches.c.week_start == week))}

    assert {("I1", "P1"), ("I4", "P1")} <= matched(W48)
    decisions.record(engine, decisions.Decision(W48, "I1", "P1", "tidak_relevan", "dinkes", reason="bukan_untuk_opd",
                                                dismissal_scope="opd"), scope="DINKES")
    run_matching(engine, W49)
    assert not {p for p in matched(W49) if p[1] == "P1" and p[0] in ("I1", "I4")}


def test_a_rebuilt_earlier_week_keeps_a_dismissal_that_a_later_change_revives(client_for, seeded):
    """A programme change in W50 revives the dismissal from W50 on; W49, rebuilt afterwards, still honours
    it (a rerun of a week gives that week's list, whatever happened since)."""
    planner = client_for("perencana")
    page = planner.get("/", params=W).text
    planner.post("/keputusan", data={**DISMISS, "reason": "bukan_untuk_pemda", "dismissal_scope": "region",
                                     "csrf": _csrf(page), "next": "/?week=2026-W48"})
    add_version(seeded, "P1", 3, W50, "closes_on", "batas usulan diperpanjang")
    assert _matcher_dismissed(seeded, W49) == {("I1", "P1"), ("I2", "P1"), ("I3", "P1")}
    assert ("I2", "P1") not in _week_with_p1_for_everyone(seeded, W49)
    assert _matcher_dismissed(seeded, W50) == set()
