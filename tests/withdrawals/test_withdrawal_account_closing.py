"""A closing withdrawal closes the member account through deposits (提取销户, with its history row and an
account event the account's page shows), and a refused payout reopens it the same way."""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from deposits.models import AccountBusiness, MemberAccount, MemberState
from fund.integrations.models import SandboxBankAccount
from fund.workflow.moves import status_history
from tests.withdrawals.conftest import submit_decided
from withdrawals.models import WithdrawalState

pytestmark = pytest.mark.django_db


def history_page(wd: Any) -> str:
    client = Client()
    client.force_login(wd.world.clerk)
    response = client.get(f"/staff/members/{wd.account.pk}/manage/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_closing_withdrawal_shows_on_the_account_history_as_closed_by_withdrawal(wd, django_capture_on_commit_callbacks):
    wd.social(employer=False, retired_on=date(2026, 1, 1))
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="03")
    assert w.state == WithdrawalState.PAID
    account = MemberAccount.objects.get(pk=wd.account.pk)
    assert account.state == MemberState.WITHDRAWN
    [event] = account.events.filter(business_type=AccountBusiness.CLOSING_WITHDRAWAL)
    assert (event.old_state, event.new_state) == (MemberState.NORMAL, MemberState.WITHDRAWN) and w.number in event.summary
    assert [(c.old, c.new, c.action) for c in status_history(account)] == [
        (MemberState.NORMAL, MemberState.WITHDRAWN, "deposits.member.closed_by_withdrawal")]
    page = history_page(wd)
    assert "提取销户" in page and w.number in page


def test_a_refused_closing_payout_reopens_the_account_with_its_event(wd, django_capture_on_commit_callbacks):
    wd.social(employer=False, retired_on=date(2026, 1, 1))
    SandboxBankAccount.objects.filter(pk=wd.bank_account.pk).update(fail_payouts=True)
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="03")
    assert w.state == WithdrawalState.PAYOUT_FAILED
    account = MemberAccount.objects.get(pk=wd.account.pk)
    assert account.state == MemberState.NORMAL
    events = list(account.events.filter(business_type=AccountBusiness.CLOSING_WITHDRAWAL).order_by("id"))
    assert [(e.old_state, e.new_state) for e in events] == [
        (MemberState.NORMAL, MemberState.WITHDRAWN), (MemberState.WITHDRAWN, MemberState.NORMAL)]
    assert [c.action for c in status_history(account)] == [
        "deposits.member.closed_by_withdrawal", "deposits.member.reopened_after_refused_payout"]
    assert "恢复账户" in history_page(wd)
