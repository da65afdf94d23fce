"""The card a withdrawal pays: every attempt pays the card the business names — the standing instruction's for a
standing withdrawal, the withdrawal's own otherwise — never the account's card on file; the texts name that card;
a window clerk may name a new card at a retry, which the bank must know."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from fund.audit.models import AuditEvent
from fund.integrations.bank import BANK_DOWN, bank_account_refused
from fund.integrations.models import PaymentStatus, SandboxBankAccount, SandboxBankPayment, SandboxSms
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import Payment, PaymentState
from fund.payments.services import payments_retry_due as payouts_retry_due
from tests.withdrawals.conftest import make_card, submit_decided
from withdrawals.loans import housing_loans
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import payout_retry, standing_run, standing_sign

pytestmark = pytest.mark.django_db


def payout_text(phone: str) -> str:
    """The last payout text to `phone` (the 好差评 invitation that follows a finished withdrawal aside)."""
    return SandboxSms.objects.filter(phone=phone, text__contains="已转入").order_by("-id").values_list("text", flat=True)[0]


def other_card(wd: Any, seq: int, *, failing: bool = False) -> str:
    """Another card of the member's that the bank knows."""
    card = make_card(seq)
    SandboxBankAccount.objects.create(account_number=card, name=wd.person.name, holder_id=wd.person.id_number,
                                      bank_name="工商银行", fail_payouts=failing)
    return card


def fail(card: str, failing: bool = True) -> None:
    SandboxBankAccount.objects.filter(account_number=card).update(fail_payouts=failing)


def paid(card: str) -> Decimal:
    return sum(SandboxBankPayment.objects.filter(account_number=card, status=PaymentStatus.SUCCEEDED)
               .values_list("amount", flat=True), Decimal("0.00"))


def retry_due(capture: Any, w: Withdrawal) -> None:
    Payment.objects.filter(subject_id=w.pk, purpose="withdrawals.payout", state=PaymentState.REFUSED).update(
        retry_after=timezone.now() - timedelta(minutes=1))
    with capture(execute=True):
        payouts_retry_due()
    w.refresh_from_db()


def test_the_automatic_retry_pays_the_card_the_member_asked_for_not_the_card_on_file(
    wd, django_capture_on_commit_callbacks
):
    asked = other_card(wd, 31, failing=True)
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="1200.00", payee_card=asked)
    assert w.state == WithdrawalState.PAYOUT_FAILED and w.payouts.get().payee_account == asked

    fail(asked, False)
    retry_due(django_capture_on_commit_callbacks, w)

    assert w.state == WithdrawalState.PAID
    assert [p.payee_account for p in w.payouts.order_by("attempt")] == [asked, asked] and w.payee_card == asked
    assert paid(asked) == Decimal("1200.00") and paid(wd.card) == 0  # the account's card on file got nothing
    assert f"尾号{asked[-4:]}" in payout_text(wd.person.phone)
    assert ledger_reconcile() == []


def test_a_standing_withdrawal_is_retried_to_the_card_the_instruction_was_signed_for(
    signing_day, wd, django_capture_on_commit_callbacks
):
    signed = other_card(wd, 32, failing=True)
    wd.commercial_loan(instalment="2100.00")
    today = signing_day
    instruction = standing_sign(actor=wd.world.member_a, account=wd.account,
                                loan=housing_loans(wd.person.id_number)[0].key, payee_card=signed, day=today.day)
    with django_capture_on_commit_callbacks(execute=True):
        assert standing_run(today=today)["made"] == 1
    w = Withdrawal.objects.get(standing=instruction)
    assert w.state == WithdrawalState.PAYOUT_FAILED, w.decision_note

    fail(signed, False)
    retry_due(django_capture_on_commit_callbacks, w)

    assert w.state == WithdrawalState.PAID
    assert [p.payee_account for p in w.payouts.order_by("attempt")] == [signed, signed]
    assert w.payee_card == signed == type(instruction).objects.get(pk=instruction.pk).payee_card
    assert paid(signed) == Decimal("2100.00") and paid(wd.card) == 0
    assert f"尾号{signed[-4:]}" in payout_text(wd.person.phone)
    assert ledger_reconcile() == []


def test_a_clerk_may_name_a_new_card_the_bank_knows_and_the_payout_and_text_follow_it(
    wd, django_capture_on_commit_callbacks
):
    fail(wd.card)
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="900.00")
    assert w.state == WithdrawalState.PAYOUT_FAILED
    new = other_card(wd, 33)

    with pytest.raises(ValidationError) as unknown:
        payout_retry(withdrawal_id=w.pk, actor=wd.world.clerk, force=True, payee_card=make_card(34))
    assert unknown.value.message_dict == {"payee_card": [bank_account_refused("收款银行卡号")]}
    with pytest.raises(PermissionDenied):
        payout_retry(withdrawal_id=w.pk, actor=wd.world.member_a, force=True, payee_card=new)
    with pytest.raises(PermissionDenied):  # the beat's retry never changes the card
        payout_retry(withdrawal_id=w.pk, payee_card=new)
    assert Withdrawal.objects.get(pk=w.pk).payee_card == wd.card and w.payouts.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        payout_retry(withdrawal_id=w.pk, actor=wd.world.clerk, force=True, payee_card=new)
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.payee_card == new
    assert [p.payee_account for p in w.payouts.order_by("attempt")] == [wd.card, new] and paid(new) == Decimal("900.00")
    assert f"尾号{new[-4:]}" in payout_text(wd.person.phone)
    event = AuditEvent.objects.get(action="withdrawals.payee_changed")
    assert event.new["card"].endswith(new[-4:]) and new not in str(event.new)


def test_a_new_card_is_refused_while_the_bank_cannot_check_it(wd, django_capture_on_commit_callbacks):
    fail(wd.card)
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="900.00")
    new = other_card(wd, 35)
    with override_settings(FUND_INTEGRATIONS_OVERRIDES={"bank": "http"}, FUND_INTEGRATIONS_HTTP_BASE=""):
        with pytest.raises(ValidationError) as down:
            payout_retry(withdrawal_id=w.pk, actor=wd.world.clerk, force=True, payee_card=new)
    assert down.value.message_dict == {"payee_card": [BANK_DOWN]}
    assert Withdrawal.objects.get(pk=w.pk).state == WithdrawalState.PAYOUT_FAILED and w.payouts.count() == 1


def test_a_standing_withdrawal_keeps_its_instructions_card_at_a_forced_retry(
    signing_day, wd, django_capture_on_commit_callbacks
):
    fail(wd.card)
    wd.commercial_loan(instalment="2100.00")
    today = signing_day
    instruction = standing_sign(actor=wd.world.member_a, account=wd.account,
                                loan=housing_loans(wd.person.id_number)[0].key, payee_card=wd.card, day=today.day)
    with django_capture_on_commit_callbacks(execute=True):
        standing_run(today=today)
    w = Withdrawal.objects.get(standing=instruction)
    with pytest.raises(ValidationError) as refused:
        payout_retry(withdrawal_id=w.pk, actor=wd.world.clerk, force=True, payee_card=other_card(wd, 36))
    assert "重新签订" in refused.value.message_dict["payee_card"][0]


def test_the_api_retry_refuses_a_card_the_bank_does_not_know_with_a_400_naming_the_field(
    wd, django_capture_on_commit_callbacks
):
    fail(wd.card)
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="900.00")
    client = APIClient()
    client.force_authenticate(wd.world.clerk)
    response = client.post(f"/api/withdrawals/{w.pk}/retry-payout/", {"payee_card": make_card(37)}, format="json")
    assert response.status_code == 400 and "payee_card" in response.json()
    assert w.payouts.count() == 1

    new = other_card(wd, 38)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/withdrawals/{w.pk}/retry-payout/", {"payee_card": new}, format="json")
    assert response.status_code == 200 and response.json()["payee_card"].endswith(new[-4:])
    assert paid(new) == Decimal("900.00")


def test_the_window_page_retries_to_a_new_card_and_says_why_an_unknown_one_is_refused(
    wd, client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    fail(wd.card)
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account, reason="07",
                       amount="900.00")
    client.force_login(wd.world.clerk)
    url = reverse("staff:withdrawal_retry", args=[w.pk])
    assert 'name="payee_card"' in client.get(reverse("staff:withdrawal", args=[w.pk])).content.decode()

    page = client.post(url, {"payee_card": make_card(39)}, follow=True).content.decode()
    assert bank_account_refused("收款银行卡号") in page and w.payouts.count() == 1

    new = other_card(wd, 40)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"payee_card": new})
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.payee_card == new and paid(new) == Decimal("900.00")
