"""合同面签: an approved application becomes a loan (the account on a 111 sub-account, 待放款), at a 受理 window.

The borrowers' credit reports are read first, outside any transaction (fund.integrations refuses to run inside
one); then, under the application's lock, the state is checked again, the numbers are taken, the sub-account
and the loan are created, the application moves 已审批待签约 → 已签约待抵押, and the contract, the IOU and the
credit reports are issued as documents kept with the loan — all in one commit, or nothing. Signing an
application that is already signed returns its loan (a double click, a retried API call), never a second one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import credit_bureau
from fund.integrations.base import IntegrationError
from fund.integrations.credit import CreditReport
from fund.ledger import chart
from fund.ledger.models import Account, SubAccount
from fund.numbers import number_format, sequence_next
from fund.people.models import EntrustedBank
from fund.people.roles import roles_of
from fund.people.selectors import scoped
from fund.workflow.moves import move_status

from ..models import ApplicationState, Loan, LoanApplication, RepaymentMethod
from ..states import APPLICATION_MOVES
from .repayment_card import repayment_card_clean, repayment_card_verify

BORROWER, CO_BORROWER = "借款人", "共同借款人"


def window_staff_check(*, actor: Any, application: LoanApplication, verb: str) -> Any:
    """The 受理 post of the application's branch (or a centre-wide one) does window business on a loan; anyone
    else is refused. Returns the actor's staff profile (whose branch is the window)."""
    roles = roles_of(actor)
    if not roles.can_accept:
        raise PermissionDenied(f"只有受理岗可以办理{verb}")
    if not scoped(LoanApplication.objects.filter(pk=application.pk), actor, branch="branch").exists():
        raise PermissionDenied(f"只能为本管理部的贷款办理{verb}")
    return roles.staff


def _repayment_day(value: Any, errors: dict[str, list[str]]) -> int | None:
    try:
        day = int(str(value).strip())
    except (TypeError, ValueError):
        day = 0
    if not 1 <= day <= 28:
        errors["repayment_day"] = ["每月还款日应为 1 至 28 日之间的整数"]
        return None
    return day


def borrowers_reports(application: LoanApplication) -> list[tuple[Any, str, CreditReport]]:
    """(person, role, report) of the borrower and each co-borrower, asked of the credit bureau now. Outside any
    transaction; an unavailable bureau is a clear refusal on the `credit` field (nothing is written)."""
    people = [(application.borrower, BORROWER)] + [
        (c.person, CO_BORROWER) for c in application.co_borrowers.select_related("person").order_by("id")
    ]
    out = []
    for person, role in people:
        try:
            out.append((person, role, credit_bureau().report(id_number=person.id_number)))
        except IntegrationError as exc:
            raise ValidationError({"credit": [f"查询{role}{person.name}的征信报告失败：{exc.message}，请稍后再试"]}) from exc
    return out


def loan_sign(
    *,
    actor: Any,
    application: LoanApplication,
    bank: EntrustedBank | None,
    repayment_day: Any,
    repayment_card: str,
    method: str | None = None,
) -> Loan:
    """Sign the loan contract of an APPROVED application; raise ValidationError (field → Chinese message).

    `repayment_card` is the borrower's own card for the 委托扣款 agreement signed with the contract: the nightly
    batch debit collects each instalment from it, and a card the bank does not confirm under the borrower's
    name and ID number is refused here, not on the first due day."""
    staff = window_staff_check(actor=actor, application=application, verb="合同面签")
    existing = Loan.objects.filter(application=application).first()
    if existing is not None:
        existing.replayed = True
        return existing
    errors: dict[str, list[str]] = {}
    if application.state != ApplicationState.APPROVED:
        errors["state"] = [f"贷款申请{application.get_state_display()}，只有已审批待签约的申请可以签约"]
    day = _repayment_day(repayment_day, errors)
    if bank is None or not bank.active:
        errors["bank"] = ["请选择合作中的受托银行"]
    card = repayment_card_clean(repayment_card, errors)
    method = method or application.method
    if method not in RepaymentMethod.values:
        errors["method"] = ["还款方式只能是：" + "、".join(RepaymentMethod.labels)]
    principal, rate = application.approved_amount, application.rate
    if not errors and (principal is None or rate is None):
        errors["approved_amount"] = ["贷款申请尚无核准金额或利率，不能签约"]
    if errors:
        raise ValidationError(errors)
    assert bank is not None and day is not None and principal is not None and rate is not None

    # Outside the transaction: the bank confirms the card is the borrower's, and the credit bureau reports.
    card_call_id = repayment_card_verify(card, application.borrower)
    reports = borrowers_reports(application)

    with transaction.atomic():
        application = LoanApplication.objects.select_for_update().get(pk=application.pk)
        existing = Loan.objects.filter(application=application).first()
        if existing is not None:  # signed by someone else while the reports were read
            existing.replayed = True
            return existing
        if application.state != ApplicationState.APPROVED:
            raise ValidationError({"state": [f"贷款申请{application.get_state_display()}，只有已审批待签约的申请可以签约"]})
        now = timezone.now()
        today = timezone.localdate()
        n = sequence_next("loans_loan_seq")
        # Not sub_account_open: that wants 111 marked a control account, which the disbursement work does.
        sub = SubAccount.objects.create(
            control=Account.objects.get(code=chart.LOANS), number=number_format(f"DK{today:%Y}", n, 8),
            name=application.borrower.name, opened_on=today, accumulated_to=today,
        )
        loan = Loan.objects.create(
            contract_number=number_format(f"HT{today:%Y}", n, 8), iou_number=number_format(f"JJ{today:%Y}", n, 8),
            application=application, borrower=application.borrower, branch=application.branch, sub_account=sub,
            bank=bank, principal=principal, rate=rate,
            term_months=application.term_months, method=method, repayment_day=day, repayment_card=card,
            subsidy=application.subsidy_eligible, signed_at=now, signed_by=actor, signed_branch=staff.branch,
        )
        move_status(application, ApplicationState.SIGNED, table=APPLICATION_MOVES, action="loans.application.signed",
                    actor=actor, verb="签约", note={"loan": loan.contract_number})
        audit_log(actor=actor, action="loans.loan.signed", target=loan, new={
            "contract_number": loan.contract_number, "iou_number": loan.iou_number, "principal": loan.principal,
            "rate": loan.rate, "term_months": loan.term_months, "method": loan.method, "repayment_day": day,
            "repayment_card": card, "card_call_id": card_call_id, "bank": str(bank), "signed_branch": staff.branch.name,
            "credit_reports": [r.report_number or "无信贷记录" for _, _, r in reports],
            "credit_call_ids": [r.call_id for _, _, r in reports],
        })
        from ..signing_pdf import signing_documents_issue

        signing_documents_issue(loan=loan, reports=reports, requested_by=actor)
    return loan
