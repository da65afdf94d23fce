"""Repaying now: the member in the personal hall (立即还款) and staff at the counter (柜台还款), from a bank card or
a fund account (提取还贷 of this month's instalment).

The amount is checked against what is owed now — overdue instalments, those due today and the next one not yet
due — before any money moves: more than that is refused (a prepayment is its own business), so an overpayment
is never collected and never kept. Money is allocated in the fixed order of `loans.allocation`.

A card repayment collects from the bank first, outside any transaction, under a reference derived from the
client's token; the bank treats the reference as an idempotency key. The posting's key derives from the same
token, so a resubmitted form (or a retried API call) finds the first repayment, or replays the bank's first
answer and posts it once. A fund-account repayment takes the member's sub-account in the same entry.

Who may use which account: a member online only their own account (as the loan's borrower); staff at the
counter the borrower's account or a co-borrower's, the latter only while that co-borrower's 自愿扣划 agreement
for this loan is in force (their written consent).
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from deposits.models import MemberAccount, MemberState
from fund.audit.services import audit_log
from fund.integrations import entrusted_bank
from fund.integrations.bank import Payment
from fund.integrations.base import IntegrationError, NotFound
from fund.ledger.models import SubAccount
from fund.money import ZERO, clean_amount, format_money
from fund.people.roles import roles_of

from ..allocation import Owing, allocate
from ..models import Loan, LoanStatus, Repayment, RepaymentAgreement, RepaymentChannel
from .repayment_posting import Sources, loan_locked, owing_rows, repayment_post

SOURCES = {"card": "银行卡", "fund": "公积金账户"}
DEBITABLE_STATES = (MemberState.NORMAL, MemberState.SEALED)
TOKEN_MAX = 64
COLLECT_ATTEMPTS = 5


def repayment_key(loan: Loan, client_token: str) -> str:
    return f"repay:{loan.pk}:{client_token}"


def bank_reference(loan: Loan, client_token: str, attempt: int = 0) -> str:
    """The collection's reference at the bank (≤ 64 characters): the same token and attempt give the same one."""
    digest = hashlib.sha256(f"{loan.pk}:{client_token}".encode()).hexdigest()[:40]
    return f"DKHK{loan.pk}-{digest}-{attempt}"[:64]


def owing_now(loan: Loan, on: date) -> list[Owing]:
    """What may be repaid on `on` without a prepayment, per instalment: overdue, due, and the next instalment
    not yet due, penalty brought to `on` (read under the loan's lock, written nowhere)."""
    with transaction.atomic():
        return [owing for _, owing in owing_rows(loan_locked(loan), on, ahead=True)]


def owed_now(loan: Loan, on: date) -> Decimal:
    return sum((owing.total for owing in owing_now(loan, on)), ZERO)


def due_now(loan: Loan, on: date) -> Decimal:
    """What the repay form offers: what is overdue or due by `on`, else the next instalment."""
    owing = owing_now(loan, on)
    due = sum((o.total for o in owing if o.due_on <= on), ZERO)
    return due if due > 0 else sum((o.total for o in owing), ZERO)


def fund_available(account: MemberAccount) -> Decimal:
    """What a repayment may take from a fund account: its whole balance while it is 正常 or 封存 (repaying one's
    own housing loan is a withdrawal reason with no amount kept back); nothing when frozen or closed."""
    if account.state not in DEBITABLE_STATES:
        return ZERO
    return max(account.sub_account.balance, ZERO)


def co_borrower_accounts(loan: Loan) -> list[MemberAccount]:
    """The fund accounts of the loan's co-borrowers (those who deposit at this centre)."""
    ids = loan.application.co_borrowers.exclude(account=None).values_list("account_id", flat=True)
    return list(MemberAccount.objects.filter(pk__in=list(ids)).select_related("person", "sub_account"))


def borrower_account(loan: Loan) -> MemberAccount | None:
    """The borrower's own fund account (one person, one account that is not closed)."""
    return (MemberAccount.objects.filter(person_id=loan.borrower_id, state__in=(*DEBITABLE_STATES, MemberState.FROZEN))
            .select_related("person", "sub_account").first())


def _who(actor: Any, loan: Loan) -> str:
    """"member" for the borrower in the hall, "staff" for the counter; anyone else may not repay (the views fetch
    the loan through `loan_get_for_user`, so they never get this far)."""
    roles = roles_of(actor)
    if roles.is_staff:
        if not roles.can_accept:
            raise PermissionDenied("只有受理岗可以办理柜台还款")
        return "staff"
    if roles.is_member and actor.person_id == loan.borrower_id:
        return "member"
    raise PermissionDenied("只能为本人的贷款还款")


def _check_account(who: str, loan: Loan, account: MemberAccount | None, errors: dict[str, list[str]]) -> None:
    if account is None:
        errors["account"] = ["借款人没有可用于还款的公积金账户"]
        return
    if account.person_id == loan.borrower_id:
        pass
    elif who == "member":
        errors["account"] = ["网上还款只能使用本人的公积金账户"]
        return
    elif not RepaymentAgreement.objects.filter(loan=loan, account=account, active=True).exists():
        errors["account"] = ["共同借款人的公积金账户须先签订自愿扣划协议（本人同意）才能用于还款"]
        return
    if account.state not in DEBITABLE_STATES:
        errors["account"] = [f"公积金账户状态为“{account.get_state_display()}”，不能用于还款"]


def repay_now(
    *, actor: Any, loan: Loan, amount: Any, source: str, client_token: str, account: MemberAccount | None = None,
    card: str | None = None, on: date | None = None,
) -> Repayment:
    """Repay `amount` of what the loan owes now, from a card ("card") or a fund account ("fund"). The same
    `client_token` again returns the first repayment: nothing is collected or posted twice. Bad input raises a
    ValidationError naming the field, with nothing written and nothing collected."""
    on = on or timezone.localdate()
    who = _who(actor, loan)
    token = (client_token or "").strip()
    if not token or len(token) > TOKEN_MAX:
        raise ValidationError({"client_token": [f"请求标识（client_token）须为 1 至 {TOKEN_MAX} 个字符"]})
    key = repayment_key(loan, token)
    first = Repayment.objects.filter(idempotency_key=key).first()
    if first is not None:
        return first
    errors: dict[str, list[str]] = {}
    value: Decimal | None = None
    try:
        value = clean_amount(amount, label="还款金额")
    except ValidationError as exc:
        errors["amount"] = exc.messages
    if source not in SOURCES:
        errors["source"] = ["还款资金来源应为银行卡（card）或公积金账户（fund）"]
    if loan.status != LoanStatus.ACTIVE:
        errors["loan"] = [f"贷款状态为“{loan.get_status_display()}”，不能还款"]
    if source == "fund":
        account = account or borrower_account(loan)
        _check_account(who, loan, account, errors)
    card_number = ""
    if source == "card":
        card_number = (card or "").strip() if who == "staff" and card else loan.repayment_card
        if card and who == "member" and card.strip() != loan.repayment_card:
            errors["card"] = ["网上还款只能使用贷款合同约定的还款账号"]
        elif not card_number:
            errors["card"] = ["贷款没有约定还款账号，请填写扣款银行卡号"]
    if errors:
        raise ValidationError(errors)
    assert value is not None
    owed = owed_now(loan, on)
    if owed <= 0:
        raise ValidationError({"amount": ["当前没有应还款项，如需提前还款请办理提前还款"]})
    if value > owed:
        raise ValidationError({"amount": [
            f"还款金额超出当前应还金额 {format_money(owed)} 元，如需提前还款请办理提前还款"]})
    channel = RepaymentChannel.ONLINE if who == "member" else RepaymentChannel.COUNTER
    if source == "card":
        return _repay_by_card(actor=actor, loan=loan, amount=value, card=card_number, token=token, key=key,
                              channel=channel, on=on)
    assert account is not None
    return _repay_from_fund(actor=actor, loan=loan, amount=value, account=account, key=key, channel=channel, on=on)


def _collect(*, loan: Loan, amount: Decimal, card: str, token: str) -> Payment:
    """The bank collection for this token: the first attempt the bank did not refuse (replayed, never taken
    again), else a new attempt under the next reference — a refused debit moved no money, so the member may
    try again with the same form."""
    bank = entrusted_bank()
    for attempt in range(COLLECT_ATTEMPTS):
        reference = bank_reference(loan, token, attempt)
        try:
            payment = bank.payment(reference=reference)
        except NotFound:
            return bank.collect(account_number=card, name=loan.borrower.name, amount=amount, reference=reference,
                                purpose=f"住房公积金贷款还款 {loan.contract_number}")
        if not payment.failed:
            return payment
    raise ValidationError({"card": [f"银行扣款已失败 {COLLECT_ATTEMPTS} 次，请更换银行卡或改用公积金账户还款"]})


def _repay_by_card(*, actor: Any, loan: Loan, amount: Decimal, card: str, token: str, key: str, channel: str,
                   on: date) -> Repayment:
    try:
        payment = _collect(loan=loan, amount=amount, card=card, token=token)
    except IntegrationError as exc:
        raise ValidationError({"card": [f"银行扣款未成功：{exc}，请稍后重试"]}) from exc
    if payment.failed:
        raise ValidationError({"card": [f"银行扣款失败：{payment.reason or '银行未说明原因'}"]})
    if not payment.succeeded:
        raise ValidationError({"card": ["银行正在处理扣款，请稍后以同一请求再次提交查询结果"]})
    if payment.amount != amount:
        raise ValidationError({"amount": [
            f"同一请求已扣款 {format_money(payment.amount)} 元，与本次还款金额不符，请刷新页面后重新办理"]})
    sources = Sources(from_card=amount, card=card, bank_reference=payment.reference)
    try:
        return _post(actor=actor, loan=loan, amount=amount, sources=sources, key=key, channel=channel, on=on)
    except ValidationError as exc:
        # The amount was checked before collecting, so this needs the loan to have changed in between (another
        # repayment). The money is at the centre under `reference`; resubmitting the same form posts it if it fits.
        raise ValidationError({"amount": [
            f"已从银行卡扣款 {format_money(amount)} 元（银行业务编号 {payment.reference}），但未能入账："
            + "；".join(exc.messages) + "。请联系管理部处理，请勿重复扣款"]}) from exc


def _repay_from_fund(*, actor: Any, loan: Loan, amount: Decimal, account: MemberAccount, key: str, channel: str,
                     on: date) -> Repayment:
    with transaction.atomic():
        # Loan first, then the account (the close's 自愿扣划 takes them in the same order); the balance is read
        # under the sub-account's lock, so two repayments never both take it.
        loan = loan_locked(loan)
        SubAccount.objects.select_for_update().get(pk=account.sub_account_id)
        account = MemberAccount.objects.select_related("sub_account", "person").get(pk=account.pk)
        if account.state not in DEBITABLE_STATES:
            raise ValidationError({"account": [f"公积金账户状态为“{account.get_state_display()}”，不能用于还款"]})
        available = fund_available(account)
        if amount > available:
            raise ValidationError({"account": [
                f"公积金账户余额 {format_money(available)} 元，不足还款金额 {format_money(amount)} 元"]})
        sources = Sources(from_fund=amount, fund_account=account)
        return _post(actor=actor, loan=loan, amount=amount, sources=sources, key=key, channel=channel, on=on)


def _post(*, actor: Any, loan: Loan, amount: Decimal, sources: Sources, key: str, channel: str,
          on: date) -> Repayment:
    with transaction.atomic():
        loan = loan_locked(loan)
        first = Repayment.objects.filter(idempotency_key=key).first()
        if first is not None:
            return first
        if loan.status != LoanStatus.ACTIVE:
            raise ValidationError({"loan": [f"贷款状态为“{loan.get_status_display()}”，不能还款"]})
        rows = owing_rows(loan, on, ahead=True)
        allocation = allocate(amount, [owing for _, owing in rows], on=on)
        if allocation.rest > 0:
            raise ValidationError({"amount": [
                f"还款金额超出当前应还金额 {format_money(allocation.applied)} 元，如需提前还款请办理提前还款"]})
        repayment, created = repayment_post(loan=loan, on=on, rows=rows, allocation=allocation, sources=sources,
                                            channel=channel, idempotency_key=key, actor=actor)
        if created:
            audit_log(actor=actor, action="loans.repayment.posted", target=loan, new={
                "number": repayment.number, "amount": str(repayment.amount), "channel": channel,
                "from_fund": str(repayment.from_fund), "from_card": str(repayment.from_card),
            })
    return repayment


__all__ = ["SOURCES", "bank_reference", "borrower_account", "co_borrower_accounts", "due_now", "fund_available",
           "owed_now", "owing_now", "repay_now", "repayment_key"]
