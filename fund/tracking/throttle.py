"""The public lookup's limit per client address: a number and four characters are a small space to guess in,
so each address may ask only so often (`FUND_TRACKING_LOOKUP_RATE`, default 10 a minute). The page and the
API count together, in the default cache.

The address is the connection's own (REMOTE_ADDR), as sign-in throttling reads it: a client-supplied
X-Forwarded-For would let a guesser pick a fresh address for every try."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from fund.people.auth import client_ip

THROTTLED_MESSAGE = "查询过于频繁，请稍后再试"


class LookupThrottle(SimpleRateThrottle):
    scope = "tracking_lookup"

    def get_rate(self) -> str:
        return str(getattr(settings, "FUND_TRACKING_LOOKUP_RATE", "10/min"))

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


def lookup_allowed(request: Any) -> tuple[bool, int]:
    """(whether this address may look up once more now — counting the try, the seconds to wait if not)."""
    throttle = LookupThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]  # a page, not a DRF view
        return True, 0
    return False, max(1, int(throttle.wait() or 1))
