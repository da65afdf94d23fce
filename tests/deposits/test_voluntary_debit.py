"""The monthly bank debit (代扣) of voluntary depositors against the real sandbox bank tables: a debit posts the
month (GJ01 / GJ02) once however often it runs, failures post nothing and are reported with the bank's reason
and tried again later under a new reference, an interrupted posting is finished without debiting again, and
only 正常 accounts under a special unit are ever debited."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from stdnum import luhn

from deposits.models import MemberAccount, MonthlyDeposit
from deposits.services.lifecycle import member_account_seal, voluntary_account_open
from deposits.services.voluntary import NO_CARD, debit_reference, voluntary_debit_month
from deposits.tasks.voluntary import voluntary_debit
from fund.dates import add_months
from fund.demo import make_id_number
from fund.integrations import entrusted_bank
from fund.integrations.models import SandboxBankAccount, SandboxBankPayment, SandboxSocialInsurance
from fund.ledger.models import BusinessType
from fund.ledger.selectors import ledger_reconcile
from tests.clock import last_month, this_month
from tests.conftest import member_name

pytestmark = pytest.mark.django_db



def card(seq: int) -> str:
    body = f"62220200{seq:010d}"
    return body + luhn.calc_check_digit(body)


def voluntary(world, seq: int, *, balance: Decimal | None = Decimal("10000.00"), frozen: bool = False) -> MemberAccount:
    """A voluntary depositor opened at branch A's window, with a bank card holding `balance` (None: the card
    was closed at the bank after the opening, which checked it)."""
    number = make_id_number(birth=date(1990, 5, 5), seq=700 + seq)
    SandboxSocialInsurance.objects.update_or_create(id_number=number, defaults={"months_local": 36})
    name = member_name(seq, "灵活")
    at_bank = SandboxBankAccount.objects.create(account_number=card(seq), name=name, balance=balance or 0, frozen=frozen)
    account = voluntary_account_open(
        actor=world.clerk, branch=world.branch_a, id_number=number, name=name, base=Decimal("5000.00"),
        bank_card=card(seq), opened_on=date(2025, 1, 10),
    )
    if balance is None:
        at_bank.delete()
    return account


def bank_balance(account: MemberAccount) -> Decimal:
    return SandboxBankAccount.objects.get(account_number=account.bank_card).balance


def payments(account: MemberAccount) -> list[SandboxBankPayment]:
    return list(SandboxBankPayment.objects.filter(account_number=account.bank_card).order_by("id"))


def test_a_debit_posts_the_current_month_as_gj01_to_member_and_ledger(world):
    account = voluntary(world, 1)
    assert account.unit.employer.is_special
    amount = account.monthly_total
    assert amount > 0

    report = voluntary_debit_month(month=this_month(), actor=None)

    assert (report.due, report.posted, report.failures) == (1, 1, [])
    deposit = MonthlyDeposit.objects.get(account=account, month=this_month())
    assert deposit.entry.business_type == BusinessType.GJ_REMIT
    assert deposit.unit_amount + deposit.member_amount == amount
    account.sub_account.refresh_from_db()
    assert account.sub_account.balance == amount
    assert bank_balance(account) == Decimal("10000.00") - amount
    [paid] = payments(account)
    assert (paid.reference, paid.amount, paid.status) == (f"DK{account.number}{this_month():%Y%m}", amount, "succeeded")
    assert ledger_reconcile() == []


def test_a_past_month_posts_as_gj02(world):
    account = voluntary(world, 2)
    report = voluntary_debit_month(month=last_month())
    assert report.posted == 1
    deposit = MonthlyDeposit.objects.get(account=account, month=last_month())
    assert deposit.entry.business_type == BusinessType.GJ_BACKPAY
    assert [p.reference for p in payments(account)] == [f"DK{account.number}{last_month():%Y%m}"]
    assert ledger_reconcile() == []


def test_running_twice_debits_once(world):
    account = voluntary(world, 3)
    voluntary_debit_month(month=this_month())
    again = voluntary_debit_month(month=this_month())
    assert (again.posted, again.already_paid, again.failures) == (0, 1, [])
    assert len(payments(account)) == 1
    assert MonthlyDeposit.objects.filter(account=account, month=this_month()).count() == 1
    assert bank_balance(account) == Decimal("10000.00") - account.monthly_total
    assert ledger_reconcile() == []


def test_insufficient_balance_posts_nothing_and_a_rerun_after_top_up_posts(world):
    account = voluntary(world, 4, balance=Decimal("10.00"))

    first = voluntary_debit_month(month=this_month())
    assert first.posted == 0
    [failure] = first.failures
    assert (failure.account_number, failure.reason) == (account.number, "付款账户余额不足")
    assert failure.name == account.person.name and failure.amount == account.monthly_total
    assert not MonthlyDeposit.objects.filter(account=account).exists()
    account.sub_account.refresh_from_db()
    assert account.sub_account.balance == 0
    assert bank_balance(account) == Decimal("10.00")

    SandboxBankAccount.objects.filter(account_number=account.bank_card).update(balance=Decimal("5000.00"))
    second = voluntary_debit_month(month=this_month())

    assert (second.posted, second.failures) == (1, [])
    assert MonthlyDeposit.objects.filter(account=account, month=this_month()).count() == 1
    # The failed collection stays failed under its reference; the retry went under the next one.
    assert [(p.reference, p.status) for p in payments(account)] == [
        (debit_reference(account, this_month(), 0), "failed"), (debit_reference(account, this_month(), 1), "succeeded"),
    ]
    assert debit_reference(account, this_month(), 1).endswith("R01")
    assert bank_balance(account) == Decimal("5000.00") - account.monthly_total
    assert ledger_reconcile() == []


def test_frozen_and_unknown_cards_are_reported_with_the_banks_reason(world):
    frozen = voluntary(world, 5, frozen=True)
    unknown = voluntary(world, 6, balance=None)
    report = voluntary_debit_month(month=this_month())
    reasons = {f.account_number: f.reason for f in report.failures}
    assert reasons == {frozen.number: "付款账户已冻结", unknown.number: "账号不存在"}
    assert report.posted == 0 and not MonthlyDeposit.objects.exists()
    assert ledger_reconcile() == []


def test_an_account_without_a_card_is_listed_and_never_sent_to_the_bank(world):
    account = voluntary(world, 7)
    MemberAccount.objects.filter(pk=account.pk).update(bank_card="")
    report = voluntary_debit_month(month=this_month())
    assert [(f.account_number, f.reason) for f in report.failures] == [(account.number, NO_CARD)]
    assert not SandboxBankPayment.objects.exists()
    assert not MonthlyDeposit.objects.filter(account=account).exists()


def test_members_of_ordinary_units_are_never_debited(world):
    # An ordinary unit's member with a card and money at the bank: the unit remits for them, no 代扣.
    MemberAccount.objects.filter(pk=world.account_a.pk).update(bank_card=card(90))
    SandboxBankAccount.objects.create(account_number=card(90), name=world.account_a.person.name, balance=Decimal("99999"))
    volunteer = voluntary(world, 8)
    report = voluntary_debit_month(month=this_month())
    assert report.due == 1 and report.posted == 1
    assert not SandboxBankPayment.objects.filter(account_number=card(90)).exists()
    assert not MonthlyDeposit.objects.filter(account__in=[world.account_a, world.account_b]).exists()
    assert MonthlyDeposit.objects.filter(account=volunteer).count() == 1


def test_a_sealed_voluntary_account_is_skipped(world):
    account = voluntary(world, 9)
    member_account_seal(actor=world.clerk, account=account, reason="停止缴存")
    report = voluntary_debit_month(month=this_month())
    assert (report.due, report.posted, report.failures) == (0, 0, [])
    assert not SandboxBankPayment.objects.exists()
    assert bank_balance(account) == Decimal("10000.00")


def test_money_taken_but_not_posted_is_posted_later_without_a_second_debit(world):
    # A run that collected and then died before posting: the next run finds the collection and posts it.
    account = voluntary(world, 10)
    entrusted_bank().collect(
        account_number=account.bank_card, name=account.person.name, amount=account.monthly_total,
        reference=debit_reference(account, this_month(), 0),
    )
    report = voluntary_debit_month(month=this_month())
    assert report.posted == 1
    assert len(payments(account)) == 1
    assert bank_balance(account) == Decimal("10000.00") - account.monthly_total
    assert ledger_reconcile() == []


def test_months_before_the_first_month_and_future_months(world):
    account = voluntary(world, 11)
    before = voluntary_debit_month(month=add_months(account.first_month, -1))
    assert before.due == 0 and not SandboxBankPayment.objects.exists()
    with pytest.raises(ValidationError) as exc:
        voluntary_debit_month(month=add_months(this_month(), 1))
    assert "未来月份" in exc.value.message_dict["month"][0]


def test_the_schedule_waits_for_the_special_units_pay_day(world):
    account = voluntary(world, 12)
    pay_day = account.unit.pay_day
    early = voluntary_debit_month(month=this_month(), on=this_month().replace(day=pay_day - 1))
    assert early.due == 0 and not SandboxBankPayment.objects.exists()
    due = voluntary_debit_month(month=this_month(), on=this_month().replace(day=pay_day))
    assert due.posted == 1


def test_the_celery_task_runs_a_given_month(world):
    account = voluntary(world, 13)
    result = voluntary_debit.apply(kwargs={"month_iso": f"{last_month():%Y-%m}"}).get()
    assert result["posted"] == 1 and result["failed"] == 0 and result["month"] == f"{last_month():%Y-%m}"
    assert MonthlyDeposit.objects.filter(account=account, month=last_month()).exists()
