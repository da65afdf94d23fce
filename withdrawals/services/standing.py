"""逐月提取: a standing instruction to repay a housing loan from the fund account every month.

Signing checks the loan through its source (the credit report for a commercial loan, the loans line's own
source for this centre's loans) and the card with the bank, both before its transaction, and caps each month
at the instalment. A daily beat job makes that month's
withdrawal (reason 06, channel 逐月提取) on or after the instruction's day; the month is part of a unique key,
so a job run twice, or on two workers, makes one withdrawal a month. The withdrawal then goes through the
same 秒批 rules and payout as any other.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from deposits.models import MemberAccount, MemberState
from fund.audit.masking import mask_bank_card
from fund.audit.services import audit_log
from fund.dates import first_of_month
from fund.integrations.bank import bank_account_verify
from fund.integrations.base import IntegrationError
from fund.money import format_money
from fund.numbers import next_number
from fund.people.roles import roles_of
from fund.validation import clean_bank_card, clean_line

from ..loans import household_loan
from ..models import Channel, StandingInstruction, StandingState, Withdrawal
from .application import blacklist_refusal, in_flight_for, next_withdrawal_number


def _may_act(actor: Any, account: MemberAccount) -> bool:
    from deposits.selectors import member_accounts_for_holder_or_staff

    own = account.person_id == getattr(actor, "person_id", None)
    return own or (roles_of(actor).can_accept
                   and member_accounts_for_holder_or_staff(actor).filter(pk=account.pk).exists())


def standing_sign(
    *, actor: Any, account: MemberAccount, loan: str, payee_card: str, day: int = 5, today: date | None = None
) -> StandingInstruction:
    """Sign a standing instruction for one of the household's housing loans, paid to `payee_card`.

    The loan (credit bureau, marriage registry) and the card (the bank, under the member's name: the name each
    month's payout carries) are checked before the transaction that records the instruction, never inside
    it; a card the bank does not know is refused here rather than at the first month's payout."""
    today = today or timezone.localdate()
    if not _may_act(actor, account):
        raise PermissionDenied("只能为本人账户签订逐月提取协议")
    account = MemberAccount.objects.select_related("person").get(pk=account.pk)
    errors: dict[str, list[str]] = {}
    _check_signable(account, errors)
    if not isinstance(day, int) or not 1 <= day <= 28:
        errors["day"] = ["每月提取日须在 1 至 28 日之间"]
    try:
        card = clean_bank_card(payee_card or "")
    except ValidationError as exc:
        errors["payee_card"] = list(exc.messages)
        card = ""
    if errors.get("account"):
        raise ValidationError(errors)  # no outside call for an account that cannot sign anyway
    try:
        found = household_loan(account.person.id_number, (loan or "").strip())
    except IntegrationError as exc:
        raise ValidationError({"loan": [f"暂时无法查询住房贷款（{exc}），请稍后再试"]}) from exc
    if found is None:
        errors["loan"] = ["未查到该笔未结清的住房贷款"]
    if card:
        try:
            bank_account_verify(field="payee_card", label="还款银行卡号", account_number=card, name=account.person.name,
                                holder_id=account.person.id_number)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert found is not None
    return _standing_record(actor=actor, account=account, found=found, card=card, day=day, today=today)


def _check_signable(account: MemberAccount, errors: dict[str, list[str]]) -> None:
    if account.state not in (MemberState.NORMAL, MemberState.SEALED):
        errors["account"] = [f"个人账户状态为“{account.get_state_display()}”，不能签订逐月提取"]
    refusal = blacklist_refusal(account.person.id_number)
    if refusal:
        errors["account"] = [refusal]


@transaction.atomic
def _standing_record(
    *, actor: Any, account: MemberAccount, found: Any, card: str, day: int, today: date
) -> StandingInstruction:
    """Record the checked instruction under the account's lock (its state read again: it may have moved)."""
    account = MemberAccount.objects.select_for_update(of=("self",)).select_related("person").get(pk=account.pk)
    errors: dict[str, list[str]] = {}
    _check_signable(account, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            instruction = StandingInstruction.objects.create(
                number=next_number("withdrawals_standing_seq", f"ZY{today:%Y%m}", 6), account=account,
                source=found.source, loan_reference=found.key, lender=found.lender,
                monthly_amount=found.monthly_instalment, payee_card=card, payee_name=account.person.name, day=day,
                starts_on=today, created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError({"account": ["该账户已有生效的逐月提取协议"]}) from exc
    audit_log(actor=actor, action="withdrawals.standing.signed", target=instruction,
              new={"loan": found.key, "monthly": found.monthly_instalment, "day": day,
                   "card": mask_bank_card(card)})
    return instruction


@transaction.atomic
def standing_end(*, actor: Any, instruction: StandingInstruction, reason: str) -> StandingInstruction:
    instruction = StandingInstruction.objects.select_for_update().select_related("account").get(pk=instruction.pk)
    if not _may_act(actor, instruction.account):
        raise PermissionDenied("只能终止本人的逐月提取协议")
    try:
        reason = clean_line(reason, label="终止原因", max_length=200)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}) from exc
    if StandingInstruction.objects.filter(pk=instruction.pk, state=StandingState.ACTIVE).update(
        state=StandingState.ENDED, ended_on=timezone.localdate(), end_reason=reason
    ) != 1:
        raise ValidationError({"state": ["协议已终止"]})
    instruction.refresh_from_db()
    audit_log(actor=actor, action="withdrawals.standing.ended", target=instruction, new={"reason": reason})
    return instruction


def standing_run(*, today: date | None = None) -> dict[str, int]:
    """Beat (daily): this month's withdrawal for every active instruction whose day has come."""
    from ..tasks import withdrawal_decide_task

    today = today or timezone.localdate()
    month = first_of_month(today)
    made = skipped = 0
    due = StandingInstruction.objects.filter(state=StandingState.ACTIVE, day__lte=today.day, starts_on__lte=today)
    for instruction in due.exclude(last_month=month).select_related("account__person", "account__unit__employer"):
        with transaction.atomic():
            account = MemberAccount.objects.select_for_update().get(pk=instruction.account_id)
            note = ""
            if account.state not in (MemberState.NORMAL, MemberState.SEALED):
                note = f"账户状态为“{account.get_state_display()}”，本月未提取"
            elif in_flight_for(account) is not None:
                note = "有在办的提取业务，次日再试"
            elif account.sub_account.balance <= 0:
                note = "账户余额为零，本月未提取"
            if note:
                StandingInstruction.objects.filter(pk=instruction.pk).update(last_note=note)
                skipped += 1
                continue
            amount = min(instruction.monthly_amount, account.sub_account.balance)
            try:
                with transaction.atomic():
                    withdrawal = Withdrawal.objects.create(
                        number=next_withdrawal_number(today), account=account,
                        branch_id=instruction.account.unit.employer.branch_id, reason="06", reason_code="06",
                        channel=Channel.STANDING, amount_requested=amount, payee_name=instruction.payee_name,
                        payee_card=instruction.payee_card, details={"loan": instruction.loan_reference},
                        submitted_by=instruction.created_by, standing=instruction, standing_month=month,
                    )
            except IntegrityError:
                skipped += 1  # this month's withdrawal exists (another run made it)
                continue
            StandingInstruction.objects.filter(pk=instruction.pk).update(
                last_month=month, last_note=f"{today:%Y-%m-%d} 生成提取 {withdrawal.number}，{format_money(amount)} 元"
            )
            audit_log(actor=None, action="withdrawals.standing.run", target=withdrawal,
                      new={"instruction": instruction.number, "month": month, "amount": amount})
            transaction.on_commit(partial(withdrawal_decide_task.delay, withdrawal.pk), robust=True)
            made += 1
    return {"made": made, "skipped": skipped}
