"""The entrusted bank: payouts are idempotent by reference, failing cards fail, collections need money."""

from decimal import Decimal

import pytest

from fund.integrations import entrusted_bank
from fund.integrations.base import NotFound, Rejected
from fund.integrations.models import PaymentKind, PaymentStatus, SandboxBankAccount, SandboxBankPayment

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(seeded, people) -> SandboxBankAccount:
    return SandboxBankAccount.objects.get(account_number=seeded.cards[people[2].id_number])


def test_payout_to_a_good_card_succeeds_and_credits_it(card):
    before = card.balance
    paid = entrusted_bank().payout(
        card_number=card.account_number, name=card.name, amount=Decimal("8600.00"), reference="TQ-0001",
        purpose="租房提取",
    )
    assert paid.status == PaymentStatus.SUCCEEDED and paid.succeeded and paid.reason == ""
    assert paid.kind == PaymentKind.PAYOUT and paid.bank_serial
    card.refresh_from_db()
    assert card.balance == before + Decimal("8600.00")


def test_paying_the_same_reference_twice_pays_once_and_returns_the_first_result(card):
    before = card.balance
    bank = entrusted_bank()
    first = bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("500.00"), reference="TQ-0002")
    again = bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("500.00"), reference="TQ-0002")

    assert again.bank_serial == first.bank_serial and again.status == first.status
    assert again.call_id != first.call_id  # each call is its own evidence
    assert SandboxBankPayment.objects.filter(reference="TQ-0002").count() == 1
    card.refresh_from_db()
    assert card.balance == before + Decimal("500.00")  # credited once
    assert SandboxBankPayment.objects.filter(account_number=card.account_number).count() == 1


def test_a_replayed_failure_stays_a_failure_even_after_the_card_is_fixed(card):
    card.fail_payouts = True
    card.save()
    bank = entrusted_bank()
    first = bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("100.00"), reference="TQ-0003")
    card.fail_payouts = False
    card.save()

    again = bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("100.00"), reference="TQ-0003")
    assert first.failed and again.failed and again.bank_serial == first.bank_serial
    assert SandboxBankPayment.objects.filter(reference="TQ-0003").count() == 1


def test_the_same_reference_with_another_amount_is_refused(card):
    bank = entrusted_bank()
    bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("100.00"), reference="TQ-0004")
    with pytest.raises(Rejected, match="业务编号"):
        bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("999.00"), reference="TQ-0004")
    assert SandboxBankPayment.objects.get(reference="TQ-0004").amount == Decimal("100.00")


def test_a_card_configured_to_fail_returns_failed_with_a_reason(card):
    card.fail_payouts = True
    card.save()
    before = card.balance

    paid = entrusted_bank().payout(card_number=card.account_number, name=card.name, amount=Decimal("300.00"), reference="TQ-0005")

    assert paid.status == PaymentStatus.FAILED and paid.reason
    card.refresh_from_db()
    assert card.balance == before


def test_payout_fails_for_an_unknown_card_or_a_wrong_name(card):
    bank = entrusted_bank()
    unknown = bank.payout(card_number="6222020000000000000", name="某人", amount=Decimal("1.00"), reference="TQ-0006")
    wrong_name = bank.payout(card_number=card.account_number, name="别人", amount=Decimal("1.00"), reference="TQ-0007")
    assert (unknown.status, unknown.reason) == (PaymentStatus.FAILED, "账号不存在")
    assert (wrong_name.status, wrong_name.reason) == (PaymentStatus.FAILED, "户名与账号不符")


def test_a_held_payout_is_pending_until_the_bank_settles_it(card):
    card.hold_payouts = True
    card.save()
    bank = entrusted_bank()
    paid = bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("50.00"), reference="TQ-0008")
    assert paid.status == PaymentStatus.PENDING and paid.finished_at is None

    SandboxBankPayment.objects.filter(reference="TQ-0008").update(status=PaymentStatus.SUCCEEDED)
    assert bank.payment(reference="TQ-0008").status == PaymentStatus.SUCCEEDED


def test_query_by_reference(card):
    bank = entrusted_bank()
    bank.payout(card_number=card.account_number, name=card.name, amount=Decimal("66.60"), reference="TQ-0009")
    found = bank.payment(reference="TQ-0009")
    assert (found.amount, found.account_number, found.kind) == (Decimal("66.60"), card.account_number, PaymentKind.PAYOUT)
    with pytest.raises(NotFound):
        bank.payment(reference="never-paid")


def test_collection_debits_the_account_and_fails_without_enough_money(seeded, employers):
    account = SandboxBankAccount.objects.get(holder_id=employers[0].credit_code)
    bank = entrusted_bank()

    taken = bank.collect(account_number=account.account_number, name=account.name, amount=Decimal("24000.00"),
                         reference="HJ-2025-06-0001", purpose="单位汇缴")
    short = bank.collect(account_number=account.account_number, name=account.name,
                         amount=account.balance + Decimal("1.00"), reference="HJ-2025-06-0002")

    assert taken.succeeded and taken.kind == PaymentKind.COLLECT
    assert short.failed and short.reason == "付款账户余额不足"
    account_after = SandboxBankAccount.objects.get(pk=account.pk)
    assert account_after.balance == account.balance - Decimal("24000.00")


def test_collection_from_a_frozen_account_fails(seeded, employers):
    account = SandboxBankAccount.objects.get(holder_id=employers[1].credit_code)
    account.frozen = True
    account.save()
    taken = entrusted_bank().collect(account_number=account.account_number, name=account.name,
                                     amount=Decimal("10.00"), reference="HJ-F-1")
    assert taken.failed and "冻结" in taken.reason


def test_non_positive_amounts_are_refused(card):
    with pytest.raises(Rejected):
        entrusted_bank().payout(card_number=card.account_number, name=card.name, amount=Decimal("0.00"), reference="Z")
    assert not SandboxBankPayment.objects.filter(reference="Z").exists()


def test_verifying_an_account_says_whether_the_bank_has_it_under_that_name_and_holder(card):
    bank = entrusted_bank()
    known = bank.verify_account(account_number=card.account_number, name=card.name, holder_id=card.holder_id)
    assert known.valid and known.reason == "" and known.bank_name == card.bank_name and known.call_id

    assert bank.verify_account(account_number="6217000010000000026", name=card.name).reason == "账号不存在"
    assert bank.verify_account(account_number=card.account_number, name="别人").reason == "户名与账号不符"
    other = bank.verify_account(account_number=card.account_number, name=card.name, holder_id="110101199003070011")
    assert not other.valid and other.reason == "证件号码与账号不符"


def test_an_unknown_account_is_a_form_error_on_the_field_naming_it(card):
    from django.core.exceptions import ValidationError

    from fund.integrations.bank import bank_account_verify

    assert bank_account_verify(field="bank_card", label="银行卡号", account_number=card.account_number,
                               name=card.name) is not None
    with pytest.raises(ValidationError) as exc:
        bank_account_verify(field="bank_card", label="银行卡号", account_number="6217000010000000026", name=card.name)
    assert exc.value.message_dict == {"bank_card": ["银行卡号未通过银行核验（账号不存在，或户名、证件号码与账号不符），请核对"]}


def test_the_refusal_does_not_tell_an_unknown_account_from_another_persons(card):
    """Otherwise anyone who may fill in a card could learn whose cards exist; the reason is in the call log."""
    from django.core.exceptions import ValidationError

    from fund.integrations.bank import bank_account_verify
    from fund.integrations.models import IntegrationCall

    messages = []
    for number, name in (("6217000010000000026", card.name), (card.account_number, "别人")):
        with pytest.raises(ValidationError) as exc:
            bank_account_verify(field="bank_card", label="银行卡号", account_number=number, name=name)
        messages.append(exc.value.messages)
    assert messages[0] == messages[1]
    reasons = IntegrationCall.objects.filter(operation="verify_account").order_by("id").values_list("response", flat=True)
    assert [r["reason"] for r in reasons] == ["账号不存在", "户名与账号不符"]


def test_a_bank_that_cannot_be_asked_refuses_the_account_for_now(card):
    from django.core.exceptions import ValidationError
    from django.test import override_settings

    from fund.integrations.bank import BANK_DOWN, bank_account_verify

    with override_settings(FUND_INTEGRATIONS_OVERRIDES={"bank": "http"}, FUND_INTEGRATIONS_HTTP_BASE=""):
        with pytest.raises(ValidationError) as exc:
            bank_account_verify(field="payee_card", label="收款银行卡号", account_number=card.account_number,
                                name=card.name)
    assert exc.value.message_dict == {"payee_card": [BANK_DOWN]}
