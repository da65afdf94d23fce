"""Daily: the monthly bank debit (代扣) of voluntary depositors' deposits."""

from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from ..services.voluntary import voluntary_debit_daily, voluntary_debit_month


@shared_task(name="deposits.voluntary_debit", ignore_result=True, acks_late=True)
def voluntary_debit(month_iso: str | None = None) -> dict[str, Any]:
    """Debit and post voluntary depositors' month `month_iso` ("2025-03" or "2025-03-01"; default this month).

    Without a month it is the daily scheduled run: only special units whose pay day has come are debited, and
    accounts whose debit failed are tried again on each later day up to the month's last; last month's
    collections the bank settled late are posted (never debited again). With a month (a manual run, e.g. for a past
    month) every due account is tried at once. Running it again never debits a paid month twice.
    """
    if month_iso:
        month = date.fromisoformat(month_iso if len(month_iso) > 7 else f"{month_iso}-01")
        return voluntary_debit_month(month=month).as_dict()
    return voluntary_debit_daily(on=timezone.localdate())
