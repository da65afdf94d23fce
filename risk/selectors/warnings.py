"""Read helpers of the warnings (risk.services.warnings): the credit-bureau notices given and the 贷后停缴 lists.
Staff see their branch's (all when centre-wide); anyone else nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from fund.people.selectors import scoped, staff_scope

from ..models import CreditNotice, StoppedDeposit, StopScan


def credit_notices_for_user(user: Any) -> QuerySet[CreditNotice]:
    if not staff_scope(user)[0]:
        return CreditNotice.objects.none()
    return scoped(CreditNotice.objects.all(), user, branch="branch").select_related(
        "loan", "borrower", "branch").order_by("-noticed_on", "-id")


def stopped_deposits_for_user(user: Any) -> QuerySet[StoppedDeposit]:
    """The 贷后停缴 rows of every scanned month (pages show one month: StoppedFilter's `month`)."""
    if not staff_scope(user)[0]:
        return StoppedDeposit.objects.none()
    rows = scoped(StoppedDeposit.objects.all(), user, branch="branch")
    return rows.select_related("loan", "borrower", "branch", "employer", "account").order_by(
        "kind", "employer__name", "loan_id")


def stopped_scan_last_month() -> date | None:
    return StopScan.objects.order_by("-month").values_list("month", flat=True).first()


def stopped_scan_months() -> list[date]:
    return list(StopScan.objects.order_by("-month").values_list("month", flat=True)[:24])
