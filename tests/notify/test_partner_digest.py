"""The partner (mitra) section of an OPD's digest: a kecamatan whose innovation's match is proposed by the
Dinas Kesehatan sees it read-only in its own email, once per week, and gets no email without news."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from factories import W48, add_innovation, add_match, add_opd, add_programme
from nyengget import decisions
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline.weekly import run_week
from nyengget.review import links
from nyengget.warehouse.schema import outbox
from nyengget.weekly.build import build_week, load_week
from nyengget.weeks import JAKARTA

W49 = W48 + timedelta(days=7)
KEC, DINKES = "KEC-SERANG", "DINKES"
KEC_MAIL, DINKES_MAIL = "kec.serang@serangkota.example.go.id", "dinkes@serangkota.example.go.id"


def at_six(monday: date) -> datetime:
    return datetime.combine(monday, time(6), tzinfo=JAKARTA)


def _emails(directory) -> dict[str, email.message.EmailMessage]:
    out = {}
    for p in sorted(directory.glob("*opd_digest*.eml")) if directory.exists() else []:
        m = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        out[str(m["To"])] = m
    return out


@pytest.fixture
def routed(engine):
    """A kecamatan's innovation matched to BOK (only the Dinas Kesehatan proposes it), new in W48 and
    matched again in W49; the kecamatan has nothing of its own, the Dinas Kesehatan no innovation."""
    add_opd(engine, DINKES, "Dinas Kesehatan", "Dinkes", DINKES_MAIL)
    add_opd(engine, KEC, "Kecamatan Serang", "Kec. Serang", KEC_MAIL)
    add_innovation(engine, "K1", "Posyandu Keliling Kecamatan", KEC, opd="Kecamatan Serang")
    add_programme(engine, "BOK", "DAK Non-Fisik BOK Puskesmas", week=W48, funding_type="DAK Non-Fisik",
                  closes_on=date(2027, 3, 1))
    for week in (W48, W49):
        add_match(engine, week, "K1", "BOK", 1)
    return engine


def test_an_opd_with_only_partner_items_gets_a_digest_with_only_that_section(routed, tmp_path):
    run_week(routed, W48, sent_at=at_six(W48), delivery=FileDelivery(tmp_path / "w48"))
    row = load_week(routed, W48).iloc[0]
    assert (row.opd_code, row.partner_opd_code, row.routing) == (DINKES, KEC, "dialihkan")
    mails = _emails(tmp_path / "w48")
    kec = mails[KEC_MAIL]
    assert str(kec["Subject"]) == "[Nyengget] Kec. Serang: 1 sebagai mitra (pekan 2026-W48)"
    text, html = kec.get_body(("plain",)).get_content(), kec.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Diusulkan OPD lain, Anda sebagai mitra (1)" in body
        assert "DAK Non-Fisik BOK Puskesmas" in body and "Posyandu Keliling Kecamatan" in body
        assert "Diusulkan oleh Dinas Kesehatan; Anda sebagai mitra." in body
        assert "keputusan ada di OPD pengusul" in body
        assert "/tautan/" not in body  # no decision link: the proposer decides
        assert "Tidak ada yang baru" not in body and "== Baru" not in body
        assert "Ada kabar pekan 2026-W48 tentang inovasi Kec. Serang yang diusulkan OPD lain" in body
    # the proposer's own digest has the item with its one-click link, for the proposer
    dinkes_text = mails[DINKES_MAIL].get_body(("plain",)).get_content()
    assert "Anda sebagai mitra" not in dinkes_text
    token = dinkes_text.split("/tautan/", 1)[1].split()[0]
    assert links.read_token(token).opd_code == DINKES


def test_the_partner_section_goes_out_once_per_week_and_not_without_news(routed, tmp_path):
    first = run_week(routed, W48, sent_at=at_six(W48), delivery=FileDelivery(tmp_path / "out"))
    again = run_week(routed, W48, sent_at=at_six(W48), delivery=FileDelivery(tmp_path / "out"))
    assert first.sent >= 2 and again.sent == 0 and again.already_sent == first.sent
    with routed.connect() as conn:
        per_key = dict(conn.execute(select(outbox.c.kind, func.count()).where(outbox.c.recipient == KEC_MAIL)
                                    .group_by(outbox.c.kind)).all())
    assert per_key == {f"opd_digest:{KEC}": 1}  # the partner section rides on the OPD's one digest key
    # W49: BOK is listed again, nothing new, changed or closing: neither OPD gets an email
    run_week(routed, W49, sent_at=at_six(W49), delivery=FileDelivery(tmp_path / "w49"))
    assert _emails(tmp_path / "w49") == {}


def test_a_partner_does_not_see_what_the_proposer_dismissed_nor_an_item_reassigned_to_it(routed, tmp_path):
    build_week(routed, W48)  # routed to the Dinas Kesehatan, which dismisses it
    decisions.record(routed, decisions.Decision(W48, "K1", "BOK", "tidak_relevan", "dinkes", reason="lainnya",
                                                note="sudah ada"), scope=DINKES)
    run_week(routed, W48, sent_at=at_six(W48), delivery=FileDelivery(tmp_path / "dismissed"))
    assert KEC_MAIL not in _emails(tmp_path / "dismissed")
    decisions.record(routed, decisions.Decision(W49, "K1", "BOK", "relevan", "bappeda", assigned_opd=KEC))
    run_week(routed, W49, sent_at=at_six(W49), delivery=FileDelivery(tmp_path / "moved"))
    row = load_week(routed, W49).iloc[0]
    assert (row.opd_code, decisions.partner(row.partner_opd_code, row.opd_code)) == (KEC, None)
