"""Signed one-click "Tidak relevan" links for the OPD emails.

A link carries one (week, innovation, programme, OPD, action), signed with HMAC (itsdangerous) and
timestamped: it is refused after NYENGGET_LINK_MAX_AGE_DAYS (default 21) and cannot be edited into
another item. Opening it only shows a confirmation page; the decision is recorded on submit, with
actor `email:<OPD>`. A link already used is recognised from `review_feedback` and records nothing new.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import Engine, func, select

from nyengget import decisions
from nyengget.config import get_settings
from nyengget.decisions import DISMISSED
from nyengget.regions import region_of
from nyengget.review.signing import serializer
from nyengget.warehouse.schema import review_feedback

SALT = "nyengget-dismiss-link-v1"


class LinkExpired(Exception):
    """The link is genuine but too old."""


class LinkInvalid(Exception):
    """The link was not signed by us (edited, truncated or for another purpose)."""


@dataclass(frozen=True)
class DismissLink:
    week_start: date
    innovation_id: str
    programme_id: str
    opd_code: str
    action: str = DISMISSED
    region_code: str | None = None  # the item's region; None (links made before regions): the default region

    @property
    def actor(self) -> str:
        return f"email:{self.opd_code}"


def max_age_seconds() -> int:
    return get_settings().link_max_age_days * 86400


def _payload(link: DismissLink) -> dict:
    payload = {"w": link.week_start.isoformat(), "i": link.innovation_id, "p": link.programme_id,
               "o": link.opd_code, "a": link.action}
    if link.region_code:
        payload["r"] = link.region_code
    return payload


def make_token(link: DismissLink, secret: str | None = None) -> str:
    return serializer(SALT, secret).dumps(_payload(link))


def dismiss_urls(week_start: date, region_code: str | None = None) -> Callable[[str, str, str], str]:
    """`url(innovation_id, programme_id, opd_code)`: the one-click "Tidak relevan" links of one week's emails,
    signed with one serializer made on first use (a digest signs hundreds; the secret and base URL are
    read once), each item once (its text and HTML parts show the same link)."""
    @functools.cache
    def signer_and_base():
        return serializer(SALT), get_settings().public_base_url

    @functools.cache
    def url(innovation_id: str, programme_id: str, opd_code: str) -> str:
        signer, base = signer_and_base()
        link = DismissLink(week_start, innovation_id, programme_id, opd_code, region_code=region_code)
        return f"{base}/tautan/{signer.dumps(_payload(link))}"

    return url


def dismiss_url(week_start: date, innovation_id: str, programme_id: str, opd_code: str,
                region_code: str | None = None) -> str:
    """The absolute URL of the one-click "Tidak relevan" page for one item of one week's email."""
    return dismiss_urls(week_start, region_code)(innovation_id, programme_id, opd_code)


def read_token(token: str, secret: str | None = None) -> DismissLink:
    """The link behind `token`; raises LinkExpired or LinkInvalid."""
    try:
        data = serializer(SALT, secret).loads(token, max_age=max_age_seconds())
    except SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except BadSignature as exc:
        raise LinkInvalid(str(exc)) from exc
    try:
        return DismissLink(date.fromisoformat(data["w"]), data["i"], data["p"], data["o"], data["a"],
                           data.get("r"))
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid("malformed payload") from exc


def refusal(engine: Engine, link: DismissLink) -> str | None:
    """Why this genuine link may no longer decide (item reassigned since, OPD paused, a later week
    decided), or None. The rules are `nyengget.decisions.check`'s."""
    d = decisions.Decision(link.week_start, link.innovation_id, link.programme_id, link.action, link.actor,
                           region_code=link.region_code)
    try:
        with engine.connect() as conn:
            decisions.check(conn, d, link.opd_code, via_link=True)
    except (decisions.NotAllowed, decisions.StaleDecision) as exc:
        return str(exc)
    return None


def record(engine: Engine, link: DismissLink, reason: str, note: str | None, dismissal_scope: str | None = None) -> int:
    """Record the link's decision for its OPD (checked again, in the same transaction as the insert), for
    this innovation or, with `dismissal_scope="opd"`, for every item of the OPD (decisions.SCOPES)."""
    return decisions.record(engine, decisions.Decision(link.week_start, link.innovation_id, link.programme_id,
                                                       link.action, link.actor, reason=reason, note=note,
                                                       dismissal_scope=dismissal_scope, region_code=link.region_code),
                            scope=link.opd_code, via_link=True)


def already_used(engine: Engine, link: DismissLink) -> bool:
    """Whether this link's decision is already in the audit trail."""
    query = select(func.count()).select_from(review_feedback).where(
        review_feedback.c.week_start == link.week_start,
        review_feedback.c.innovation_id == link.innovation_id,
        review_feedback.c.programme_id == link.programme_id,
        review_feedback.c.status == link.action,
        review_feedback.c.actor == link.actor,
        review_feedback.c.region_code == region_of(link.region_code).code,
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar_one() > 0
