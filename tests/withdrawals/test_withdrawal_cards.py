"""A card given for a withdrawal or a standing instruction is checked with the bank when it is given, outside
any transaction: a card the bank does not know (or knows under another name) is refused naming the field, in
Chinese, with nothing written; a bank that cannot be asked refuses it for now; a replay is answered with the
first withdrawal and a user who may not submit triggers no call."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from deposits.models import MemberAccount
from fund.integrations.bank import BANK_DOWN, bank_account_refused
from fund.integrations.models import IntegrationCall, SandboxBankAccount
from tests.withdrawals.conftest import make_card, paper_codes
from withdrawals.loans import housing_loans
from withdrawals.models import StandingInstruction, Withdrawal
from withdrawals.services import standing_sign, withdrawal_submit

pytestmark = pytest.mark.django_db

UNKNOWN = make_card(401)
PAYEE_REFUSED = bank_account_refused("收款银行卡号")
REPAY_REFUSED = bank_account_refused("还款银行卡号")
BANK_DOWN_SETTINGS = {"FUND_INTEGRATIONS_OVERRIDES": {"bank": "http"}, "FUND_INTEGRATIONS_HTTP_BASE": ""}


def last_check_reason() -> str:
    """What the bank said, as the call log keeps it for staff (the user's message does not say)."""
    return IntegrationCall.objects.filter(operation="verify_account").latest("id").response["reason"]


def verify_calls() -> int:
    return IntegrationCall.objects.filter(system="bank", operation="verify_account").count()


def submit(wd: Any, **kw: Any) -> Withdrawal:
    return withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                             amount="100.00", **kw)


# ---- withdrawals ------------------------------------------------------------------------------------------


def test_it_refuses_a_payee_card_the_bank_does_not_know_and_writes_nothing(wd, bank_depths):
    with pytest.raises(ValidationError) as err:
        submit(wd, payee_card=UNKNOWN)
    assert err.value.message_dict == {"payee_card": [PAYEE_REFUSED]}
    assert not Withdrawal.objects.exists() and bank_depths == [0]  # asked outside any transaction


def test_it_refuses_a_card_the_bank_knows_under_another_name(wd):
    SandboxBankAccount.objects.create(account_number=UNKNOWN, name="别人")
    with pytest.raises(ValidationError) as err:
        submit(wd, payee_card=UNKNOWN)
    assert err.value.message_dict == {"payee_card": [PAYEE_REFUSED]}
    assert last_check_reason() == "户名与账号不符"


def test_the_card_on_file_is_checked_when_no_card_is_given(wd):
    MemberAccount.objects.filter(pk=wd.account.pk).update(bank_card=UNKNOWN)
    wd.account.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        submit(wd)
    assert err.value.message_dict == {"payee_card": [PAYEE_REFUSED]} and not Withdrawal.objects.exists()
    assert last_check_reason() == "账号不存在"


def test_a_known_card_is_accepted_and_the_check_is_logged(wd, bank_depths):
    w = submit(wd, payee_card=wd.card)
    assert w.payee_card == wd.card and bank_depths == [0]
    call = IntegrationCall.objects.filter(operation="verify_account").latest("id")
    assert call.ok and call.response["valid"] is True and call.reference == wd.card


def test_it_refuses_a_card_while_the_bank_cannot_check_it(wd):
    with override_settings(**BANK_DOWN_SETTINGS), pytest.raises(ValidationError) as err:
        submit(wd)
    assert err.value.message_dict == {"payee_card": [BANK_DOWN]} and not Withdrawal.objects.exists()


def test_a_replay_gets_the_first_withdrawal_even_while_the_bank_cannot_be_asked(wd):
    first = submit(wd, client_token="k-1")
    with override_settings(**BANK_DOWN_SETTINGS):
        again = submit(wd, client_token="k-1")
    assert again.pk == first.pk and again.replayed


def test_a_user_who_may_not_submit_for_the_account_triggers_no_bank_call(wd):
    before = verify_calls()
    with pytest.raises(PermissionDenied):
        withdrawal_submit(actor=wd.world.member_b, account=wd.account, reason="07", channel="online", amount="10")
    with pytest.raises(PermissionDenied):
        withdrawal_submit(actor=wd.world.clerk_b, account=wd.account, reason="07", channel="window", amount="10")
    assert verify_calls() == before


def test_an_heirs_card_is_checked_under_the_heirs_name(wd):
    from datetime import date

    from fund.demo import make_id_number

    heir = make_id_number(birth=date(1992, 2, 2), seq=402, male=False)
    card = make_card(402)
    SandboxBankAccount.objects.create(account_number=card, name=wd.person.name)  # the member's name, not the heir's
    kw = dict(actor=wd.world.clerk, account=wd.account, reason="08", channel="window", other_id_number=heir,
              other_name="继承人甲", payee_card=card, details={"heir_relation": "spouse"},
              materials=paper_codes("08"))
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(**kw)
    assert err.value.message_dict == {"payee_card": [bank_account_refused("继承人银行卡号")]}
    assert last_check_reason() == "户名与账号不符"

    SandboxBankAccount.objects.filter(account_number=card).update(name="继承人甲")
    assert withdrawal_submit(**kw).payee_card == card


def test_the_api_answers_400_naming_the_card(wd):
    client = APIClient()
    client.force_authenticate(wd.world.member_a)
    response = client.post("/api/withdrawals/", {"account": wd.account.pk, "reason": "07", "amount": "100.00",
                                                 "payee_card": UNKNOWN}, format="json")
    assert response.status_code == 400
    assert response.json()["payee_card"] == [PAYEE_REFUSED]
    assert not Withdrawal.objects.exists()


def test_the_personal_hall_shows_the_refusal_on_the_card_field(wd, client):
    client.force_login(wd.world.member_a)
    page = client.post(reverse("member:withdrawal_apply", args=["07"]),
                       {"amount": "100.00", "payee_card": UNKNOWN}).content.decode()
    assert PAYEE_REFUSED in page and not Withdrawal.objects.exists()


# ---- standing instructions --------------------------------------------------------------------------------


def loan_key(wd: Any) -> str:
    wd.commercial_loan()
    return housing_loans(wd.person.id_number)[0].key


def test_signing_refuses_a_card_the_bank_does_not_know_asked_outside_any_transaction(wd, bank_depths):
    key = loan_key(wd)
    with pytest.raises(ValidationError) as err:
        standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=UNKNOWN)
    assert err.value.message_dict == {"payee_card": [REPAY_REFUSED]}
    assert not StandingInstruction.objects.exists() and bank_depths == [0]

    signed = standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=wd.card)
    assert signed.payee_card == wd.card and bank_depths == [0, 0]


def test_signing_refuses_another_persons_card_and_a_card_the_bank_cannot_check_now(wd):
    key = loan_key(wd)
    SandboxBankAccount.objects.create(account_number=UNKNOWN, name=wd.person.name, holder_id="370802199105060022")
    with pytest.raises(ValidationError) as err:
        standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=UNKNOWN)
    assert err.value.message_dict == {"payee_card": [REPAY_REFUSED]}
    assert last_check_reason() == "证件号码与账号不符"
    with override_settings(**BANK_DOWN_SETTINGS), pytest.raises(ValidationError) as down:
        standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=wd.card)
    assert down.value.message_dict == {"payee_card": [BANK_DOWN]} and not StandingInstruction.objects.exists()


def test_signing_for_a_closed_account_asks_no_outside_system(wd):
    key = loan_key(wd)
    MemberAccount.objects.filter(pk=wd.account.pk).update(state="05")
    calls = IntegrationCall.objects.count()
    with pytest.raises(ValidationError) as err:
        standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=wd.card)
    assert "account" in err.value.message_dict and IntegrationCall.objects.count() == calls


def test_signing_through_the_api_answers_400_naming_the_card(wd):
    key = loan_key(wd)
    client = APIClient()
    client.force_authenticate(wd.world.member_a)
    response = client.post("/api/withdrawals/standing/", {"account": wd.account.pk, "loan": key,
                                                          "payee_card": UNKNOWN, "day": 5}, format="json")
    assert response.status_code == 400 and response.json()["payee_card"] == [REPAY_REFUSED]


def test_signing_in_the_personal_hall_shows_the_refusal_on_the_card_field(wd, client):
    key = loan_key(wd)
    client.force_login(wd.world.member_a)
    page = client.post(reverse("member:withdrawal_standing"),
                       {"loan": key, "payee_card": UNKNOWN, "day": timezone.localdate().day % 28 + 1})
    assert REPAY_REFUSED in page.content.decode()
    assert not StandingInstruction.objects.exists()
