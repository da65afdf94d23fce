"""Reading the call log."""

from django.db.models import QuerySet

from .models import IntegrationCall

MAX_CALLS = 500


def integration_calls_recent(
    *,
    system: str | None = None,
    operation: str | None = None,
    reference: str | None = None,
    ok: bool | None = None,
    limit: int = 100,
) -> QuerySet[IntegrationCall]:
    """The most recent calls, newest first, optionally narrowed; never more than `MAX_CALLS`."""
    calls = IntegrationCall.objects.order_by("-at", "-id")
    if system:
        calls = calls.filter(system=system)
    if operation:
        calls = calls.filter(operation=operation)
    if reference:
        calls = calls.filter(reference=reference.strip())
    if ok is not None:
        calls = calls.filter(ok=ok)
    return calls[: max(1, min(limit, MAX_CALLS))]
