"""个人网厅 · 提取: my withdrawals and the reasons I can apply for online, the application form, a
withdrawal's progress (polled while the system decides and the bank pays), and 逐月提取.

Pages call the services; every fetch goes through the selectors (someone else's withdrawal is a 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from deposits.selectors import member_accounts_for_user
from fund.integrations.base import IntegrationError
from fund.people.selectors import scoped
from fund.portals.decorators import portal_required
from fund.printing.models import Document
from fund.views import apply_errors, attempt, form_submit

from ..forms import StandingEndForm, StandingSignForm, WithdrawalApplyForm
from ..loans import household_loans
from ..models import IN_FLIGHT, Channel, StandingState, WithdrawalState
from ..pdf import RECEIPT, receipt_request
from ..reasons import REASONS
from ..selectors import (
    standing_instruction_get_for_user,
    standing_instructions_for_user,
    withdrawal_get_for_user,
    withdrawals_for_user,
)
from ..services import standing_end, standing_sign, withdrawal_cancel, withdrawal_submit
from ..status import withdrawal_progress, withdrawal_status

# While the system is deciding or the bank is paying, the detail page asks again every few seconds.
POLLING = (WithdrawalState.SUBMITTED, WithdrawalState.APPROVED)


def own_account(user: Any) -> Any:
    """The member's own account (the newest when there are several); None when there is none."""
    accounts = scoped(member_accounts_for_user(user), user, person="person")
    return accounts.select_related("sub_account", "unit__employer").order_by("-opened_on", "-id").first()


def own_withdrawals(user: Any) -> Any:
    return withdrawals_for_user(user).filter(account__person_id=user.person_id)


def own_withdrawal(request: HttpRequest, pk: int) -> Any:
    withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
    if withdrawal.account.person_id != request.user.person_id:  # staff who are also members: their own only here
        raise Http404("未找到，或您无权访问")
    return withdrawal


def guide_url(reason: Any) -> str:
    return reverse("guide:item", args=[reason.item.code])


def latest_checks(withdrawal: Any) -> list[Any]:
    checks = list(withdrawal.checks.all())
    last = max((c.round for c in checks), default=0)
    return [c for c in checks if c.round == last]


def receipts_of(withdrawal: Any, kind: str = RECEIPT) -> Any:
    return Document.objects.filter(kind=kind, subject=withdrawal.account.person,
                                   context__number=withdrawal.number).order_by("-id")


def _reason_cards() -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"reason": r, "guide": guide_url(r), "frequency": r.frequency_on(today)} for r in REASONS.values()]


@portal_required("member")
def member_withdrawals(request: HttpRequest) -> HttpResponse:
    account = own_account(request.user)
    withdrawals = list(own_withdrawals(request.user)[:50])
    for w in withdrawals:
        w.reason_label = REASONS[w.reason].label
    current = next((w for w in withdrawals if w.state in IN_FLIGHT), None)
    cards = _reason_cards()
    return render(request, "withdrawals/member/list.html", {
        "account": account, "withdrawals": withdrawals, "current": current,
        "steps": withdrawal_progress(current) if current else [],
        "current_status": withdrawal_status(current) if current else None,
        "online": [c for c in cards if c["reason"].online], "window": [c for c in cards if not c["reason"].online],
        "standing": standing_instructions_for_user(request.user).filter(
            account__person_id=request.user.person_id, state=StandingState.ACTIVE).first(),
    })


@portal_required("member")
def member_apply(request: HttpRequest, reason_key: str) -> HttpResponse:
    reason = REASONS.get(reason_key)
    if reason is None:
        raise Http404("没有这个提取原因")
    account = own_account(request.user)
    if account is None:
        raise Http404("您尚无公积金账户")
    loans = None
    if any(spec.name == "loan" for spec in reason.inputs):
        try:
            loans = household_loans(account.person.id_number)
        except IntegrationError:
            loans = None  # the credit bureau is down: the rule looks the loan up later
    form = WithdrawalApplyForm(request.POST or None, reason=reason, account=account, loans=loans)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal = withdrawal_submit(actor=request.user, account=account, channel=Channel.ONLINE,
                                           **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            # The decision may already have run (and paid): say only what was done; the page shows the state.
            messages.success(request, f"提取申请 {withdrawal.number} 已提交。")
            return redirect("member:withdrawal", pk=withdrawal.pk)
    return render(request, "withdrawals/member/apply.html", {
        "reason": reason, "account": account, "form": form, "guide": guide_url(reason),
        "terms": reason.terms(account, timezone.localdate()), "frequency": reason.frequency_on(timezone.localdate()),
        "current": own_withdrawals(request.user).filter(state__in=IN_FLIGHT).first(),
    })


def _detail_context(request: HttpRequest, withdrawal: Any) -> dict[str, Any]:
    return {
        "w": withdrawal, "reason": REASONS[withdrawal.reason], "steps": withdrawal_progress(withdrawal),
        "st": withdrawal_status(withdrawal),
        "checks": latest_checks(withdrawal), "polling": withdrawal.state in POLLING,
        "receipts": receipts_of(withdrawal)[:5],
        "may_cancel": withdrawal.state in (WithdrawalState.SUBMITTED, WithdrawalState.REVIEW),
    }


@portal_required("member")
def member_withdrawal(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = own_withdrawal(request, pk)
    return render(request, "withdrawals/member/detail.html", _detail_context(request, withdrawal))


@portal_required("member")
def member_withdrawal_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, for htmx to swap in while the page polls."""
    withdrawal = own_withdrawal(request, pk)
    return render(request, "withdrawals/member/_status.html", _detail_context(request, withdrawal))


@require_POST
@portal_required("member")
def member_withdrawal_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = own_withdrawal(request, pk)
    attempt(request, lambda: withdrawal_cancel(actor=request.user, withdrawal=withdrawal, reason="申请人在个人网厅撤回"),
            f"提取申请 {withdrawal.number} 已撤回。")
    return redirect("member:withdrawal", pk=withdrawal.pk)


@require_POST
@portal_required("member")
def member_withdrawal_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = own_withdrawal(request, pk)
    attempt(request, lambda: receipt_request(withdrawal=withdrawal, requested_by=request.user),
            "提取凭证正在生成，稍后刷新本页即可下载。", level=messages.INFO)
    return redirect("member:withdrawal", pk=withdrawal.pk)


@portal_required("member")
def member_standing(request: HttpRequest) -> HttpResponse:
    account = own_account(request.user)
    if account is None:
        raise Http404("您尚无公积金账户")
    instructions = standing_instructions_for_user(request.user).filter(account__person_id=request.user.person_id)
    active = instructions.filter(state=StandingState.ACTIVE).first()
    loans: list[Any] = []
    loans_error = ""
    try:
        loans = household_loans(account.person.id_number)
    except IntegrationError:
        loans_error = "暂时无法查询征信报告中的住房贷款，请稍后再试。"
    form = StandingSignForm(request.POST or None, loans=loans)
    if response := form_submit(
        request, form,
        lambda data: standing_sign(actor=request.user, account=account, loan=data["loan"],
                                   payee_card=data["payee_card"], day=data["day"]),
        done=lambda instruction: f"逐月提取协议 {instruction.number} 已生效，每月 {instruction.day} 日起自动提取。",
        then="member:withdrawal_standing",
    ):
        return response
    return render(request, "withdrawals/member/standing.html", {
        "account": account, "active": active, "history": instructions.exclude(state=StandingState.ACTIVE)[:10],
        "loans": loans, "loans_error": loans_error, "form": form, "end_form": StandingEndForm(),
        "recent": own_withdrawals(request.user).filter(standing__isnull=False)[:6],
    })


@require_POST
@portal_required("member")
def member_standing_end(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = standing_instruction_get_for_user(user=request.user, pk=pk)
    if instruction.account.person_id != request.user.person_id:
        raise Http404("未找到，或您无权访问")
    form = StandingEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写终止原因")
        return redirect("member:withdrawal_standing")
    attempt(request, lambda: standing_end(actor=request.user, instruction=instruction, reason=form.cleaned_data["reason"]),
            f"逐月提取协议 {instruction.number} 已终止。")
    return redirect("member:withdrawal_standing")


member_patterns = [
    path("withdrawals/", member_withdrawals, name="withdrawals"),
    path("withdrawals/apply/<str:reason_key>/", member_apply, name="withdrawal_apply"),
    path("withdrawals/standing/", member_standing, name="withdrawal_standing"),
    path("withdrawals/standing/<int:pk>/end/", member_standing_end, name="withdrawal_standing_end"),
    path("withdrawals/<int:pk>/", member_withdrawal, name="withdrawal"),
    path("withdrawals/<int:pk>/status/", member_withdrawal_status, name="withdrawal_status"),
    path("withdrawals/<int:pk>/cancel/", member_withdrawal_cancel, name="withdrawal_cancel"),
    path("withdrawals/<int:pk>/receipt/", member_withdrawal_receipt, name="withdrawal_receipt"),
]
