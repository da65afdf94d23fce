"""The public address printed on documents (verification URL and QR code).

FUND_PUBLIC_BASE_URL when it is set; otherwise the address the request that asked for the document came in
on. The PDF is rendered later in a Celery task, where there is no request, so the address is captured when
the document is requested (this module's middleware keeps it for the request) and stored on the document.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

# scheme://host[:port] of the request being served, or None outside a request (a task, a command).
request_base_url: ContextVar[str | None] = ContextVar("request_base_url", default=None)


def public_base_url() -> str:
    """Where documents issued now point to: the setting, else this request's address, else "" (unknown)."""
    configured = (settings.FUND_PUBLIC_BASE_URL or "").strip().rstrip("/")
    return configured or (request_base_url.get() or "")


class PublicAddressMiddleware:
    """Keeps the request's own address (host checked against ALLOWED_HOSTS) for documents it asks for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            base: str | None = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            base = None  # CommonMiddleware answers 400 to such a request before any view runs
        token = request_base_url.set(base)
        try:
            return self.get_response(request)
        finally:
            request_base_url.reset(token)
