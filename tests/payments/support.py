"""A purpose only the payment tests use (its subject is a branch, whose staff see it): it records what each hook was told, and sets money aside (Dr 101 /
Cr 231) for each attempt the way a business would, reversing it when the bank refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fund.integrations.models import SandboxBankAccount
from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry
from fund.ledger.services import credit, debit, entry_post, entry_reverse
from fund.payments.purposes import NextAttempt, Purpose, register_purpose
from fund.payments.services import payment_create

CODE = "tests.refund"
ACCOUNT = "6222000011112222333"
NAME = "测试收款单位"


@dataclass
class Calls:
    paid: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    handed_off: list[str] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)


CALLS = Calls()


def hold(amount: Decimal, key: str) -> JournalEntry:
    return entry_post(business_type=BusinessType.GJ_OTHER, reference="tests.payments", idempotency_key=key,
                      value_date=timezone.localdate(), legs=[debit(chart.BANK, amount), credit(chart.SUSPENSE, amount)],
                      memo="测试备付").entry


def _refused(payment: Any, attempt: Any) -> JournalEntry:
    CALLS.refused.append(attempt.reference)
    return entry_reverse(entry=attempt.hold_entry, value_date=timezone.localdate(), actor=None, reason="付款失败退回").entry


def _retry(payment: Any, number: int, actor: Any) -> NextAttempt:
    CALLS.retried.append(number)
    return NextAttempt(hold_entry=hold(payment.amount, f"tests.hold:{payment.pk}:{number}"))


register_purpose(Purpose(
    code=CODE, label="测试退款", debit_account=chart.SUSPENSE,
    on_paid=lambda payment, attempt: CALLS.paid.append(attempt.reference),
    on_refused=_refused,
    on_handed_off=lambda payment, actor: CALLS.handed_off.append(payment.subject_label),
    on_retry=_retry,
))


def reset() -> Calls:
    CALLS.paid.clear()
    CALLS.refused.clear()
    CALLS.handed_off.clear()
    CALLS.retried.clear()
    return CALLS


def bank_account(**flags: bool) -> SandboxBankAccount:
    row, _ = SandboxBankAccount.objects.update_or_create(account_number=ACCOUNT, defaults={"name": NAME, **flags})
    return row


def pay(subject: Any, *, amount: str = "500.00", reference: str = "TEST0001", send: bool = True) -> Any:
    money = Decimal(amount)
    return payment_create(
        purpose=CODE, subject=subject, subject_label=f"测试 {subject.pk}", amount=money, payee_account=ACCOUNT,
        payee_name=NAME, reference=reference, business_type=BusinessType.GJ_OTHER, ledger_reference="tests.payments",
        memo="测试退款", branch=subject, hold_entry=hold(money, f"tests.hold:{reference}:1"),
        send=send,
    )
