"""Remittance tasks: match the bank's incoming transfers to confirmed bills (来账自动匹配)."""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from ..services.remittance import incoming_transfers_match


@shared_task(name="deposits.match_incoming_transfers", ignore_result=True, acks_late=True)
def match_incoming_transfers(start: str | None = None, end: str | None = None) -> dict[str, list[str]]:
    """Post every confirmed bill paid by transfer between `start` and `end` (ISO dates; default the last
    7 days). Running it again posts nothing new; transfers it cannot match wait for staff (待人工匹配)."""
    end_day = date.fromisoformat(end) if end else timezone.localdate()
    start_day = date.fromisoformat(start) if start else end_day - timedelta(days=7)
    report = incoming_transfers_match(start=start_day, end=end_day)
    return {"posted": report.posted, "unmatched": [t.bank_serial for t in report.unmatched]}
