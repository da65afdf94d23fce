"""Sign-in: user name or resident ID number, with throttling per account and per address."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from fund.validation import CONTROL

from .models import ApiToken, LoginAttempt, User


class LoginThrottled(Exception):
    pass


def login_is_throttled(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - settings.FUND_LOGIN_WINDOW
    failures = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    limit = settings.FUND_LOGIN_MAX_FAILURES
    if failures.filter(username=username.upper()).count() >= limit:
        return True
    # An address may try several accounts, but not endlessly.
    return bool(ip) and failures.filter(ip=ip).count() >= limit * 4


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


class ThrottledBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or not password:
            return None
        ip = client_ip(request)
        # No account name holds a control character; the attempt is still counted against the address, under
        # the name with them made visible, so a line break cannot forge a line in the sign-in record.
        # Capitals can be longer than the name typed (ß → SS): the record keeps the column's 150.
        key = CONTROL.sub("?", username.strip().upper())[:150]
        if CONTROL.search(username):
            LoginAttempt.objects.create(username=key, ip=ip, succeeded=False)
            return None
        if login_is_throttled(username=key, ip=ip):
            if request is not None:
                # Read by LoginForm and the token API to tell the user why: a backend can only answer None.
                request.login_throttled = True  # type: ignore[attr-defined]
            LoginAttempt.objects.create(username=key, ip=ip, succeeded=False)
            return None
        user = super().authenticate(request, username=username.strip(), password=password, **kwargs)
        LoginAttempt.objects.create(username=key, ip=ip, succeeded=user is not None)
        return user


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with a key from `POST /api/auth/token/` (fund.people.tokens).

    A wrong, revoked or expired key answers 401 with a `WWW-Authenticate: Token` challenge: this class comes
    first in DEFAULT_AUTHENTICATION_CLASSES because DRF takes the challenge from the first class, and
    session authentication has none (DRF then turns every 401 into a 403).
    """

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        from .tokens import TokenRefused, api_token_authenticate

        try:
            token = api_token_authenticate(key)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(exc.message) from exc
        return token.user, token


# What auditors may read in the admin: the business records, never credentials or sessions.
AUDITOR_APPS = frozenset({
    "people", "audit", "ledger", "policy", "integrations", "printing", "catalogue", "workflow",
    "deposits", "withdrawals", "loans", "risk", "django_celery_beat",
})
AUDITOR_EXCLUDED_MODELS = frozenset({"people.onetimecode", "people.apitoken"})


class AuditorReadOnlyBackend:
    """Auditors (稽核) may view the business records in the admin and change none: one rule, every app.

    An allow-list of apps, so sessions stay out of reach; and within it, API tokens and one-time codes.
    """

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        return None

    def _is_auditor(self, user: Any) -> bool:
        from .roles import roles_of

        return bool(user.is_active and user.is_authenticated and roles_of(user).is_auditor)

    def has_perm(self, user: Any, perm: str, obj: Any = None) -> bool:
        app_label, _, codename = perm.partition(".")
        if obj is not None or not codename.startswith("view_") or app_label not in AUDITOR_APPS:
            return False
        if f"{app_label}.{codename.removeprefix('view_')}" in AUDITOR_EXCLUDED_MODELS:
            return False
        return self._is_auditor(user)

    def has_module_perms(self, user: Any, app_label: str) -> bool:
        return app_label in AUDITOR_APPS and self._is_auditor(user)
