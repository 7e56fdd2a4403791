"""Signed one-click "Tidak relevan" links: signed, expiring, single-purpose, not replayable."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner
from review_helpers import feedback_count

from factories import W48
from nyengget.review import csrf, links
from nyengget.weekly import feedback


def token_of(url: str) -> str:
    return url.rsplit("/tautan/", 1)[1]


def csrf_of(html: str) -> str:
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_dismiss_url_is_under_the_public_base_url_and_names_one_item():
    url = links.dismiss_url(W48, "I1", "P1", "DINKES")
    assert url.startswith("http://review.test/nyengget/tautan/")
    assert links.read_token(token_of(url)) == links.DismissLink(W48, "I1", "P1", "DINKES", "tidak_relevan")


def test_one_weeks_links_signed_together_each_name_their_own_item():
    url = links.dismiss_urls(W48, "36.72")
    first, second = url("I1", "P1", "DINKES"), url("I2", "P3", "DLH")
    assert first.startswith("http://review.test/nyengget/tautan/")
    assert links.read_token(token_of(first)) == links.DismissLink(W48, "I1", "P1", "DINKES", region_code="36.72")
    assert links.read_token(token_of(second)) == links.DismissLink(W48, "I2", "P3", "DLH", region_code="36.72")
    time.sleep(1.1)  # another second: a token signed again would carry another timestamp
    assert url("I1", "P1", "DINKES") == first  # signed once: the text and HTML parts show the same link


def test_opening_a_link_records_nothing_confirming_records_once(client_for, seeded):
    anon = client_for(None)  # the link itself is the credential: no Airflow login needed
    path = "/tautan/" + token_of(links.dismiss_url(W48, "I1", "P1", "DINKES"))
    page = anon.get(path)
    assert page.status_code == 200 and "Hibah Penurunan Stunting" in page.text and "Posyandu Digital" in page.text
    assert feedback_count(seeded) == 0
    done = anon.post(path, data={"csrf": csrf_of(page.text), "reason": "tidak_ada_dana_pendamping"})
    assert done.status_code == 200 and "Tercatat" in done.text
    row = feedback.latest(seeded).iloc[0]
    assert (row.status, row.reason, row.actor, row.week_start) == ("tidak_relevan", "tidak_ada_dana_pendamping",
                                                                    "email:DINKES", W48)
    again = anon.get(path)
    assert "sudah tercatat" in again.text.lower()
    replay = anon.post(path, data={"csrf": csrf_of(page.text), "reason": "lainnya", "note": "lagi"})
    assert "sudah tercatat" in replay.text.lower()
    assert feedback_count(seeded) == 1


def test_the_confirmation_needs_a_reason_and_its_own_form_token(client_for, seeded):
    anon = client_for(None)
    path = "/tautan/" + token_of(links.dismiss_url(W48, "I1", "P1", "DINKES"))
    token = csrf_of(anon.get(path).text)
    assert anon.post(path, data={"csrf": token}).status_code == 400
    assert anon.post(path, data={"csrf": token, "reason": "lainnya"}).status_code == 400
    assert anon.post(path, data={"csrf": csrf.issue("link:another"), "reason": "lainnya"}).status_code == 403
    assert feedback_count(seeded) == 0


def test_a_link_cannot_be_edited_into_another_item(client_for, seeded):
    token = token_of(links.dismiss_url(W48, "I1", "P1", "DINKES"))
    other = token_of(links.dismiss_url(W48, "I2", "P3", "DLH"))
    forged = ".".join([other.rsplit(".", 2)[0], *token.rsplit(".", 2)[1:]])  # I2×P3 payload, I1×P1 signature
    anon = client_for(None)
    for bad in (forged, token[:-3] + "abc", csrf.issue("x")):
        assert anon.get(f"/tautan/{bad}").status_code == 400
        assert anon.post(f"/tautan/{bad}", data={"reason": "lainnya", "note": "x"}).status_code == 400
    wrong_key = links.make_token(links.DismissLink(W48, "I1", "P1", "DINKES"), secret="not-our-secret")
    assert anon.get(f"/tautan/{wrong_key}").status_code == 400
    assert feedback_count(seeded) == 0


def test_a_used_link_does_not_block_another_items_link(client_for, seeded):
    anon = client_for(None)
    for iid, pid, opd in (("I1", "P1", "DINKES"), ("I1", "P2", "DINKES")):
        path = "/tautan/" + token_of(links.dismiss_url(W48, iid, pid, opd))
        assert "Tercatat" in anon.post(path, data={"csrf": csrf_of(anon.get(path).text),
                                                   "reason": "bukan_kewenangan"}).text
    assert feedback_count(seeded) == 2


def test_an_expired_link_is_refused(client_for, seeded, monkeypatch):
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 22 * 86400)
    old = token_of(links.dismiss_url(W48, "I1", "P1", "DINKES"))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    with pytest.raises(links.LinkExpired):
        links.read_token(old)
    anon = client_for(None)
    assert anon.get(f"/tautan/{old}").status_code == 410
    assert anon.post(f"/tautan/{old}", data={"reason": "lainnya", "note": "x"}).status_code == 410
    monkeypatch.setenv("NYENGGET_LINK_MAX_AGE_DAYS", "30")
    assert links.read_token(old).innovation_id == "I1"
    assert feedback_count(seeded) == 0


def test_each_item_of_the_opd_email_carries_its_own_link(seeded):
    from nyengget.config import get_settings
    from nyengget.notify.digest import load_opds, opd_digests
    from nyengget.weekly.build import load_week

    out = opd_digests(load_week(seeded, W48), load_opds(seeded), W48, get_settings(), backlog=True)
    dinkes = next(o for o in out if o.recipient.startswith("dinkes"))
    html = dinkes.message.get_body(("html",)).get_content()
    text = dinkes.message.get_body(("plain",)).get_content()
    prefix = "http://review.test/nyengget/tautan/"
    found = {links.read_token(part.split('"', 1)[0]) for part in html.split(f'href="{prefix}')[1:]}
    assert {(lk.innovation_id, lk.programme_id, lk.opd_code, lk.week_start) for lk in found} == {
        ("I1", "P1", "DINKES", W48), ("I1", "P2", "DINKES", W48), ("I3", "P4", "DINKES", W48)}
    assert text.count(f"Tidak relevan? {prefix}") == 3
