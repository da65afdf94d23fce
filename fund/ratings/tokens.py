"""The signed token in the SMS rating link (好差评短信链接).

The token names the application and is signed with the site's secret (django.core.signing), so it cannot be
made up or pointed at another application; it carries its time, so it lapses with the rating period. It works
once because a rating is once per application: after it is used, the link answers that it is rated.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

SALT = "fund.ratings.invite"


class BadToken(Exception):
    """The token was not made by this site (forged, altered, cut short)."""


class ExpiredToken(Exception):
    """The token is genuine but older than the rating period."""


def invite_token(application_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(signing.b62_encode(application_id))


def application_id_from_token(token: str, *, max_age: timedelta) -> int:
    """The application a token names; BadToken or ExpiredToken otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ExpiredToken from exc
    except signing.BadSignature as exc:
        raise BadToken from exc
    try:
        return signing.b62_decode(value)
    except (ValueError, KeyError) as exc:  # a value we never signed
        raise BadToken from exc
