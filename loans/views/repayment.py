"""Repaying a loan now: the member's 立即还款 in the personal hall and staff's 柜台还款; the 每笔还款明细 statement with
its Excel export; the 自愿扣划 agreements (sign, end, list). The loan is always fetched through
`loan_get_for_user`, so a loan that is not the user's (or their branch's) is a 404.

URL names (member: and staff: portals): loan-repay, loan-statement, loan-statement-xlsx, loan-agreements,
loan-agreement-end, loan-card (变更还款账号).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from deposits.models import MemberAccount
from fund.audit.masking import mask_bank_card
from fund.exports import export_name, xlsx_response
from fund.portals.decorators import accept_post_required, accept_writes_required, portal_required
from fund.views import attempt, form_submit

from ..allocation import ORDER
from ..models import Loan, LoanStatus, RepaymentAgreement
from ..selectors.loans import loan_get_for_user, loan_get_for_viewer, loans_for_user
from ..services.fund_deduction import agreement_accounts, agreement_end, agreement_sign, agreements_of
from ..services.repayment import SOURCES, borrower_account, due_now, fund_available, owing_now, repay_now
from ..services.repayment_card import CHANGEABLE, repayment_card_change
from ..services.statement import statement_rows, statement_totals, statement_workbook


class RepayForm(forms.Form):
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    amount = forms.CharField(label="还款金额（元）", max_length=20)
    source = forms.ChoiceField(label="资金来源", choices=list(SOURCES.items()), widget=forms.RadioSelect, initial="card")

    def __init__(self, *args: Any, staff: bool, accounts: list[MemberAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["account"] = forms.ChoiceField(
                label="扣划公积金账户", required=False,
                choices=[("", "借款人本人账户")] + [(str(a.pk), _account_label(a)) for a in accounts],
                help_text="共同借款人的账户须已签订自愿扣划协议")
            self.fields["card"] = forms.CharField(label="扣款银行卡号", required=False, max_length=40,
                                                  help_text="不填则从合同约定的还款账号扣款")


class CardForm(forms.Form):
    repayment_card = forms.CharField(label="新还款账号", max_length=23,
                                     help_text="借款人本人银行卡；银行核验户名与证件号码后，此后每期从该卡扣款",
                                     error_messages={"required": "请填写新还款账号"})


class AgreementForm(forms.Form):
    account = forms.ChoiceField(label="公积金账户")
    consent = forms.BooleanField(label="账户持有人本人已书面同意自愿扣划", required=False)

    def __init__(self, *args: Any, staff: bool, accounts: list[MemberAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(str(a.pk), _account_label(a)) for a in accounts]
        if not staff:
            del self.fields["consent"]


def _account_label(account: MemberAccount) -> str:
    return f"{account.number} {account.person.name}（{account.get_state_display()}）"


def _portal(request: HttpRequest) -> str:
    return "staff" if request.roles.is_staff else "member"  # type: ignore[attr-defined]


def _loan_url(request: HttpRequest, loan: Loan) -> str:
    return reverse("staff:loan", args=[loan.pk]) if _portal(request) == "staff" else reverse("member:loan-loans")


def _account_of(accounts: list[MemberAccount], raw: str) -> MemberAccount | None:
    return next((a for a in accounts if str(a.pk) == raw), None)


def _repay(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    portal = _portal(request)
    staff = portal == "staff"
    today = timezone.localdate()
    accounts = agreement_accounts(loan) if staff else []
    active = loan.status == LoanStatus.ACTIVE
    initial = {"client_token": uuid.uuid4().hex, "amount": f"{due_now(loan, today):.2f}" if active else ""}
    form = RepayForm(request.POST or None, initial=initial, staff=staff, accounts=accounts)

    def run(data: dict[str, Any]) -> Any:
        return repay_now(actor=request.user, loan=loan, amount=data["amount"], source=data["source"],
                         client_token=data["client_token"], account=_account_of(accounts, data.get("account") or ""),
                         card=data.get("card") or None, on=today)

    done = form_submit(request, form, run, done=lambda r: f"还款成功：{r.number}，金额 {r.amount} 元",
                       then=lambda r: redirect(reverse(f"{portal}:loan-statement", args=[loan.pk])))
    if done is not None:
        return done
    own = borrower_account(loan)
    return render(request, "loans/repay.html", {"base": f"{portal}/base.html", "portal": portal,
        "loan": loan, "form": form, "owing": owing_now(loan, today) if active else [], "active": active,
        "own_account": own, "own_available": fund_available(own) if own else None, "order": ORDER,
        "back": _loan_url(request, loan), "today": today,
        "may_repay": active and (not staff or request.roles.can_accept),  # type: ignore[attr-defined]
    })


def _statement(request: HttpRequest, pk: int, *, xlsx: bool = False) -> HttpResponse:
    loan = loan_get_for_viewer(user=request.user, pk=pk)  # co-borrowers read it too: they answer for the loan
    rows = statement_rows(loan)
    totals = statement_totals(rows)
    if xlsx:
        content = statement_workbook(loan=loan, rows=rows.iterator(), totals=totals)
        return xlsx_response(content, export_name(f"还款明细-{loan.contract_number}"))
    portal = _portal(request)
    return render(request, "loans/statement.html", {"base": f"{portal}/base.html", "portal": portal,
        "loan": loan, "rows": rows, "totals": totals, "back": _loan_url(request, loan),
        "may_repay": loan.status == LoanStatus.ACTIVE and (
            loan.borrower_id == getattr(request.user, "person_id", None) if portal == "member"
            else request.roles.can_accept),  # type: ignore[attr-defined]
    })


def _card(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    portal = _portal(request)
    form = CardForm(request.POST or None)
    done = form_submit(
        request, form, lambda data: repayment_card_change(actor=request.user, loan=loan, card=data["repayment_card"]),
        done=lambda changed: f"还款账号已变更为 {mask_bank_card(changed.repayment_card)}",
        then=lambda changed: redirect(_loan_url(request, changed)))
    if done is not None:
        return done
    may_change = loan.status in CHANGEABLE and (
        portal == "member" or request.roles.can_accept)  # type: ignore[attr-defined]
    return render(request, "loans/repayment_card.html", {"base": f"{portal}/base.html", "portal": portal,
        "loan": loan, "form": form, "card": mask_bank_card(loan.repayment_card), "may_change": may_change,
        "back": _loan_url(request, loan),
    })


def _agreements(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_user(user=request.user, pk=pk)
    portal = _portal(request)
    staff = portal == "staff"
    accounts = agreement_accounts(loan)
    if not staff:
        accounts = [a for a in accounts if a.person_id == request.user.person_id]  # type: ignore[attr-defined]
    form = AgreementForm(request.POST or None, staff=staff, accounts=accounts)
    done = form_submit(
        request, form,
        lambda data: agreement_sign(actor=request.user, loan=loan, account=_account_of(accounts, data["account"]),
                                    consent=bool(data.get("consent"))),
        done=lambda a: f"已签订自愿扣划协议：账户 {a.account.number}，扣划顺序 {a.position}",
        then=lambda a: redirect(reverse(f"{portal}:loan-agreements", args=[loan.pk])))
    if done is not None:
        return done
    may_sign = loan.status == LoanStatus.ACTIVE and (not staff or request.roles.can_accept)  # type: ignore[attr-defined]
    return render(request, "loans/agreements.html", {"base": f"{portal}/base.html", "portal": portal,
        "loan": loan, "form": form, "agreements": agreements_of(loan), "may_sign": may_sign and bool(accounts),
        "back": _loan_url(request, loan),
    })


def _agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = (RepaymentAgreement.objects.filter(loan__in=loans_for_user(request.user))
                 .select_related("account__person", "loan").filter(pk=pk).first())
    if agreement is None:
        raise Http404("未找到，或您无权访问")
    attempt(request, lambda: agreement_end(actor=request.user, agreement=agreement),
            f"已终止账户 {agreement.account.number} 的自愿扣划协议")
    return redirect(reverse(f"{_portal(request)}:loan-agreements", args=[agreement.loan_id]))


@portal_required("member")
def member_repay(request: HttpRequest, pk: int) -> HttpResponse:
    return _repay(request, pk)


@portal_required("staff")
@accept_writes_required
def staff_repay(request: HttpRequest, pk: int) -> HttpResponse:
    return _repay(request, pk)


@portal_required("member")
def member_statement(request: HttpRequest, pk: int) -> HttpResponse:
    return _statement(request, pk)


@portal_required("staff")
def staff_statement(request: HttpRequest, pk: int) -> HttpResponse:
    return _statement(request, pk)


@portal_required("member")
def member_statement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _statement(request, pk, xlsx=True)


@portal_required("staff")
def staff_statement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _statement(request, pk, xlsx=True)


@portal_required("member")
def member_agreements(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreements(request, pk)


@portal_required("staff")
@accept_writes_required
def staff_agreements(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreements(request, pk)


@portal_required("member")
def member_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, pk)


@portal_required("staff")
@accept_writes_required
def staff_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, pk)


@require_POST
@portal_required("member")
def member_agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_end(request, pk)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_end(request, pk)


def _patterns(repay: Any, statement: Any, xlsx: Any, agreements: Any, end: Any, card: Any) -> list[Any]:
    return [
        path("loans/<int:pk>/card/", card, name="loan-card"),
        path("loans/<int:pk>/repay/", repay, name="loan-repay"),
        path("loans/<int:pk>/statement/", statement, name="loan-statement"),
        path("loans/<int:pk>/statement.xlsx", xlsx, name="loan-statement-xlsx"),
        path("loans/<int:pk>/agreements/", agreements, name="loan-agreements"),
        path("loans/agreements/<int:pk>/end/", end, name="loan-agreement-end"),
    ]


member_patterns = _patterns(member_repay, member_statement, member_statement_xlsx, member_agreements,
                            member_agreement_end, member_card)
staff_patterns = _patterns(staff_repay, staff_statement, staff_statement_xlsx, staff_agreements, staff_agreement_end,
                           staff_card)
