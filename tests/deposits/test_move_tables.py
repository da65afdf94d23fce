"""Deposits' statuses move only through their move tables (deposits.states): every action's move is in its
table, each move leaves a history row and one audit event, and a move the table refuses names the state."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from deposits.models import BillState, MemberState, PaymentChannel
from deposits.services.lifecycle import MEMBER_MOVES, UNIT_MOVES, member_account_seal
from deposits.services.remittance import bill_cancel, bill_confirm, bill_generate, bill_post
from deposits.states import BILL_MOVES, MEMBER_ACCOUNT_MOVES, UNIT_ACCOUNT_MOVES
from fund.audit.models import AuditEvent
from fund.workflow.moves import status_history

FEB = date(2025, 2, 1)


def test_every_actions_move_is_one_its_table_allows():
    for action, starts in MEMBER_MOVES.items():
        for old, new in starts.items():
            targets = [new] if new else [MemberState.NORMAL, MemberState.SEALED]  # 解冻: back to where it was
            assert all(MEMBER_ACCOUNT_MOVES.allows(old, t) for t in targets), action
    for action, unit_starts in UNIT_MOVES.items():
        assert all(UNIT_ACCOUNT_MOVES.allows(old, new) for old, new in unit_starts.items()), action


@pytest.mark.django_db
def test_a_member_move_leaves_a_history_row_and_one_audit_event(world):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    [change] = status_history(world.account_a)
    assert (change.old, change.new, change.action, change.actor) == (
        MemberState.NORMAL, MemberState.SEALED, "deposits.member.sealed", world.unit_a_op)
    assert AuditEvent.objects.filter(target_id=str(world.account_a.pk), action="deposits.member.sealed").count() == 1


@pytest.mark.django_db
def test_a_bills_moves_follow_the_bill_table_with_history(world):
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    bill_confirm(actor=world.unit_a_op, bill=bill)
    with pytest.raises(ValidationError, match="缴款单状态为“已确认待缴款”，不能确认"):
        bill_confirm(actor=world.unit_a_op, bill=bill)
    bill, created = bill_post(bill=bill, bank_reference="SLIP-9", channel=PaymentChannel.COUNTER, actor=world.clerk)
    assert created and bill.state == BillState.PAID
    assert [(c.old, c.new) for c in status_history(bill)] == [
        (BillState.DRAFT, BillState.CONFIRMED), (BillState.CONFIRMED, BillState.PAID)]
    assert not BILL_MOVES.allows(BillState.PAID, BillState.CANCELLED)
    with pytest.raises(ValidationError, match="已入账"):
        bill_cancel(actor=world.unit_a_op, bill=bill)
    paid = AuditEvent.objects.get(action="deposits.bill.paid", target_id=str(bill.pk))
    assert paid.old == {"state": BillState.CONFIRMED} and paid.new["bank_reference"] == "SLIP-9"
