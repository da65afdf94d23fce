"""Monthly bank debit (按月代扣) for voluntary depositors (灵活就业人员).

A voluntary depositor's account lives under their branch's special unit (专户, `Employer.is_special`). Both
parts of the monthly deposit are theirs and are collected from their own bank card under an entrustment
agreement; a successful collection posts the month exactly as a unit's remittance would (GJ01 for the
current month, GJ02 for a past one) through `monthly_deposit_post`.

References and retries. The bank is idempotent by reference, and a collection that failed stays failed
for its reference: asking again returns the same failure. So each attempt for an account and month gets
its own reference, numbered from the first::

    DK{account number}{yyyymm}        the first attempt
    DK{account number}{yyyymm}R01     the second, R02 the third … (one more on every run that finds the
                                      latest attempt failed, i.e. once a day with the daily schedule)

Before asking for money, a run reads the earlier attempts back from the bank, in order, until the bank
knows no more. If one succeeded (money taken, but the posting was interrupted), the month is posted from it
and no new debit is made; if one is still in progress, the run waits for it. Two runs at the same time
compute the same next reference, so the bank answers both with one payment. Nothing here holds a database
transaction while talking to the bank; each posting is its own transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from fund.dates import add_months, first_of_month
from fund.integrations import entrusted_bank
from fund.integrations.base import IntegrationError, NotFound
from fund.money import format_money
from fund.numbers import attempt_reference

from ..models import MemberAccount, MemberState, MonthlyDeposit, UnitState
from .accounts import monthly_deposit_post
from .base_adjustment_rules import month_terms

logger = logging.getLogger(__name__)

NO_CARD = "未登记银行卡"
# More attempts than this for one month are not made automatically: staff should speak to the depositor.
MAX_ATTEMPTS = 40


@dataclass(frozen=True)
class DebitFailure:
    account_number: str
    name: str
    amount: Decimal
    reason: str
    reference: str = ""


@dataclass
class DebitReport:
    month: date
    due: int = 0  # accounts considered: 正常, under a 专户, started by `month`
    posted: int = 0  # months posted by this run
    already_paid: int = 0  # months found paid, nothing done
    pending: int = 0  # a collection still in progress at the bank
    failures: list[DebitFailure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": f"{self.month:%Y-%m}", "due": self.due, "posted": self.posted,
            "already_paid": self.already_paid, "pending": self.pending, "failed": self.failed,
            "failures": [
                {"account": f.account_number, "name": f.name, "amount": str(f.amount), "reason": f.reason,
                 "reference": f.reference}
                for f in self.failures
            ],
        }


def debit_reference(account: MemberAccount, month: date, attempt: int) -> str:
    """The bank reference of the `attempt`-th (0-based) collection for this account and month."""
    return attempt_reference(f"DK{account.number}{month:%Y%m}", attempt)


def voluntary_accounts_due(*, month: date, on: date | None = None) -> QuerySet[MemberAccount]:
    """正常 accounts under a 正常 special unit whose first month is no later than `month`. With `on`, only
    units whose pay day (每月缴存日) has come by that date."""
    month = first_of_month(month)
    accounts = MemberAccount.objects.filter(
        unit__employer__is_special=True, unit__state=UnitState.NORMAL, state=MemberState.NORMAL,
        first_month__lte=month,
    )
    if on is not None:
        accounts = accounts.filter(unit__pay_day__lte=on.day)
    return accounts.select_related("person", "unit").order_by("number")


def voluntary_debit_month(
    *, month: date, actor: Any = None, on: date | None = None, today: date | None = None, collect: bool = True
) -> DebitReport:
    """Debit every unpaid voluntary account for `month` from its bank card and post the paid months.

    `on` (the task passes today) limits the run to units whose pay day has come. Safe to run any number of
    times: a paid month is never debited again, and a failed one is tried again with a new reference.

    `today` is the posting date (default: today); the scheduled run passes the same day as `on`, so a run
    that starts just before midnight on the last day of a month posts that month on that day. With
    `collect=False` no new debit is made: earlier attempts are only read back, and one that succeeded is
    posted (the next month's first runs do this for the month before, whose retry window has closed, so a
    collection still in progress at month end is posted when the bank settles it, and never made twice).
    """
    month = first_of_month(month)
    today = today or timezone.localdate()
    if month > first_of_month(today):
        raise ValidationError({"month": ["不能代扣未来月份"]})
    report = DebitReport(month=month)
    for account in voluntary_accounts_due(month=month, on=on):
        report.due += 1
        try:
            _debit_one(account=account, month=month, actor=actor, today=today, report=report, collect=collect)
        except IntegrationError as exc:
            # The bank did not answer (or refused the request): nothing posted; the next run asks again.
            logger.warning("voluntary debit %s %s: %s", account.number, month, exc)
            report.failures.append(_failure(account, f"银行接口异常：{exc}"))
    logger.info("voluntary debit %s: %s", f"{month:%Y-%m}", report.as_dict())
    return report


def _failure(account: MemberAccount, reason: str, reference: str = "") -> DebitFailure:
    return DebitFailure(
        account_number=account.number, name=account.person.name, amount=account.monthly_total, reason=reason,
        reference=reference,
    )


def _debit_one(
    *, account: MemberAccount, month: date, actor: Any, today: date, report: DebitReport, collect: bool = True
) -> None:
    deposits = MonthlyDeposit.objects.filter(account=account, month=month)
    if deposits.filter(reversal__isnull=True).exists():
        report.already_paid += 1
        return
    if deposits.exists():
        # A posting of this month was reversed (错缴更正): whether money is owed or was refunded is for staff.
        report.failures.append(_failure(account, "该月缴存已冲正，请人工核实后处理"))
        return
    if not account.bank_card:
        report.failures.append(_failure(account, NO_CARD))
        return
    bank = entrusted_bank()
    # The amount in force for THAT month (a base adjustment effective later must not change it).
    amount = month_terms(account, month).total
    # Read back the earlier attempts, oldest first.
    attempt, last = 0, None
    while attempt < MAX_ATTEMPTS:
        reference = debit_reference(account, month, attempt)
        try:
            payment = bank.payment(reference=reference)
        except NotFound:
            break
        if not payment.failed:  # succeeded, or still in progress
            last = payment
            break
        last, attempt = payment, attempt + 1
    if last is None or last.failed:
        if not collect:
            # The month's retry window has closed: nothing taken, nothing to post; the month is in arrears.
            if last is not None:
                report.failures.append(_failure(account, last.reason or "银行扣款失败", last.reference))
            return
        if attempt >= MAX_ATTEMPTS:
            report.failures.append(_failure(account, f"代扣已失败{MAX_ATTEMPTS}次，请联系缴存人"))
            return
        last = bank.collect(
            account_number=account.bank_card, name=account.person.name, amount=amount,
            reference=debit_reference(account, month, attempt), purpose=f"{month:%Y年%m月}住房公积金代扣",
        )
    if last.failed:
        report.failures.append(_failure(account, last.reason or "银行扣款失败", last.reference))
        return
    if not last.succeeded:
        report.pending += 1
        return
    if last.amount != amount:
        # Taken under an earlier monthly amount (the base changed since): post nothing automatically.
        report.failures.append(_failure(
            account, f"已扣款 {format_money(last.amount)} 元与现应缴额 {format_money(amount)} 元不符，请人工处理", last.reference))
        return
    try:
        _deposit, created = monthly_deposit_post(actor=actor, account=account, month=month, value_date=today)
    except ValidationError as exc:
        # Money taken but the month cannot be posted (e.g. the account was frozen meanwhile); the next run
        # finds the successful collection and posts it then, without debiting again.
        report.failures.append(_failure(account, "已扣款，入账失败：" + "；".join(exc.messages), last.reference))
        return
    if created:
        report.posted += 1
    else:
        report.already_paid += 1


def voluntary_debit_daily(*, on: date, actor: Any = None) -> dict[str, Any]:
    """The scheduled run for day `on`: this month's debits for special units whose pay day has come (a failed
    debit tried again each day up to the month's last day), and, without debiting again, the posting of last
    month's collections that the bank settled after that month ended."""
    month = first_of_month(on)
    current = voluntary_debit_month(month=month, actor=actor, on=on, today=on)
    previous = voluntary_debit_month(month=add_months(month, -1), actor=actor, today=on, collect=False)
    result = current.as_dict()
    result["previous_month"] = previous.as_dict()
    return result
