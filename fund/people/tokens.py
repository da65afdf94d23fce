"""API tokens, one per device or client: issue at sign-in, list, revoke, and check on every API request.

A user may hold FUND_API_TOKENS_PER_USER active tokens at once; each lives FUND_API_TOKEN_HOURS from its
sign-in. Keys are random and stored only as their SHA-256, so the key is in the answer to the sign-in and
nowhere else.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from fund.audit.services import audit_log

from .models import ApiToken, User
from .selectors import get_or_404

NAME_MAX_LENGTH = 60
DEFAULT_NAME = "未命名客户端"
# How stale `last_used_at` may get before a request writes it again: a busy client costs no write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRefused(Exception):
    """The key names no usable token; `message` says why, in Chinese, for the 401 answer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def key_hash(key: str) -> str:
    # A plain digest suffices: the keys are 240 random bits, so there is nothing to guess from a digest.
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_name_clean(name: str, *, user_agent: str = "") -> str:
    """The name a user gave, or else what the client calls itself, so an unnamed token can still be told
    apart in the list; control characters never reach the page."""
    name = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    if not name:
        name = "".join(ch for ch in (user_agent or "") if ch.isprintable()).strip()
    return (name or DEFAULT_NAME)[:NAME_MAX_LENGTH]


def api_token_issue(*, user: User, name: str, ip: str | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` named `name`; returns the row and the key, which is never stored.

    The user's other tokens stay valid. Beyond FUND_API_TOKENS_PER_USER active tokens, the least recently
    used are revoked (and audited), so a script that signs in on every run cannot pile up live keys.
    """
    key = secrets.token_urlsafe(30)
    now = timezone.now()
    with transaction.atomic():
        # Two sign-ins of one user take turns, so both count the tokens the other has just issued.
        User.objects.select_for_update().filter(pk=user.pk).first()
        token = ApiToken.objects.create(
            user=user, name=name[:NAME_MAX_LENGTH], key_hash=key_hash(key), prefix=key[:6], created_at=now, created_ip=ip,
            expires_at=now + timedelta(hours=settings.FUND_API_TOKEN_HOURS),
        )
        audit_log(actor=user, action="people.api_token.issued", target=token,
                  new={"name": token.name, "expires_at": token.expires_at})
        keep = max(settings.FUND_API_TOKENS_PER_USER, 1)
        oldest = (api_tokens_for_user(user).exclude(pk=token.pk)
                  .order_by(Coalesce("last_used_at", "created_at").asc(), "id"))
        surplus = list(oldest[: max(oldest.count() - (keep - 1), 0)])
        for old in surplus:
            if ApiToken.objects.filter(pk=old.pk, revoked_at__isnull=True).update(revoked_at=now):
                audit_log(actor=user, action="people.api_token.evicted", target=old,
                          new={"name": old.name, "limit": keep})
    return token, key


def api_token_revoke(*, actor: Any, token: ApiToken) -> bool:
    """Revoke `token` (compare-and-set: a second revoke changes nothing and answers False)."""
    with transaction.atomic():
        done = bool(ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))
        if done:
            audit_log(actor=actor, action="people.api_token.revoked", target=token, new={"name": token.name})
    return done


def api_token_authenticate(key: str) -> ApiToken:
    """The active token with this key, its use recorded; TokenRefused if there is none."""
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None:
        raise TokenRefused("令牌无效或已撤销，请重新登录")
    if token.expires_at <= now:
        raise TokenRefused("登录已过期，请重新登录")
    if not token.user.is_active:
        raise TokenRefused("账号已停用")
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_for_user(user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens that still sign in (neither revoked nor expired), newest first."""
    return (ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at", "-id"))


def api_token_get_for_user(*, user: Any, pk: Any) -> ApiToken:
    """One of the user's own active tokens; anyone else's (or none) is a 404."""
    return get_or_404(api_tokens_for_user(user), pk=pk)

