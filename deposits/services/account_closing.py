"""A member account closed by a withdrawal (提取销户, 05), and reopened as it was when the bank refused that
withdrawal's payout. The withdrawals line calls these; the account's moves, its history row and its account
event (shown on the account's page) stay deposits' business."""

from __future__ import annotations

from typing import Any

from fund.workflow.moves import move_status

from ..models import AccountBusiness, AccountEvent, MemberAccount, MemberState
from ..states import MEMBER_ACCOUNT_MOVES


def account_close_by_withdrawal(*, account: MemberAccount, withdrawal_number: str, actor: Any) -> str:
    """提取销户: the account (locked by the caller) moves to 05 in the withdrawal's transaction; returns the state
    it left, which the withdrawal keeps to restore it if the payout is refused."""
    old = move_status(account, MemberState.WITHDRAWN, table=MEMBER_ACCOUNT_MOVES, expect=account.state, actor=actor,
                      action="deposits.member.closed_by_withdrawal", verb="提取销户",
                      note={"number": withdrawal_number})
    AccountEvent.objects.create(
        unit=account.unit, account=account, business_type=AccountBusiness.CLOSING_WITHDRAWAL,
        summary=f"提取销户（{withdrawal_number}）"[:60], old_state=old, new_state=MemberState.WITHDRAWN,
        detail={"withdrawal": withdrawal_number}, actor=actor if getattr(actor, "pk", None) else None,
    )
    return old


def account_reopen_after_refused_payout(*, account: MemberAccount, prior_state: str, withdrawal_number: str) -> bool:
    """The bank refused the closing withdrawal's payout and the money is back: the account returns to the state
    it had before (normal or sealed). False when it is no longer closed by that withdrawal (nothing to undo)."""
    account = MemberAccount.objects.select_for_update().get(pk=account.pk)
    if account.state != MemberState.WITHDRAWN or not prior_state:
        return False
    move_status(account, prior_state, table=MEMBER_ACCOUNT_MOVES, actor=None,
                action="deposits.member.reopened_after_refused_payout", verb="恢复",
                note={"number": withdrawal_number})
    AccountEvent.objects.create(
        unit=account.unit, account=account, business_type=AccountBusiness.CLOSING_WITHDRAWAL,
        summary=f"提取付款失败，恢复账户（{withdrawal_number}）"[:60], old_state=MemberState.WITHDRAWN,
        new_state=prior_state, detail={"withdrawal": withdrawal_number},
    )
    return True
