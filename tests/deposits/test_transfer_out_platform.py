"""Transfer out (转出) driven by the national platform: letters other centres send us are fetched into
transfers matched by ID number, listed with their preconditions, executed (money to 231, account closed,
"accept" replied), paid to the new centre from 231 exactly once, reported, and closed when the new centre
confirms; a blocked account is refused with the reason replied to the platform."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deposits.models import CrossRegionTransfer, MemberAccount, MemberState
from deposits.services import monthly_deposit_post
from deposits.services.transfer import (
    NO_ACCOUNT,
    transfer_out_advance,
    transfer_out_letter_execute,
    transfer_out_letter_refuse,
    transfer_out_letters_fetch,
    transfer_out_payout_retry,
    transfer_out_sync,
)
from fund.audit.models import AuditEvent
from fund.integrations import transfer_platform
from fund.integrations.models import (
    SandboxBankAccount,
    SandboxBankPayment,
    SandboxIncomingLetter,
    TransferStatus,
)
from fund.integrations.transfer import sandbox_incoming_confirm, sandbox_incoming_letter
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from tests.clients import api

pytestmark = pytest.mark.django_db

CENTRE = "上海市住房公积金管理中心"
CENTRE_ACCOUNT = "31001500100056000000"


def _letter(account, **kw):
    return sandbox_incoming_letter(id_number=account.person.id_number, name=account.person.name, to_centre=CENTRE,
                                   to_centre_account=CENTRE_ACCOUNT, to_account_number="SH0001", **kw)


def _suspense_net() -> Decimal:
    from django.db.models import Sum

    from fund.ledger.models import JournalLine

    sums = JournalLine.objects.filter(account__code="231").aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["c"] or Decimal(0)) - (sums["d"] or Decimal(0))


def test_a_letter_is_fetched_listed_executed_paid_once_and_closed(
    world, sealed_with_money, django_capture_on_commit_callbacks
):
    account = sealed_with_money
    letter = _letter(account)
    suspense_before = _suspense_net()

    report = transfer_out_letters_fetch()
    assert report.created == [letter.letter_number]
    assert transfer_out_letters_fetch().created == []  # fetching again records nothing twice
    transfer = CrossRegionTransfer.objects.get(letter_number=letter.letter_number)
    assert (transfer.direction, transfer.account_id, transfer.status, transfer.from_platform) == (
        "out", account.pk, TransferStatus.LETTER_REVIEWED, True)
    assert (transfer.other_centre, transfer.other_bank_account) == (CENTRE, CENTRE_ACCOUNT)

    # Listed for the branch's staff with no blockers; other branches and non-staff do not see it.
    listed = api(world.clerk).get("/api/deposits/transfer-letters/").json()
    assert [(x["letter_number"], x["blockers"], x["stage"]) for x in listed] == [(letter.letter_number, [], "待办理")]
    assert api(world.clerk_b).get("/api/deposits/transfer-letters/").json() == []
    for outsider in (world.clerk_b, world.member_a, world.unit_a_op, world.outsider):
        assert api(outsider).post(f"/api/deposits/transfer-letters/{transfer.pk}/", {"action": "execute"},
                                  format="json").status_code == 404
    assert api(world.auditor).post(f"/api/deposits/transfer-letters/{transfer.pk}/", {"action": "execute"},
                                   format="json").status_code == 403
    page = _page(world.clerk, "/staff/transfer-letters/")
    assert letter.letter_number in page and "办理转出" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.clerk).post(f"/api/deposits/transfer-letters/{transfer.pk}/", {"action": "execute"},
                                         format="json")
    assert response.status_code == 200, response.content
    transfer.refresh_from_db()
    total = transfer.principal + transfer.interest
    assert transfer.principal == Decimal("1920.00") and transfer.interest > 0
    assert MemberAccount.objects.get(pk=account.pk).state == MemberState.TRANSFERRED_OUT
    # Replied "accept", paid the new centre from 231, reported the funds: platform status 08.
    row = SandboxIncomingLetter.objects.get(letter_number=letter.letter_number)
    assert (row.status, row.funds_principal, row.funds_interest) == (
        TransferStatus.ACCOUNT_REVIEWED, transfer.principal, transfer.interest)
    assert row.funds_bank_serial == transfer.funds_bank_serial != ""
    [payment] = SandboxBankPayment.objects.filter(account_number=CENTRE_ACCOUNT)
    assert (payment.amount, payment.status, payment.reference) == (total, "succeeded", transfer.reference)
    assert SandboxBankAccount.objects.get(account_number=CENTRE_ACCOUNT).balance == total
    funds = transfer.funds_entry
    assert sorted(funds.lines.values_list("account__code", "debit", "credit")) == [
        ("101", Decimal("0.00"), total), ("231", total, Decimal("0.00"))]
    assert _suspense_net() == suspense_before  # 231 back where it was
    assert ledger_reconcile() == []

    # Retried (twice, and by the scheduled sync): nothing is paid or posted again.
    entries = JournalEntry.objects.count()
    transfer_out_advance(transfer_id=transfer.pk)
    transfer_out_advance(transfer_id=transfer.pk)
    transfer_out_sync()
    assert SandboxBankPayment.objects.filter(account_number=CENTRE_ACCOUNT).count() == 1
    assert JournalEntry.objects.count() == entries
    assert SandboxBankAccount.objects.get(account_number=CENTRE_ACCOUNT).balance == total

    # The new centre confirms; the next sync closes our transfer with the platform's final status.
    sandbox_incoming_confirm(letter_number=letter.letter_number)
    transfer_out_sync()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DONE and transfer.finished
    assert api(world.clerk).get("/api/deposits/transfer-letters/").json() == []
    actions = set(AuditEvent.objects.filter(target_id=str(transfer.pk)).values_list("action", flat=True))
    assert {"deposits.transfer_out.letter_received", "deposits.transfer_out.executed",
            "deposits.transfer_out.paid", "deposits.transfer.status_changed"} <= actions
    assert ledger_reconcile() == []


def _page(user, url):
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("state", "reason"), [(MemberState.NORMAL, "账户须先封存"), (MemberState.FROZEN, "账户已冻结")])
def test_a_blocked_account_cannot_be_executed_and_the_refusal_is_replied(
    world, state, reason, django_capture_on_commit_callbacks
):
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15))
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=state)
    letter = _letter(world.account_a)
    transfer_out_letters_fetch()
    transfer = CrossRegionTransfer.objects.get(letter_number=letter.letter_number)
    [listed] = api(world.clerk).get("/api/deposits/transfer-letters/").json()
    assert any(reason in b for b in listed["blockers"])
    assert reason in _page(world.clerk, "/staff/transfer-letters/")

    response = api(world.clerk).post(f"/api/deposits/transfer-letters/{transfer.pk}/", {"action": "execute"},
                                     format="json")
    assert response.status_code == 400 and reason in str(response.json())
    assert MemberAccount.objects.get(pk=world.account_a.pk).state == state
    assert not SandboxBankPayment.objects.exists()

    # Refusing needs a reason; with one, the platform gets it (13) and the case is finished.
    assert api(world.clerk).post(f"/api/deposits/transfer-letters/{transfer.pk}/", {"action": "refuse", "reason": " "},
                                 format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        transfer_out_letter_refuse(actor=world.clerk, transfer=transfer, reason=f"{reason}，请职工先办理封存/解冻")
    row = SandboxIncomingLetter.objects.get(letter_number=letter.letter_number)
    assert row.status == TransferStatus.OUT_REJECTED and reason in row.reply_reason
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.OUT_REJECTED and transfer.finished
    with pytest.raises(ValidationError):
        transfer_out_letter_execute(actor=world.clerk, transfer=transfer)  # a refused letter is never executed
    assert AuditEvent.objects.filter(action="deposits.transfer_out.refused", target_id=str(transfer.pk)).exists()
    assert ledger_reconcile() == []


def test_a_letter_for_nobody_here_is_refused_at_once(world):
    letter = sandbox_incoming_letter(id_number="11010519491231002X", name="查无此人", to_centre=CENTRE,
                                     to_centre_account=CENTRE_ACCOUNT)
    report = transfer_out_letters_fetch()
    assert report.refused == [letter.letter_number] and not CrossRegionTransfer.objects.exists()
    letter.refresh_from_db()
    assert letter.status == TransferStatus.OUT_REJECTED and letter.reply_reason == NO_ACCOUNT


def test_a_failed_payout_keeps_the_money_in_231_and_a_retry_pays_once(
    world, sealed_with_money, django_capture_on_commit_callbacks
):
    account = sealed_with_money
    letter = _letter(account)
    SandboxBankAccount.objects.filter(account_number=CENTRE_ACCOUNT).update(fail_payouts=True)
    transfer_out_letters_fetch()
    transfer = CrossRegionTransfer.objects.get(letter_number=letter.letter_number)
    with django_capture_on_commit_callbacks(execute=True):
        transfer_out_letter_execute(actor=world.clerk, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.payout_failure and transfer.funds_entry is None and transfer.status == TransferStatus.LETTER_ACCEPTED
    assert "划款失败" in _page(world.clerk, "/staff/transfer-letters/")
    transfer_out_sync()  # the schedule does not retry a failure by itself
    assert SandboxBankPayment.objects.count() == 1

    with pytest.raises(PermissionDenied):
        transfer_out_payout_retry(actor=world.auditor, transfer=transfer)
    SandboxBankAccount.objects.filter(account_number=CENTRE_ACCOUNT).update(fail_payouts=False)
    with django_capture_on_commit_callbacks(execute=True):
        transfer_out_payout_retry(actor=world.clerk, transfer=transfer)
    transfer_out_sync()
    transfer.refresh_from_db()
    assert transfer.funds_entry is not None and transfer.status == TransferStatus.ACCOUNT_REVIEWED
    paid = SandboxBankPayment.objects.filter(status="succeeded")
    assert [p.reference for p in paid] == [f"{transfer.reference}R01"]
    assert ledger_reconcile() == []


def test_the_platform_refuses_the_opposite_answer():
    from fund.integrations.base import Rejected

    letter = sandbox_incoming_letter(id_number="11010519491231002X", name="甲", to_centre=CENTRE)
    platform = transfer_platform()
    assert platform.reply(letter_number=letter.letter_number, accept=True).status == TransferStatus.LETTER_ACCEPTED
    assert platform.reply(letter_number=letter.letter_number, accept=True).status == TransferStatus.LETTER_ACCEPTED
    with pytest.raises(Rejected):
        platform.reply(letter_number=letter.letter_number, accept=False, reason="x")
    sent = platform.funds_sent(letter_number=letter.letter_number, principal=Decimal("1.00"), interest=Decimal("0.01"),
                               bank_serial="S1")
    assert sent.status == TransferStatus.ACCOUNT_REVIEWED
    with pytest.raises(Rejected):
        platform.funds_sent(letter_number=letter.letter_number, principal=Decimal("2.00"), interest=Decimal("0"),
                            bank_serial="S2")
    assert [x.letter_number for x in platform.incoming_letters().letters] == [letter.letter_number]
