"""Page: 风险预警 — the credit-bureau notices given (征信不良信息告知) and the month's 贷后停缴 list, with the unit's
way onto the blacklist (the existing add form, prefilled). The due-date reminders are the loans' close step's."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fund.close.selectors import close_may_view
from fund.filters import page_filtered
from fund.policy.selectors import policy_value
from fund.portals.decorators import portal_required

from ..filters_rates import CreditNoticeFilter, StoppedFilter
from ..models import Category, StopKind, SubjectKind
from ..selectors import blacklist_can_manage
from ..selectors.warnings import (
    credit_notices_for_user,
    stopped_deposits_for_user,
    stopped_scan_last_month,
    stopped_scan_months,
)


def blacklist_prefill_url(row: Any) -> str:
    """The blacklist's add form, prefilled for the unit that stopped remitting after `row`'s loan."""
    employer = row.employer
    reason = (f"职工{row.borrower.name}（贷款合同号{row.loan.contract_number}）办理住房公积金贷款后，"
              f"单位自{row.last_month:%Y年%m月}后停缴其住房公积金，经{row.month:%Y年%m月}贷后排查发现。"
              if row.last_month else
              f"职工{row.borrower.name}（贷款合同号{row.loan.contract_number}）办理住房公积金贷款后单位未为其缴存。")
    query = {"subject_kind": SubjectKind.UNIT, "name": employer.name, "credit_code": employer.credit_code,
             "category": Category.STOPPED_AFTER_LOAN, "reason": reason}
    return f"{reverse('staff:risk-blacklist-add')}?{urlencode(query)}"


@portal_required("staff")
def staff_warnings(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    last = stopped_scan_last_month()
    data = request.GET.copy()
    if not data.get("month") and last:
        data["month"] = f"{last:%Y-%m}"
    stop_filters, stopped = page_filtered(request, StoppedFilter, stopped_deposits_for_user(request.user), data=data)
    notice_filters, notices = page_filtered(request, CreditNoticeFilter, credit_notices_for_user(request.user))
    can_list = blacklist_can_manage(request.user)
    stopped_rows = list(stopped[:200])
    for row in stopped_rows:
        row.blacklist_url = blacklist_prefill_url(row) if can_list and row.kind == StopKind.UNIT else ""
    return render(request, "risk/staff/warnings.html", {
        "notices": Paginator(notices, 20).get_page(request.GET.get("page")), "notice_form": notice_filters.form,
        "stopped": stopped_rows, "stop_form": stop_filters.form, "months": stopped_scan_months(), "last_month": last,
        "notice_days": policy_value("risk_credit_notice_days", today),
        "stop_months": policy_value("risk_stopped_deposit_months", today),
        "reminder_days": policy_value("loan_reminder_days", today),
        "close_visible": close_may_view(request.user),
    })
