"""综合窗口 · 贷款: the signing page (合同面签, and 签约并办理抵押 in the same sitting when the home can be pledged at
once, Liaoyuan's 三融合), the mortgage page (抵押/预抵押, 预抵押转抵押), and a loan's whole record (staff:loan).

Pages call the services; every fetch is scoped (another branch's loan is a 404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from fund.audit.actions import action_label, changes
from fund.audit.masking import mask_bank_card
from fund.audit.models import AuditEvent
from fund.people.models import EntrustedBank
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import apply_errors, attempt

from ..models import ApplicationState, Loan, RepaymentMethod
from ..selectors.applications import application_get_for_user
from ..selectors.loans import loan_get_for_user
from ..services.mortgage import is_off_plan, mortgage_convert, mortgage_register
from ..services.signing import loan_sign
from ..signing_pdf import schedule_summary
from .loan import loan_schedule_context


class SignForm(forms.Form):
    bank = forms.ModelChoiceField(label="受托银行", queryset=EntrustedBank.objects.filter(active=True),
                                  error_messages={"required": "请选择受托银行", "invalid_choice": "请选择合作中的受托银行"})
    repayment_day = forms.IntegerField(label="每月还款日", min_value=1, max_value=28, initial=20,
                                       help_text="1 至 28 日；首次还款为放款次月的这一天",
                                       error_messages={"required": "请填写每月还款日", "invalid": "每月还款日应为整数",
                                                       "min_value": "每月还款日应为 1 至 28 日",
                                                       "max_value": "每月还款日应为 1 至 28 日"})
    method = forms.ChoiceField(label="还款方式", choices=RepaymentMethod.choices)
    repayment_card = forms.CharField(label="还款账号", max_length=23,
                                     help_text="借款人本人银行卡，签订委托扣款协议；每期由受托银行从此卡扣款",
                                     error_messages={"required": "请填写还款账号（借款人本人银行卡）"})


@portal_required("staff")
@accept_post_required
def staff_sign(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(user=request.user, pk=pk)
    existing = Loan.objects.filter(application=application).first()
    if existing is not None:
        return redirect("staff:loan", pk=existing.pk)
    # The card the deposits line knows for the borrower, offered first; the bank confirms whichever is signed.
    form = SignForm(request.POST or None, initial={"method": application.method,
                                                  "repayment_card": application.account.bank_card})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            loan = loan_sign(actor=request.user, application=application, bank=data["bank"],
                             repayment_day=data["repayment_day"], repayment_card=data["repayment_card"],
                             method=data["method"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"借款合同 {loan.contract_number} 已签订，合同与借据正在生成。")
            if "and_mortgage" in request.POST:
                # 三融合: the registry at the same window, in the same sitting.
                attempt(request, lambda: mortgage_register(actor=request.user, loan=loan), "抵押登记已办结。")
            return redirect("staff:loan", pk=loan.pk)
    return render(request, "loans/staff/sign.html", {
        "a": application, "form": form, "signable": application.state == ApplicationState.APPROVED,
        "off_plan": is_off_plan(application),
        "co_borrowers": application.co_borrowers.select_related("person"),
    })


def _loan_context(loan: Loan) -> dict[str, Any]:
    s = schedule_summary(loan)
    events = AuditEvent.objects.filter(
        Q(target_type="loans.loan", target_id=str(loan.pk))
        | Q(target_type="loans.loanapplication", target_id=str(loan.application_id))
    ).select_related("actor").order_by("at", "id")
    history = [{"at": e.at, "actor": e.actor, "action": action_label(e.action), "changes": changes(e.old, e.new, e.action)}
               for e in events]
    return {
        "loan": loan, "a": loan.application, "summary": s, "plan": s["plan"][:12],
        "card": mask_bank_card(loan.repayment_card),
        "documents": [f.document for f in loan.documents.select_related("document").order_by("id")],
        "history": history, "off_plan": is_off_plan(loan.application),
    }


@portal_required("staff")
def staff_loan(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    schedule = loan_schedule_context(loan, request.user, superseded=request.GET.get("superseded") == "1")
    return render(request, "loans/staff/loan.html", {**_loan_context(loan), **schedule, "staff_view": True})


@portal_required("staff")
def staff_mortgage(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    return render(request, "loans/staff/mortgage.html", _loan_context(loan))


@require_POST
@portal_required("staff")
@accept_post_required
def staff_mortgage_register(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    attempt(request, lambda: mortgage_register(actor=request.user, loan=loan), "抵押登记已办结。")
    return redirect("staff:loan-mortgage", pk=loan.pk)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_mortgage_convert(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    attempt(request, lambda: mortgage_convert(actor=request.user, loan=loan), "预抵押已转为抵押登记。")
    return redirect("staff:loan-mortgage", pk=loan.pk)


staff_patterns = [
    path("loans/applications/<int:pk>/sign/", staff_sign, name="loan-sign"),
    path("loans/<int:pk>/", staff_loan, name="loan"),
    path("loans/<int:pk>/mortgage/", staff_mortgage, name="loan-mortgage"),
    path("loans/<int:pk>/mortgage/register/", staff_mortgage_register, name="loan-mortgage-register"),
    path("loans/<int:pk>/mortgage/convert/", staff_mortgage_convert, name="loan-mortgage-convert"),
]
