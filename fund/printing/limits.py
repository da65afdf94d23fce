"""How many new documents one user, and one person, may have printed in an hour and in a day.

Every request for a document goes through `fund.printing.services.document_request`, which calls
`print_limit_check` under the requester's and the subject's locks, in the transaction that adds the
document; a request answered with an identical document already printed today (reuse) renders nothing and
counts for nothing. The limits are settings (`FUND_PRINT_PER_USER_HOUR` …); 0 turns one off.

Over a limit the request is refused with `PrintLimitReached`: a ValidationError, so pages show its Chinese
message as they show any refusal, and the API answers 429 with a Retry-After header (fund.api).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from .models import Document


class PrintLimitReached(ValidationError):
    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, code="print_limit")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Window:
    """One limit: at most `limit` documents since `start` (the last hour, or since midnight)."""

    name: str
    limit: int
    start: datetime
    rolling: bool


def _windows(now: datetime, hourly: int, daily: int) -> list[Window]:
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return [Window("一小时内", hourly, now - timedelta(hours=1), True), Window("今天", daily, midnight, False)]


def _wait(window: Window, documents: Any, printed: int, now: datetime) -> tuple[int, str]:
    """Seconds until one more may be printed, and how to say it."""
    if window.rolling:
        # A slot frees when the document that filled the window passes its hour.
        pivot = (documents.filter(created_at__gte=window.start).order_by("created_at")
                 .values_list("created_at", flat=True)[printed - window.limit])
        seconds = max(60, int((pivot + timedelta(hours=1) - now).total_seconds()))
        return seconds, f"请 {(seconds + 59) // 60} 分钟后再试"
    tomorrow = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return max(60, int((tomorrow - now).total_seconds())), "请明天再试"


def print_locks(*, user: Any, subject: Any) -> None:
    """Serialise requests by the same user and about the same person until the caller's transaction ends,
    so two at once cannot both pass a limit nor both miss an identical document (always user, then
    subject: one order, no deadlock)."""
    keys = [f"printing:user:{getattr(user, 'pk', None)}"]
    if subject is not None:
        keys.append(f"printing:subject:{subject.pk}")
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def print_limit_check(*, user: Any, subject: Any, now: datetime | None = None) -> None:
    """Refuse (PrintLimitReached) a new document when the user, or the person it is about, already had as
    many printed in the last hour or today as the settings allow."""
    now = now or timezone.now()
    checks: list[tuple[str, Any, list[Window]]] = [(
        "您", Document.objects.filter(requested_by=user),
        _windows(now, settings.FUND_PRINT_PER_USER_HOUR, settings.FUND_PRINT_PER_USER_DAY),
    )]
    if subject is not None:
        checks.append((
            "该人员", Document.objects.filter(subject=subject),
            _windows(now, settings.FUND_PRINT_PER_SUBJECT_HOUR, settings.FUND_PRINT_PER_SUBJECT_DAY),
        ))
    for who, documents, windows in checks:
        for window in windows:
            if window.limit <= 0:
                continue
            printed = documents.filter(created_at__gte=window.start).count()
            if printed >= window.limit:
                seconds, later = _wait(window, documents, printed, now)
                raise PrintLimitReached(
                    f"打印过于频繁：{who}{window.name}已开具 {printed} 份文件，已达上限 {window.limit} 份，{later}",
                    retry_after=seconds,
                )
