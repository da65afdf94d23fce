"""The last gaps of the deposits line: the deferral/ratio-reduction limit read from policy; a month's
deposit uses the base in force for THAT month even after a later base adjustment; voluntary depositors'
debits at the end of the month (pay day 28, the last day, the next month's first run)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from stdnum import luhn

from deposits.models import MonthlyDeposit, UnitAccount
from deposits.services import monthly_deposit_post
from deposits.services.base_adjustment import base_adjust, month_terms
from deposits.services.lifecycle import unit_application_submit, voluntary_account_open
from deposits.services.voluntary import debit_reference, voluntary_debit_daily
from fund.dates import add_months
from fund.demo import make_id_number
from fund.integrations import entrusted_bank
from fund.integrations.models import SandboxBankAccount, SandboxBankPayment, SandboxSocialInsurance
from fund.ledger.models import BusinessType
from fund.ledger.selectors import ledger_reconcile
from fund.policy.definitions import Group, Kind, definition_find
from fund.policy.models import PolicyValue
from fund.policy.selectors import policy_value
from tests.clock import this_month, today
from tests.conftest import member_name

pytestmark = pytest.mark.django_db



# 3. 缓缴/降比例最长期限 -------------------------------------------------------------------------------------

def test_the_deferral_limit_is_a_policy_and_changing_it_changes_what_an_application_may_cover(world):
    definition = definition_find("deposit_deferral_max_months")
    assert (definition.kind, definition.group, definition.unit) == (Kind.INTEGER, Group.DEPOSITS, "个月")
    assert policy_value("deposit_deferral_max_months") == 12  # seeded by the migrations (and the fixture)

    def apply(months: int):
        return unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind="deferral",
                                       start_month=this_month(), end_month=add_months(this_month(), months - 1),
                                       reason="经营困难")

    with pytest.raises(ValidationError) as exc:
        apply(13)
    assert exc.value.message_dict["end_month"] == ["一次申请最长 12 个月"]
    # The city shortens it to 6 months from today: 7 is refused, 6 accepted.
    PolicyValue.objects.create(name="deposit_deferral_max_months", number=Decimal(6), effective_from=today(),
                               note="测试：缩短缓缴期限")
    with pytest.raises(ValidationError) as exc:
        apply(7)
    assert exc.value.message_dict["end_month"] == ["一次申请最长 6 个月"]
    assert apply(6).end_month == add_months(this_month(), 5)


# 4. a month's deposit after a later base adjustment ---------------------------------------------------------

def test_a_back_pay_for_an_old_month_after_a_raise_uses_the_old_base(world):
    account = world.account_a  # base 8000, 12% + 12% → 960 + 960, first month 2025-02
    raise_from = add_months(this_month(), 1)  # a raise effective next month, entered today
    base_adjust(actor=world.clerk, account=account, new_base=Decimal("10000.00"), effective_month=raise_from)
    account.refresh_from_db()
    assert (account.base, account.unit_monthly) == (Decimal("10000.00"), Decimal("1200.00"))  # the account moved

    old_month = date(2025, 3, 1)
    deposit, created = monthly_deposit_post(actor=world.clerk, account=account, month=old_month)
    assert created and deposit.entry.business_type == BusinessType.GJ_BACKPAY
    assert (deposit.base, deposit.unit_amount, deposit.member_amount) == (
        Decimal("8000.00"), Decimal("960.00"), Decimal("960.00"))
    assert deposit.entry.lines.get(account__code="201").credit == Decimal("1920.00")
    # This month is still before the raise: the old amounts too.
    this, _ = monthly_deposit_post(actor=world.clerk, account=account, month=this_month())
    assert this.unit_amount + this.member_amount == Decimal("1920.00")
    assert month_terms(account, raise_from).total == Decimal("2400.00")
    assert ledger_reconcile() == []


def test_months_on_either_side_of_a_past_adjustment(world):
    account = world.account_a
    base_adjust(actor=world.clerk, account=account, new_base=Decimal("9000.00"), effective_month=date(2025, 7, 1))
    account.refresh_from_db()
    june, _ = monthly_deposit_post(actor=world.clerk, account=account, month=date(2025, 6, 1))
    july, _ = monthly_deposit_post(actor=world.clerk, account=account, month=date(2025, 7, 1))
    assert (june.base, june.unit_amount) == (Decimal("8000.00"), Decimal("960.00"))
    assert (july.base, july.unit_amount) == (Decimal("9000.00"), Decimal("1080.00"))
    assert ledger_reconcile() == []


# 5. voluntary depositors at the end of the month --------------------------------------------------------------

def _voluntary(world, seq: int, *, balance: str, pay_day: int = 28, opened_on=date(2025, 1, 10)):
    number = make_id_number(birth=date(1990, 5, 5), seq=800 + seq)
    SandboxSocialInsurance.objects.update_or_create(id_number=number, defaults={"months_local": 36})
    body = f"62220300{seq:010d}"
    SandboxBankAccount.objects.create(account_number=body + luhn.calc_check_digit(body), name=member_name(seq, "月末"),
                                      balance=Decimal(balance))
    account = voluntary_account_open(
        actor=world.clerk, branch=world.branch_a, id_number=number, name=member_name(seq, "月末"), base=Decimal("5000.00"),
        bank_card=body + luhn.calc_check_digit(body), opened_on=opened_on,
    )
    UnitAccount.objects.filter(pk=account.unit_id).update(pay_day=pay_day)
    return account


def _payments(account, month):
    return list(SandboxBankPayment.objects.filter(reference__startswith=f"DK{account.number}{month:%Y%m}")
                .order_by("id"))


def test_pay_day_28_in_a_28_day_february_debits_on_the_last_day_and_not_again_in_march(world):
    feb, mar = date(2025, 2, 1), date(2025, 3, 1)
    account = _voluntary(world, 1, balance="10.00")  # too little: the debit fails
    assert voluntary_debit_daily(on=date(2025, 2, 27))["due"] == 0  # before the pay day: nothing
    assert _payments(account, feb) == []
    last_day = voluntary_debit_daily(on=date(2025, 2, 28))  # pay day = the month's last day
    assert last_day["due"] == 1 and last_day["failed"] == 1 and len(_payments(account, feb)) == 1
    # March 1st: February's window has closed — no new debit for it; March's pay day has not come.
    SandboxBankAccount.objects.filter(account_number=account.bank_card).update(balance=Decimal("100000.00"))
    first = voluntary_debit_daily(on=date(2025, 3, 1))
    assert first["due"] == 0 and first["previous_month"]["failed"] == 1
    assert len(_payments(account, feb)) == 1 and _payments(account, mar) == []
    assert not MonthlyDeposit.objects.filter(account=account).exists()


def test_a_failed_debit_is_retried_daily_to_the_31st_then_never_again(world):
    mar, apr = date(2025, 3, 1), date(2025, 4, 1)
    account = _voluntary(world, 2, balance="10.00")
    for day in (28, 29, 30):
        report = voluntary_debit_daily(on=date(2025, 3, day))
        assert report["failed"] == 1
    assert len(_payments(account, mar)) == 3  # one attempt a day, each under its own reference
    SandboxBankAccount.objects.filter(account_number=account.bank_card).update(balance=Decimal("100000.00"))
    report = voluntary_debit_daily(on=date(2025, 3, 31))
    assert report["posted"] == 1
    deposit = MonthlyDeposit.objects.get(account=account, month=mar)
    assert deposit.entry.value_date == date(2025, 3, 31) and deposit.entry.business_type == BusinessType.GJ_REMIT
    assert [p.status for p in _payments(account, mar)] == ["failed", "failed", "failed", "succeeded"]
    for day in (1, 2):
        again = voluntary_debit_daily(on=date(2025, 4, day))
        assert again["previous_month"]["already_paid"] == 1
    assert len(_payments(account, mar)) == 4 and _payments(account, apr) == []
    assert ledger_reconcile() == []


def test_money_taken_on_the_last_day_but_not_posted_is_posted_next_month_without_a_second_debit(world):
    feb = date(2025, 2, 1)
    account = _voluntary(world, 3, balance="10000.00")
    # The last day's run took the money and died before posting.
    entrusted_bank().collect(account_number=account.bank_card, name=account.person.name,
                             amount=account.monthly_total, reference=debit_reference(account, feb, 0))
    report = voluntary_debit_daily(on=date(2025, 3, 1))
    assert report["previous_month"]["posted"] == 1
    deposit = MonthlyDeposit.objects.get(account=account, month=feb)
    assert deposit.entry.business_type == BusinessType.GJ_BACKPAY and deposit.entry.value_date == date(2025, 3, 1)
    assert len(_payments(account, feb)) == 1
    assert SandboxBankAccount.objects.get(account_number=account.bank_card).balance == (
        Decimal("10000.00") - account.monthly_total)
    voluntary_debit_daily(on=date(2025, 3, 2))
    assert len(_payments(account, feb)) == 1 and MonthlyDeposit.objects.filter(account=account).count() == 1
    assert ledger_reconcile() == []


def test_a_voluntary_debit_uses_the_months_amount_after_a_later_raise(world):
    account = _voluntary(world, 4, balance="100000.00", opened_on=today() - timedelta(days=70))
    month = account.first_month
    old_total = account.monthly_total
    base_adjust(actor=world.clerk, account=account, new_base=Decimal("6000.00"), effective_month=add_months(this_month(), 1))
    account.refresh_from_db()
    assert account.monthly_total > old_total
    voluntary_debit_daily(on=today() if month == this_month() else month.replace(day=28))
    [payment] = _payments(account, month)
    assert payment.amount == old_total
    assert MonthlyDeposit.objects.get(account=account, month=month).unit_amount * 2 == old_total
