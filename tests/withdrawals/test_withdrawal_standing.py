"""逐月提取: signing on a commercial loan, one withdrawal a month on or after the day, skipped while another is in
flight, stopped when ended, and kept apart from the one-off repayment's 12-month rule."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.dates import add_months
from fund.ledger.selectors import ledger_reconcile
from tests.withdrawals.conftest import submit_decided
from withdrawals.loans import housing_loans
from withdrawals.models import Channel, StandingState, Withdrawal, WithdrawalState
from withdrawals.services import standing_end, standing_run, standing_sign, withdrawal_cancel

pytestmark = pytest.mark.django_db


def sign(wd: Any, day: int = 1, **loan: str) -> Any:
    wd.commercial_loan(**loan)
    key = housing_loans(wd.person.id_number)[0].key
    return standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=wd.card, day=day)


def run(capture: Any, today: Any) -> dict[str, int]:
    with capture(execute=True):
        return standing_run(today=today)


def test_signing_needs_a_loan_on_the_credit_report(wd):
    with pytest.raises(ValidationError) as err:
        standing_sign(actor=wd.world.member_a, account=wd.account, loan="commercial:nothing", payee_card=wd.card)
    assert "loan" in err.value.message_dict


def test_one_paid_withdrawal_a_month_of_the_instalment(signing_day, wd, django_capture_on_commit_callbacks):
    today = signing_day
    instruction = sign(wd, day=today.day, instalment="2500.00")
    assert instruction.monthly_amount == Decimal("2500.00") and instruction.state == StandingState.ACTIVE
    assert run(django_capture_on_commit_callbacks, today - timedelta(days=1)) == {"made": 0, "skipped": 0}
    before = wd.balance
    assert run(django_capture_on_commit_callbacks, today)["made"] == 1
    w = Withdrawal.objects.get(standing=instruction)
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.channel == Channel.STANDING and w.standing_month == today.replace(day=1)
    assert w.amount == Decimal("2500.00") and wd.balance == before - Decimal("2500.00")
    # Again the same month (a second beat, a second worker): nothing.
    assert run(django_capture_on_commit_callbacks, today)["made"] == 0
    assert run(django_capture_on_commit_callbacks, today + timedelta(days=1))["made"] == 0
    assert Withdrawal.objects.filter(standing=instruction).count() == 1
    assert ledger_reconcile() == []


def test_the_monthly_amount_is_at_most_the_balance(wd, django_capture_on_commit_callbacks):
    sign(wd, instalment="30000.00", balance="500000.00")
    balance = wd.balance
    assert run(django_capture_on_commit_callbacks, timezone.localdate())["made"] == 1
    w = Withdrawal.objects.get(standing__isnull=False)
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.amount == balance == Decimal("23040.00") and wd.balance == 0
    assert ledger_reconcile() == []


def test_a_month_with_a_withdrawal_in_flight_is_skipped_and_made_the_next_day(wd, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    instruction = sign(wd)
    wd.home(wd.person.id_number, "鲁(2026)示范市不动产权第0000401号")
    rent = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                          amount="100.00")
    assert rent.state == WithdrawalState.REVIEW
    assert run(django_capture_on_commit_callbacks, today) == {"made": 0, "skipped": 1}
    instruction.refresh_from_db()
    assert "在办" in instruction.last_note and instruction.last_month is None
    withdrawal_cancel(actor=wd.world.member_a, withdrawal=rent)
    nxt = today + timedelta(days=1)
    if nxt.month != today.month:  # the last day of a month: the next day is the next month's run
        nxt = today
    assert run(django_capture_on_commit_callbacks, nxt)["made"] == 1
    w = Withdrawal.objects.get(standing=instruction)
    assert w.state == WithdrawalState.PAID and w.standing_month == today.replace(day=1)
    assert ledger_reconcile() == []


def test_ending_it_stops_it(wd, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    instruction = sign(wd)
    assert run(django_capture_on_commit_callbacks, today)["made"] == 1
    next_month = add_months(today.replace(day=1), 1)
    assert run(django_capture_on_commit_callbacks, next_month)["made"] == 1
    with pytest.raises(ValidationError):
        standing_end(actor=wd.world.member_a, instruction=instruction, reason=" ")
    standing_end(actor=wd.world.member_a, instruction=instruction, reason="贷款已结清")
    instruction.refresh_from_db()
    assert instruction.state == StandingState.ENDED and instruction.ended_on == today
    assert run(django_capture_on_commit_callbacks, add_months(next_month, 1)) == {"made": 0, "skipped": 0}
    assert Withdrawal.objects.filter(standing=instruction).count() == 2
    assert ledger_reconcile() == []


def test_a_one_off_repayment_after_standing_ones_is_not_limited_by_them(wd, django_capture_on_commit_callbacks):
    sign(wd)
    assert run(django_capture_on_commit_callbacks, timezone.localdate())["made"] == 1
    assert Withdrawal.objects.get(standing__isnull=False).state == WithdrawalState.PAID
    one_off = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                             reason="06", amount="1000.00")
    assert one_off.state == WithdrawalState.PAID, one_off.decision_note
    assert one_off.checks.get(rule="frequency").passed
    assert ledger_reconcile() == []


def test_standing_withdrawals_after_a_one_off_repayment_are_not_limited_by_it(wd, django_capture_on_commit_callbacks):
    wd.commercial_loan()
    one_off = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                             reason="06", amount="1000.00")
    assert one_off.state == WithdrawalState.PAID
    key = housing_loans(wd.person.id_number)[0].key
    standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=wd.card, day=1)
    assert run(django_capture_on_commit_callbacks, timezone.localdate())["made"] == 1
    w = Withdrawal.objects.get(standing__isnull=False)
    assert w.state == WithdrawalState.PAID, w.decision_note


def test_a_standing_instruction_for_the_spouses_loan_pays_its_instalment(
    signing_day, wd, django_capture_on_commit_callbacks
):
    """本人或配偶的住房贷款, as for a one-off repayment: the loan listed, signed and repaid monthly is the spouse's,
    found through the marriage registry."""
    from rest_framework.test import APIClient

    spouse_id, spouse_name = wd.spouse()
    wd.commercial_loan(balance="200000.00", instalment="1800.00", holder=spouse_id, lender="工商银行示范分行")
    client = APIClient()
    client.force_authenticate(wd.world.member_a)
    listed = client.get(f"/api/withdrawals/accounts/{wd.account.pk}/loans/").json()
    assert [(loan["lender"], loan["spouse_name"]) for loan in listed] == [("工商银行示范分行", spouse_name)]
    today = signing_day
    instruction = standing_sign(actor=wd.world.member_a, account=wd.account, loan=listed[0]["key"],
                                payee_card=wd.card, day=today.day)
    assert instruction.monthly_amount == Decimal("1800.00") and instruction.lender == "工商银行示范分行"
    assert run(django_capture_on_commit_callbacks, today)["made"] == 1
    w = Withdrawal.objects.get(standing=instruction)
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("1800.00"), w.decision_note
    check = w.checks.get(rule="loan")
    assert spouse_name in check.detail and check.evidence["marriage_call_id"]
    assert ledger_reconcile() == []


def test_it_refuses_an_end_reason_on_more_than_one_line_or_too_long_and_keeps_it_active(wd):
    instruction = sign(wd)
    for reason, message in (("贷款已结清\n另附说明", "终止原因不能含有换行"), ("长" * 201, "终止原因不能超过200字")):
        with pytest.raises(ValidationError) as refused:
            standing_end(actor=wd.world.member_a, instruction=instruction, reason=reason)
        assert message in refused.value.message_dict["reason"][0]
    instruction.refresh_from_db()
    assert instruction.state == StandingState.ACTIVE and instruction.end_reason == ""
