"""Messages built by notify.message: bodies encoded as the email package decides, quoted-printable in C."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from nyengget.notify import message

LONG = "Jadwal usulan: 24 Apr 2027 – 15 Agu 2027 (256 hari lagi); pagu Rp 1,2 miliar = 40% dari total " * 3
TEXTS = {
    "short ascii": "Yth. Dinkes,\nTidak ada yang baru pekan ini.\n",
    "short non-ascii": "Yth. Dinkes,\nSisa hari — 3.\n",
    "long ascii": "a" * 120 + "\nsecond line\n",
    "long non-ascii": f"Yth. BPBD,\n{LONG}\n  trailing spaces   \n\ttab\n= equals at start\n" + "x" * 76 + "\n",
    "non-latin": ("警告 " * 60 + "\n") * 12,
}


def _built(text: str, html: str = "<p>ok</p>") -> EmailMessage:
    msg = message.build(sender="Bappeda <bappeda@example.go.id>", recipients=["dinkes@example.go.id"],
                        subject="[Nyengget] uji", text=text, html=html, key="2026-11-23_opd_dinkes",
                        when=datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    return email.message_from_bytes(bytes(msg), policy=email.policy.default)


def _standard_cte(text: str) -> str:
    msg = EmailMessage()
    msg.set_content(text)
    return msg["Content-Transfer-Encoding"]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_each_body_reads_back_as_written_with_the_encoding_the_email_package_would_choose(name):
    text = TEXTS[name]
    got = _built(text, html=f"<div>{text}</div>\n")
    for subtype, body in (("plain", text), ("html", f"<div>{text}</div>\n")):
        part = got.get_body((subtype,))
        assert part.get_content() == body
        assert part["Content-Transfer-Encoding"] == _standard_cte(body)
        assert part.get_content_charset() == "utf-8"


def test_quoted_printable_lines_stay_within_rfc_2045s_76_characters():
    part = _built(TEXTS["long non-ascii"]).get_body(("plain",))
    assert part["Content-Transfer-Encoding"] == "quoted-printable"
    raw = part.get_payload()
    assert max(len(line) for line in raw.splitlines()) <= 76
    assert "=E2=80=93" in raw and "=3D equals" in raw  # the en dash and "=" encoded
    assert "   =20" in raw or "  =20" in raw  # trailing spaces kept visible, not stripped in transit


def test_an_explicit_encoding_is_left_to_the_standard_setter():
    msg = EmailMessage(policy=message.POLICY)
    msg.set_content(TEXTS["long non-ascii"], cte="base64")
    assert msg["Content-Transfer-Encoding"] == "base64"
    assert msg.get_content() == TEXTS["long non-ascii"]


def test_set_key_keeps_a_message_of_its_own_key_and_replaces_another_key():
    msg = message.build(sender="a@example.go.id", recipients=["b@example.go.id"], subject="s", text="t",
                        html="<p>t</p>", key="k1")
    assert message.set_key(msg, "k1") is msg and msg["Message-ID"] == message.message_id("k1")
    message.set_key(msg, "k2")
    assert msg.get_all("Message-ID") == [message.message_id("k2")]
    assert msg.get_all("X-Nyengget-Key") == ["k2"]


def test_a_header_class_is_made_once_and_parses_as_the_standard_one():
    one, two = (message.build(sender="Bappeda Kota Serang <bappeda@serangkota.example.go.id>",
                              recipients=[f"opd{i}@example.go.id"], subject="s", text="t", html="<p>t</p>", key=f"k{i}")
                for i in (1, 2))
    assert type(one["From"]) is type(two["From"])
    standard = EmailMessage()
    standard["From"] = "Bappeda Kota Serang <bappeda@serangkota.example.go.id>"
    assert one["From"].addresses == standard["From"].addresses
    assert type(one["From"]).__mro__[1:] == type(standard["From"]).__mro__[1:]  # the same classes underneath


def test_boundaries_appear_in_no_part_and_a_colliding_draw_is_drawn_again(monkeypatch, tmp_path):
    taken = 1234567890123456789
    text = f"Yth. Dinkes,\n--{'=' * 15}{taken:019d}==\nmenyalin batas\n"  # a 7-bit body holding the first draw
    draws = iter([taken, 42, 43])
    monkeypatch.setattr(message.random, "randrange", lambda _n: next(draws))
    sheet = tmp_path / "ringkasan.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook")
    msg = message.build(sender="a@example.go.id", recipients=["b@example.go.id"], subject="s", text=text,
                        html="<p>t</p>", key="k", attachments=[sheet])
    boundaries = [p.get_boundary() for p in msg.walk() if p.is_multipart()]
    assert boundaries == [f"{'=' * 15}{42:019d}==", f"{'=' * 15}{43:019d}=="]  # mixed, then alternative
    got = email.message_from_bytes(bytes(msg), policy=email.policy.default)
    assert got.get_body(("plain",)).get_content() == text
    assert [p.get_filename() for p in got.iter_attachments()] == ["ringkasan.xlsx"]
    assert next(got.iter_attachments()).get_content() == sheet.read_bytes()
