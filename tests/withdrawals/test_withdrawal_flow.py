"""The main flows end to end, with eager tasks: 秒批 and payout, manual review, failed payout and retry."""

from decimal import Decimal
from typing import Any

import pytest

from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import AttemptStatus as PayoutStatus
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_review, withdrawal_submit

pytestmark = pytest.mark.django_db


def submit(wd: Any, capture: Any, **kw: Any) -> Withdrawal:
    values = {"actor": wd.world.member_a, "account": wd.account, "reason": "07", "channel": "online"}
    values.update(kw)
    with capture(execute=True):
        w = withdrawal_submit(**values)
    w.refresh_from_db()
    return w


def test_rent_is_auto_approved_and_paid_once(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    before = wd.balance
    w = submit(wd, django_capture_on_commit_callbacks, amount="1500.00")
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.decider == "auto"
    assert w.amount == Decimal("1500.00")
    assert wd.balance == before - Decimal("1500.00")
    assert [c.passed for c in w.checks.all()] == [True] * w.checks.count()
    assert w.payouts.get().status == PayoutStatus.SUCCEEDED
    wd.bank_account.refresh_from_db()
    assert wd.bank_account.balance == Decimal("1500.00")
    assert ledger_reconcile() == []


def test_rent_with_a_home_goes_to_two_person_review(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000101号")
    w = submit(wd, django_capture_on_commit_callbacks)
    assert w.state == WithdrawalState.REVIEW
    assert "本市有房" in w.decision_note
    failed = w.checks.get(rule="no_home")
    assert not failed.passed and failed.evidence["property_call_ids"]
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.reviewer2, withdrawal=w, approve=True, opinion="租房合同已核")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        withdrawal_review(actor=wd.reviewer2, withdrawal=w, approve=True, opinion="同意")
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.decider == "manual"
    assert ledger_reconcile() == []


def test_a_withdrawal_in_flight_blocks_transfer_out(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    from deposits.services.transfer import transfer_out_blockers

    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000102号")
    wd.seal()
    w = submit(wd, django_capture_on_commit_callbacks)
    assert w.state == WithdrawalState.REVIEW
    assert any(w.number in reason for reason in transfer_out_blockers(wd.account))


def test_an_account_frozen_before_the_decision_goes_to_people_and_pays_nothing(wd: Any) -> None:
    from deposits.services.lifecycle import member_account_freeze
    from withdrawals.services.decision import withdrawal_decide

    before = wd.balance
    w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="1000.00")
    member_account_freeze(actor=wd.world.clerk, account=wd.account, reason="法院协助冻结")
    w = withdrawal_decide(withdrawal_id=w.pk)
    assert w.state == WithdrawalState.REVIEW and "账户已冻结" in w.decision_note
    assert wd.balance == before and not w.payouts.exists()


def test_a_lost_decision_is_queued_again_and_decided_once(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from withdrawals.tasks import decide_stale_task

    w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="1000.00")
    # Its task never ran (no on-commit here: as if the broker was down). Not yet stale: nothing is queued.
    assert decide_stale_task() == 0
    Withdrawal.objects.filter(pk=w.pk).update(submitted_at=timezone.now() - timedelta(minutes=5))
    assert decide_stale_task() == 1  # eager in tests: decided and paid now
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.payouts.count() == 1
    assert decide_stale_task() == 0
    assert ledger_reconcile() == []
