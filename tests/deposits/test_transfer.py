"""异地转移接续: in through the platform sandbox, out on a received letter, with the preconditions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deposits.models import CrossRegionTransfer, MemberAccount, MemberState
from deposits.services.transfer import transfer_in_advance, transfer_in_apply, transfer_out_execute
from fund.integrations.models import TransferStatus
from fund.integrations.transfer import sandbox_set_status, sandbox_transfer_out
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile

pytestmark = pytest.mark.django_db


def apply_in(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the letter goes out after commit
        return transfer_in_apply(actor=world.clerk, account=world.account_a, from_centre="武汉住房公积金管理中心",
                                 from_account_number="420100123456")


def test_a_transfer_in_runs_from_letter_to_money_to_confirmation(world, django_capture_on_commit_callbacks):
    transfer = apply_in(world, django_capture_on_commit_callbacks)
    transfer.refresh_from_db()
    assert transfer.letter_number and transfer.status == TransferStatus.LETTER_REVIEWED
    assert transfer_in_advance(transfer_id=transfer.pk).entry_id is None  # nothing sent yet: nothing posted

    sandbox_transfer_out(letter_number=transfer.letter_number, principal=Decimal("52000.00"), interest=Decimal("312.50"))
    transfer = transfer_in_advance(transfer_id=transfer.pk)
    account = MemberAccount.objects.get(pk=world.account_a.pk)
    assert transfer.status == TransferStatus.DONE and transfer.finished
    assert account.sub_account.balance == Decimal("52312.50")
    assert account.sub_account.prior_year == Decimal("52312.50")  # brought-over money is carried-over balance
    assert transfer.entry.business_type == "GJ08"

    again = transfer_in_advance(transfer_id=transfer.pk)  # the beat job asking again changes nothing
    assert again.entry_id == transfer.entry_id
    assert JournalEntry.objects.filter(business_type="GJ08").count() == 1
    assert ledger_reconcile() == []


def test_a_rejected_letter_finishes_without_money(world, django_capture_on_commit_callbacks):
    transfer = apply_in(world, django_capture_on_commit_callbacks)
    transfer.refresh_from_db()
    sandbox_set_status(letter_number=transfer.letter_number, status=TransferStatus.OUT_REJECTED, message="转出地审核不通过")
    transfer = transfer_in_advance(transfer_id=transfer.pk)
    assert transfer.finished and transfer.entry_id is None
    assert transfer.get_status_display() == "转出审核不通过"


def test_one_open_transfer_per_account(world, django_capture_on_commit_callbacks):
    apply_in(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as exc:
        apply_in(world, django_capture_on_commit_callbacks)
    assert exc.value.message_dict["account"] == ["该职工已有办理中的转移接续业务"]


def _fund(world):
    from datetime import date

    from deposits.services import monthly_deposit_post

    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15))


@pytest.mark.parametrize(("state", "reason"), [(MemberState.NORMAL, "账户须先封存"), (MemberState.FROZEN, "账户已冻结")])
def test_transfer_out_needs_a_sealed_unfrozen_account(world, state, reason):
    _fund(world)
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=state)
    with pytest.raises(ValidationError) as exc:
        transfer_out_execute(actor=world.clerk, account=world.account_a, letter_number="ZY2026112200000001", to_centre="武汉中心")
    assert any(reason in r for r in exc.value.message_dict["account"])
    assert not CrossRegionTransfer.objects.exists()


def test_an_unpaid_loan_blocks_transfer_out(world, monkeypatch):
    from deposits.services import transfer as transfer_service

    _fund(world)
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    monkeypatch.setattr(transfer_service, "TRANSFER_OUT_BLOCKERS", [lambda account: "有未结清的公积金贷款"])
    with pytest.raises(ValidationError) as exc:
        transfer_out_execute(actor=world.clerk, account=world.account_a, letter_number="ZY2026112200000001", to_centre="武汉中心")
    assert "有未结清的公积金贷款" in exc.value.message_dict["account"]


def test_transfer_out_pays_the_whole_balance_and_closes_the_account(world):
    _fund(world)
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    transfer = transfer_out_execute(actor=world.clerk, account=world.account_a, letter_number="ZY20261122001",
                                    to_centre="武汉住房公积金管理中心")
    account = MemberAccount.objects.get(pk=world.account_a.pk)
    assert account.state == MemberState.TRANSFERRED_OUT and account.sub_account.balance == Decimal("0.00")
    assert transfer.principal == Decimal("1920.00") and transfer.entry.business_type == "GJ07"
    assert transfer.interest > 0  # interest to the day went with the money
    assert transfer.entry.lines.get(account__code="231").credit == transfer.principal + transfer.interest
    assert ledger_reconcile() == []
    with pytest.raises(ValidationError):
        transfer_out_execute(actor=world.clerk, account=account, letter_number="ZY20261122001", to_centre="武汉中心")


def test_the_member_applies_online_and_others_cannot(world, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    def client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    url = f"/api/deposits/members/{world.account_a.pk}/transfer-in/"
    for who in (world.member_b, world.unit_b_op, world.clerk_b, world.outsider):
        assert client(who).post(url, {"from_centre": "武汉"}, format="json").status_code == 404
    assert client(world.auditor).post(url, {"from_centre": "武汉"}, format="json").status_code == 403
    assert client(world.member_a).post(url, {"from_centre": ""}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client(world.member_a).post(url, {"from_centre": "武汉住房公积金管理中心"}, format="json")
    assert response.status_code == 201 and response.json()["letter_number"] is None  # the reply precedes the letter
    assert CrossRegionTransfer.objects.get().letter_number  # sent after commit
    listed = client(world.member_a).get("/api/deposits/transfers/").json()
    assert [t["reference"] for t in listed] == [response.json()["reference"]]
    assert client(world.member_b).get("/api/deposits/transfers/").json() == []


def test_transfer_pages(world, client):
    client.force_login(world.clerk)
    page = client.get(f"/staff/members/{world.account_a.pk}/transfer/").content.decode()
    assert "账户须先封存" in page
    client.force_login(world.member_a)
    assert "异地转入" in client.get("/member/transfer/").content.decode()
    client.force_login(world.clerk_b)
    assert client.get(f"/staff/members/{world.account_a.pk}/transfer/").status_code == 404


def test_interest_is_settled_to_the_day_and_never_paid_again_after_transfer_out(world):
    """The interest to the day before goes out with the money; the account's 积数 is cleared, so the next
    annual settlement pays a transferred-out account nothing."""
    from datetime import date, timedelta

    from django.utils import timezone

    from deposits.services.interest import interest_run_start, interest_to_date
    from fund.ledger.models import SubAccount, SubLedgerRow

    _fund(world)
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    sub = SubAccount.objects.get(pk=world.account_a.sub_account_id)
    expected = sum(interest_to_date(sub, timezone.localdate() - timedelta(days=1)))
    transfer = transfer_out_execute(actor=world.clerk, account=world.account_a, letter_number="ZY2026112200000009", to_centre="武汉中心")
    assert transfer.interest == expected > 0
    sub.refresh_from_db()
    assert (sub.balance, sub.accumulation, sub.accumulation_prior, sub.closed_period_end) == (0, 0, 0, None)
    rows_before = SubLedgerRow.objects.filter(sub_account=sub).count()
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 7, 1) else today.year - 1
    interest_run_start(year=year, actor=world.director)  # the last ended period: settled eagerly in tests
    assert SubLedgerRow.objects.filter(sub_account=sub).count() == rows_before
    assert ledger_reconcile() == []
