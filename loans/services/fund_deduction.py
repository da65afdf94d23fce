"""自愿扣划 (Linyi): by the account holder's agreement, what a loan owes is taken from fund accounts first — the
borrower's, or a co-borrower's with that co-borrower's consent — and the bank debit takes the rest.

Signing: the member in the personal hall for their own account (as the loan's borrower); staff at the counter
for the borrower's or a co-borrower's account, with the holder's consent ticked (the signed paper stays at the
window). Ending an agreement keeps its row (inactive, with the time).

`fund_deduct_due(loan_id, on)` is the nightly close's step 30 (`loans.fund_deduction`, run by the close before the
bank debit): it takes what is owed on `on` from the agreed accounts in their order, each up to what the account
may give (`repayment.fund_available`), one repayment per account (channel 公积金账户扣划). The repayment's key is
(loan, date, account), so a rerun of the same date posts nothing again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from deposits.models import MemberAccount
from fund.audit.services import audit_log
from fund.ledger.models import SubAccount
from fund.money import ZERO
from fund.people.roles import roles_of

from ..allocation import allocate
from ..models import Loan, LoanStatus, Repayment, RepaymentAgreement, RepaymentChannel
from .repayment import DEBITABLE_STATES, co_borrower_accounts, fund_available
from .repayment_posting import Sources, loan_locked, owed_total, owing_rows, repayment_post


def deduction_key(loan_id: int, on: date, account_id: int) -> str:
    return f"fund_deduction:{loan_id}:{on:%Y%m%d}:{account_id}"


def agreement_accounts(loan: Loan) -> list[MemberAccount]:
    """The accounts an agreement may be signed for: the borrower's, then the co-borrowers' (at this centre)."""
    own = list(MemberAccount.objects.filter(person_id=loan.borrower_id, state__in=DEBITABLE_STATES)
               .select_related("person", "sub_account"))
    return own + [a for a in co_borrower_accounts(loan) if a.state in DEBITABLE_STATES]


def agreement_sign(*, actor: Any, loan: Loan, account: MemberAccount | None, consent: bool = False) -> RepaymentAgreement:
    """Sign 自愿扣划 for `account` on `loan`; it is taken after the agreements already in force."""
    roles = roles_of(actor)
    staff = roles.is_staff
    if staff and not roles.can_accept:
        raise PermissionDenied("只有受理岗可以办理自愿扣划签约")
    if not staff and not (roles.is_member and actor.person_id == loan.borrower_id):
        raise PermissionDenied("只能为本人的贷款签订自愿扣划协议")
    errors: dict[str, list[str]] = {}
    if loan.status != LoanStatus.ACTIVE:
        errors["loan"] = [f"贷款状态为“{loan.get_status_display()}”，不能签订自愿扣划协议"]
    if account is None:
        errors["account"] = ["请选择扣划的公积金账户"]
    elif account.pk not in {a.pk for a in agreement_accounts(loan)}:
        errors["account"] = ["只能选择借款人或共同借款人本人正常或封存状态的公积金账户"]
    elif not staff and account.person_id != actor.person_id:
        errors["account"] = ["网上只能为本人的公积金账户签订自愿扣划协议"]
    if staff and not consent:
        errors["consent"] = ["请确认账户持有人本人已书面同意自愿扣划"]
    if errors:
        raise ValidationError(errors)
    assert account is not None
    with transaction.atomic():
        loan_locked(loan)
        if RepaymentAgreement.objects.filter(loan=loan, account=account, active=True).exists():
            raise ValidationError({"account": ["该公积金账户已签订本笔贷款的自愿扣划协议"]})
        last = RepaymentAgreement.objects.filter(loan=loan, active=True).aggregate(m=Max("position"))["m"] or 0
        try:
            with transaction.atomic():
                agreement = RepaymentAgreement.objects.create(loan=loan, account=account, position=last + 1,
                                                              signed_by=actor)
        except IntegrityError as exc:
            raise ValidationError({"account": ["该公积金账户已签订本笔贷款的自愿扣划协议"]}) from exc
        audit_log(actor=actor, action="loans.agreement.signed", target=loan,
                  new={"account": account.number, "position": agreement.position})
    return agreement


def agreement_end(*, actor: Any, agreement: RepaymentAgreement) -> RepaymentAgreement:
    """End an agreement: the member for their own account, staff at the counter for any of the loan's."""
    roles = roles_of(actor)
    if roles.is_staff:
        if not roles.can_accept:
            raise PermissionDenied("只有受理岗可以办理自愿扣划解约")
    elif not (roles.is_member and agreement.account.person_id == actor.person_id):
        raise PermissionDenied("只能终止本人账户的自愿扣划协议")
    with transaction.atomic():
        ended = RepaymentAgreement.objects.filter(pk=agreement.pk, active=True).update(
            active=False, ended_at=timezone.now())
        if not ended:
            raise ValidationError({"agreement": ["该自愿扣划协议已终止"]})
        audit_log(actor=actor, action="loans.agreement.ended", target=agreement.loan,
                  old={"account": agreement.account.number})
    agreement.refresh_from_db()
    return agreement


def agreements_of(loan: Loan) -> list[RepaymentAgreement]:
    return list(RepaymentAgreement.objects.filter(loan=loan).select_related("account__person", "signed_by")
                .order_by("-active", "position", "id"))


def fund_deduct_due(loan_id: int, on: date) -> Decimal:
    """Take what the loan owes on `on` (overdue and due that day, penalty to that day) from its agreed fund
    accounts in order; returns what this call took (0 on a rerun for the same date)."""
    taken = ZERO
    account_ids = list(RepaymentAgreement.objects.filter(loan_id=loan_id, active=True)
                       .order_by("position", "id").values_list("account_id", flat=True))
    for account_id in account_ids:
        key = deduction_key(loan_id, on, account_id)
        if Repayment.objects.filter(idempotency_key=key).exists():
            continue
        with transaction.atomic():
            loan = loan_locked(Loan(pk=loan_id))
            if loan.status != LoanStatus.ACTIVE:
                break
            rows = owing_rows(loan, on)
            owed = owed_total(rows)
            if owed <= 0:
                break
            SubAccount.objects.select_for_update().filter(member_account__pk=account_id).first()
            account = MemberAccount.objects.select_related("sub_account").get(pk=account_id)
            amount = min(owed, fund_available(account))
            if amount <= 0:
                continue
            allocation = allocate(amount, [owing for _, owing in rows])
            _repayment, created = repayment_post(
                loan=loan, on=on, rows=rows, allocation=allocation,
                sources=Sources(from_fund=amount, fund_account=account), channel=RepaymentChannel.FUND,
                idempotency_key=key,
            )
            if created:
                taken += amount
    return taken
