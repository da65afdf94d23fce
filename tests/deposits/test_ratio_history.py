"""A unit's ratio history: every amount for a month uses the ratios in force in THAT month.

unit_a deposits at 12 % + 12 % of account_a's base 8000 (960 + 960) from 2025-02. It is granted a ratio
reduction to 8 % + 8 % (640 + 640) for June–August 2025; September is back at 12 %. Back-pay (补缴) for a
month before the period, made while the period runs, and back-pay for a month inside the period, made after it
ended, must each use that month's ratios, through the bill generator and through the window's posting alike.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deposits.models import (
    BillKind,
    MonthlyDeposit,
    PaymentChannel,
    RatioSource,
    UnitAccount,
    UnitApplication,
    UnitRatioChange,
)
from deposits.selectors import unit_ratios_on
from deposits.services import monthly_deposit_post
from deposits.services.base_adjustment import base_adjust, month_terms
from deposits.services.lifecycle import (
    special_unit_for_branch,
    unit_account_change,
    unit_application_approve,
    unit_application_review,
    unit_application_submit,
    unit_applications_due_run,
)
from deposits.services.remittance import bill_confirm, bill_generate, bill_post
from fund.ledger.selectors import ledger_reconcile
from fund.people.models import Post
from tests.conftest import PASSWORD, open_unit

pytestmark = pytest.mark.django_db

FULL, REDUCED = Decimal("0.1200"), Decimal("0.0800")
MAR, APR, MAY, JUN, JUL, AUG, SEP = (date(2025, m, 1) for m in range(3, 10))
DURING = date(2025, 6, 20)  # the reduction is in effect
AFTER = date(2025, 9, 10)  # the reduction has ended
IN_AUGUST = date(2025, 8, 15)  # still in effect


def staff(username, branch, posts):
    from fund.people.services import staff_create

    return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                        employee_number=username, password=PASSWORD)


def reduce_ratios(world, start=JUN, end=AUG, today=date(2025, 6, 5)) -> UnitApplication:
    """June–August at 8 % + 8 %, approved by two people; it takes effect at once (its first month has come)."""
    application = unit_application_submit(
        actor=world.unit_a_op, unit=world.unit_a, kind="ratio", start_month=start, end_month=end,
        reason="经营困难", unit_ratio=REDUCED, member_ratio=REDUCED, today=today,
    )
    unit_application_review(actor=staff("reviewer", world.branch_a, [Post.REVIEW]), application=application,
                            approve=True)
    unit_application_approve(actor=staff("approver", world.branch_a, [Post.APPROVE]), application=application,
                             approve=True, today=today)
    application.refresh_from_db()
    assert application.state == "in_effect"
    return application


def end_reduction() -> None:
    assert unit_applications_due_run(today=SEP)["ended"] == 1


def pay(world, bill):
    bill = bill_confirm(actor=world.unit_a_op, bill=bill)
    bill, created = bill_post(bill=bill, bank_reference=f"SLIP-{bill.pk}", channel=PaymentChannel.COUNTER,
                              actor=world.clerk)
    assert created
    return bill


def line_amounts(bill) -> tuple[Decimal, Decimal]:
    (line,) = bill.lines.all()
    return line.unit_amount, line.member_amount


def backpay_bill(world, month, today):
    return bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=month, kind=BillKind.BACKPAY,
                         reason="漏缴补缴", accounts=[world.account_a], today=today)


def history(unit) -> list[tuple]:
    return list(UnitRatioChange.objects.filter(unit=unit).order_by("effective_month", "id")
                .values_list("effective_month", "unit_ratio", "member_ratio", "source"))


# ---- the history is written where the ratios change ----------------------------------------------------------

def test_opening_writes_the_first_row(world):
    (row,) = UnitRatioChange.objects.filter(unit=world.unit_a)
    assert (row.effective_month, row.unit_ratio, row.member_ratio, row.source, row.actor) == (
        date(2025, 1, 1), FULL, FULL, RatioSource.OPENING, world.clerk)
    other = open_unit(world.clerk, world.branch_a, 7, unit_ratio=Decimal("0.10"), member_ratio=Decimal("0.06"),
                      opened_on=date(2025, 3, 17))
    assert history(other) == [(MAR, Decimal("0.1000"), Decimal("0.0600"), RatioSource.OPENING)]


def test_a_branchs_special_unit_gets_its_first_row_too(world):
    unit = special_unit_for_branch(actor=world.clerk, branch=world.branch_b, on=date(2025, 4, 9))
    assert history(unit) == [(APR, unit.unit_ratio, unit.member_ratio, RatioSource.OPENING)]


def test_a_reduction_records_its_start_and_its_end(world):
    application = reduce_ratios(world)
    assert history(world.unit_a)[1:] == [(JUN, REDUCED, REDUCED, RatioSource.REDUCTION)]
    end_reduction()
    assert history(world.unit_a) == [
        (date(2025, 1, 1), FULL, FULL, RatioSource.OPENING),
        (JUN, REDUCED, REDUCED, RatioSource.REDUCTION),
        (SEP, FULL, FULL, RatioSource.REDUCTION_END),
    ]
    assert set(UnitRatioChange.objects.filter(unit=world.unit_a, effective_month__gte=JUN)
               .values_list("application_id", flat=True)) == {application.pk}
    assert [unit_ratios_on(world.unit_a, m) for m in (date(2024, 11, 1), MAY, JUN, date(2025, 8, 31), SEP)] == [
        (FULL, FULL), (FULL, FULL), (REDUCED, REDUCED), (REDUCED, REDUCED), (FULL, FULL)]


def test_a_unit_change_cannot_touch_the_ratios_and_writes_no_history(world):
    with pytest.raises(ValidationError) as caught:
        unit_account_change(actor=world.clerk, unit=world.unit_a, unit_ratio=REDUCED)
    assert "unit_ratio" in caught.value.message_dict
    assert len(history(world.unit_a)) == 1
    assert UnitAccount.objects.get(pk=world.unit_a.pk).unit_ratio == FULL


# ---- amounts for a month use that month's ratios ----------------------------------------------------------------

def test_back_pay_for_a_month_before_the_reduction_made_during_it_uses_the_full_ratios(world):
    reduce_ratios(world)
    world.account_a.refresh_from_db()
    assert (world.account_a.unit_monthly, world.account_a.member_monthly) == (Decimal("640.00"), Decimal("640.00"))
    bill = backpay_bill(world, APR, today=DURING)
    assert line_amounts(bill) == (Decimal("960.00"), Decimal("960.00"))
    pay(world, bill)
    deposit, created = monthly_deposit_post(actor=world.clerk, account=world.account_a, month=MAR, value_date=DURING)
    assert created and (deposit.unit_amount, deposit.member_amount) == (Decimal("960.00"), Decimal("960.00"))
    assert deposit.entry.lines.get(account__code="101").debit == Decimal("1920.00")
    # The month itself, inside the period, at the reduced ratios.
    remit = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=JUN, today=DURING)
    assert line_amounts(remit) == (Decimal("640.00"), Decimal("640.00"))
    pay(world, remit)
    assert ledger_reconcile() == []


def test_after_the_period_months_inside_it_use_the_reduced_ratios_and_later_ones_the_full(world):
    reduce_ratios(world)
    end_reduction()
    world.account_a.refresh_from_db()
    assert (world.account_a.unit_monthly, world.account_a.member_monthly) == (Decimal("960.00"), Decimal("960.00"))
    inside = backpay_bill(world, JUL, today=AFTER)
    assert line_amounts(inside) == (Decimal("640.00"), Decimal("640.00"))
    pay(world, inside)
    deposit, _ = monthly_deposit_post(actor=world.clerk, account=world.account_a, month=AUG, value_date=AFTER)
    assert (deposit.unit_amount, deposit.member_amount) == (Decimal("640.00"), Decimal("640.00"))
    later = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=SEP, today=AFTER)
    assert line_amounts(later) == (Decimal("960.00"), Decimal("960.00"))
    pay(world, later)
    before, _ = monthly_deposit_post(actor=world.clerk, account=world.account_a, month=MAY, value_date=AFTER)
    assert before.unit_amount + before.member_amount == Decimal("1920.00")
    assert MonthlyDeposit.objects.filter(account=world.account_a).count() == 4
    assert ledger_reconcile() == []


def test_a_reduction_overrides_the_ratios_of_an_earlier_base_adjustment_but_not_its_base(world):
    # A base of 9000 from March, adjusted while the unit was at 12 %.
    base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("9000.00"), effective_month=MAR)
    reduce_ratios(world)
    world.account_a.refresh_from_db()
    assert month_terms(world.account_a, APR).total == Decimal("2160.00")  # 9000 × 24 %
    assert month_terms(world.account_a, JUL).total == Decimal("1440.00")  # 9000 × 16 %
    bill = backpay_bill(world, JUL, today=IN_AUGUST)
    assert line_amounts(bill) == (Decimal("720.00"), Decimal("720.00"))
    before = backpay_bill(world, APR, today=DURING)
    assert line_amounts(before) == (Decimal("1080.00"), Decimal("1080.00"))
    end_reduction()
    world.account_a.refresh_from_db()
    assert month_terms(world.account_a, SEP).total == Decimal("2160.00")
    assert month_terms(world.account_a, AUG).total == Decimal("1440.00")


def test_a_later_base_adjustment_gives_its_old_base_at_the_months_ratios(world):
    reduce_ratios(world)
    end_reduction()
    # Effective October: the months before it keep the old base 8000, each at its own ratios.
    base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("10000.00"),
                effective_month=date(2025, 10, 1))
    world.account_a.refresh_from_db()
    assert month_terms(world.account_a, JUL).total == Decimal("1280.00")
    assert month_terms(world.account_a, MAY).total == Decimal("1920.00")
    assert line_amounts(backpay_bill(world, JUL, today=AFTER)) == (Decimal("640.00"), Decimal("640.00"))
    assert month_terms(world.account_a, date(2025, 10, 1)).total == Decimal("2400.00")


def test_an_adjustment_made_after_a_ratio_change_keeps_its_own_ratios(world):
    reduce_ratios(world)
    # During the period, a member-specific adjustment from July at 10 % + 10 % governs July on.
    base_adjust(actor=world.clerk, account=world.account_a, new_base=Decimal("8000.00"), effective_month=JUL,
                unit_ratio=Decimal("0.10"), member_ratio=Decimal("0.10"))
    world.account_a.refresh_from_db()
    assert month_terms(world.account_a, JUN).total == Decimal("1280.00")
    assert month_terms(world.account_a, JUL).total == Decimal("1600.00")
    assert line_amounts(backpay_bill(world, JUL, today=IN_AUGUST)) == (Decimal("800.00"), Decimal("800.00"))


def test_a_unit_without_history_falls_back_to_its_current_ratios(world):
    UnitRatioChange.objects.filter(unit=world.unit_b).delete()
    assert unit_ratios_on(world.unit_b, MAR) == (FULL, FULL)
    assert month_terms(world.account_b, MAR).total == Decimal("1920.00")
