"""放款 pages: the staff disbursement list (待出通知 / 待财务放款 / 轮候 / 付款中 / 已放款, the queue's order and the
fund's liquidity), the notice and release buttons, the IOU's delivery. (The member's loans in the hall are loans.views.loan.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from fund.people.models import Post
from fund.portals.decorators import portal_required
from fund.views import attempt

from ..models import IouDelivery
from ..selectors.applications import application_get_for_user
from ..selectors.loans import loan_get_for_user
from ..services.disbursement import (
    awaiting_notice_for_user,
    disbursement_get_for_user,
    disbursement_notice,
    disbursement_release,
    disbursements_for_user,
    iou_deliver,
    liquidity,
    queue_for_user,
)

TABS = (("notice", "待出通知"), ("noticed", "待财务放款"), ("queued", "轮候"), ("paying", "付款中"), ("paid", "已放款"))


def _tab_rows(user: Any, tab: str) -> Any:
    if tab == "notice":
        return awaiting_notice_for_user(user)
    if tab == "queued":
        return queue_for_user(user)
    rows = disbursements_for_user(user).filter(state=tab)
    return rows.order_by("-paid_at", "-id") if tab == "paid" else rows.order_by("approved_at", "id")


@portal_required("staff")
def staff_disbursements(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "notice")
    if tab not in dict(TABS):
        tab = "notice"
    tabs = [{"key": key, "label": label, "count": _tab_rows(request.user, key).count(), "active": key == tab}
            for key, label in TABS]
    rows = list(_tab_rows(request.user, tab)[:200])
    roles = request.roles
    return render(request, "loans/staff/disbursements.html", {
        "tabs": tabs, "tab": tab, "rows": rows, "money": liquidity(),
        "may_notice": roles.has_post(Post.LOAN_ADMIN), "may_release": roles.has_post(Post.FINANCE),
        "deliveries": IouDelivery.choices,
    })


def _back(tab: str) -> HttpResponse:
    return redirect(f"{reverse('staff:loan-disbursements')}?tab={tab}")


@require_POST
@portal_required("staff")
def staff_disbursement_notice(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(user=request.user, pk=pk)
    attempt(request, lambda: disbursement_notice(actor=request.user, application=application),
            f"已出具放款通知（{application.number}），请财务审核放款")
    return _back("noticed")


@require_POST
@portal_required("staff")
def staff_disbursement_release(request: HttpRequest, pk: int) -> HttpResponse:
    disbursement = disbursement_get_for_user(user=request.user, pk=pk)
    done = attempt(request, lambda: disbursement_release(actor=request.user, disbursement=disbursement),
                   f"放款 {disbursement.number} 已放行")
    if done:
        disbursement.refresh_from_db()
        return _back(disbursement.state)
    return _back("noticed")


@require_POST
@portal_required("staff")
def staff_iou_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    attempt(request, lambda: iou_deliver(actor=request.user, loan=loan, how=request.POST.get("how", ""),
                                         recipient=request.POST.get("recipient", ""),
                                         tracking=request.POST.get("tracking", "")),
            f"已登记借据 {loan.iou_number} 的交付")
    return _back("paid")


staff_patterns = [
    path("loans/disbursements/", staff_disbursements, name="loan-disbursements"),
    path("loans/applications/<int:pk>/disbursement-notice/", staff_disbursement_notice,
         name="loan-disbursement-notice"),
    path("loans/disbursements/<int:pk>/release/", staff_disbursement_release, name="loan-disbursement-release"),
    path("loans/<int:pk>/iou-delivery/", staff_iou_delivery, name="loan-iou-delivery"),
]
