"""CSRF tokens: stateless, signed, bound to the user (or to a link token) and time-limited."""

from __future__ import annotations

from itsdangerous import BadSignature

from nyengget.review.signing import serializer

SALT = "nyengget-csrf-v1"
MAX_AGE = 12 * 3600


def issue(subject: str) -> str:
    """A token for forms posted by `subject` (a username, or `link:<token>` on the link page)."""
    return serializer(SALT).dumps(subject)


def valid(token: str | None, subject: str) -> bool:
    if not token:
        return False
    try:
        return serializer(SALT).loads(token, max_age=MAX_AGE) == subject
    except BadSignature:
        return False
