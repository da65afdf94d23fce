"""提前还款 and 结清证明 pages: the borrower in the personal hall, the 受理 post at the window. Amount, mode and the
money's source → 预览 (the new schedule, nothing written) → 确认; the form carries a token made when the page was
first shown, so a resubmitted confirmation neither collects nor posts twice."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from fund.money import format_money
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import apply_errors

from ..models import LoanStatus
from ..selectors.loans import loan_get_for_user
from ..services.payoff import payoff_certificate_request, payoff_certificates
from ..services.prepayment import FULL, MODES, SOURCES, prepay, prepayment_preview


class PrepayForm(forms.Form):
    mode = forms.ChoiceField(label="提前还款方式", choices=list(MODES.items()), widget=forms.RadioSelect, initial="term")
    amount = forms.CharField(label="还款金额（元）", required=False, max_length=20,
                             help_text="部分提前还款填写本次还款总额（今日到期的月供先还，其余归还本金）；提前结清不填")
    source = forms.ChoiceField(label="资金来源", choices=list(SOURCES.items()), widget=forms.RadioSelect,
                               initial="card")
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40)


def _page(request: HttpRequest, pk: int, *, portal: str) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    base = "member/base.html" if portal == "member" else "staff/base.html"
    back = "member:loan-loans" if portal == "member" else "staff:loan"
    preview = None
    if request.method == "POST":
        form = PrepayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            amount = None if data["mode"] == FULL else data["amount"]
            try:
                if "confirm" in request.POST:
                    repayment = prepay(actor=request.user, loan=loan, amount=amount, mode=data["mode"],
                                       source=data["source"], client_token=data["client_token"])
                    messages.success(request, f"提前还款已办理：还款 {format_money(repayment.amount)} 元，流水号 {repayment.number}")
                    return redirect(f"{portal}:loan-prepay-done", pk=loan.pk, number=repayment.number)
                preview = prepayment_preview(loan=loan, amount=amount, mode=data["mode"])
            except ValidationError as exc:
                apply_errors(form, exc)
    else:
        form = PrepayForm(initial={"client_token": uuid.uuid4().hex})
    return render(request, "loans/prepay.html", {
        "base": base, "portal": portal, "loan": loan, "form": form, "preview": preview,
        "back_url": _back_url(back, loan.pk), "active": loan.status == LoanStatus.ACTIVE,
    }, status=400 if form.errors else 200)


def _back_url(name: str, pk: int) -> str:
    return reverse(name) if name.startswith("member:") else reverse(name, args=[pk])


def _done(request: HttpRequest, pk: int, number: str, *, portal: str) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    repayment = loan.repayments.filter(number=number).first()
    if repayment is None:
        raise Http404
    base = "member/base.html" if portal == "member" else "staff/base.html"
    return render(request, "loans/prepay_done.html", {"base": base, "portal": portal, "loan": loan,
                                                       "repayment": repayment})


def _certificate(request: HttpRequest, pk: int, *, portal: str) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            payoff_certificate_request(loan=loan, requested_by=request.user)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.info(request, "结清证明正在生成，稍后刷新本页即可下载。")
            return redirect(f"{portal}:loan-payoff-certificate", pk=loan.pk)
    base = "member/base.html" if portal == "member" else "staff/base.html"
    return render(request, "loans/payoff_certificate.html", {
        "base": base, "portal": portal, "loan": loan, "documents": payoff_certificates(loan), "error": error,
        "closed": loan.status == LoanStatus.CLOSED,
    }, status=400 if error else 200)


@portal_required("member")
def member_prepay(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk, portal="member")


@portal_required("member")
def member_prepay_done(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    return _done(request, pk, number, portal="member")


@portal_required("member")
def member_payoff_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate(request, pk, portal="member")


@portal_required("staff")
@accept_post_required
def staff_prepay(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk, portal="staff")


@portal_required("staff")
def staff_prepay_done(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    return _done(request, pk, number, portal="staff")


@portal_required("staff")
def staff_payoff_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate(request, pk, portal="staff")


member_patterns = [
    path("loans/<int:pk>/prepay/", member_prepay, name="loan-prepay"),
    path("loans/<int:pk>/prepay/<str:number>/", member_prepay_done, name="loan-prepay-done"),
    path("loans/<int:pk>/payoff-certificate/", member_payoff_certificate, name="loan-payoff-certificate"),
]
staff_patterns = [
    path("loans/<int:pk>/prepay/", staff_prepay, name="loan-prepay"),
    path("loans/<int:pk>/prepay/<str:number>/", staff_prepay_done, name="loan-prepay-done"),
    path("loans/<int:pk>/payoff-certificate/", staff_payoff_certificate, name="loan-payoff-certificate"),
]

