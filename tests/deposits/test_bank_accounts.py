"""A bank account or card given to the deposits line is checked with the bank when it is given, outside any
transaction: opening a unit (at the window, or approving an online application), a unit's new account, a
member's card at opening or changed later, and a voluntary depositor's debit card. One the bank does not know
is refused naming the field, in Chinese, with nothing written; while the bank cannot be asked it is refused
for now; a user who may not make the change triggers no call."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from deposits.models import MemberAccount, OpeningRequestState, UnitAccount, UnitOpeningRequest
from deposits.services import member_account_open, unit_account_open
from deposits.services.lifecycle import member_account_change, unit_account_change, voluntary_account_open
from deposits.services.opening import unit_opening_request_approve, unit_opening_request_submit
from fund.demo import make_credit_code, make_id_number
from fund.integrations.bank import BANK_DOWN, bank_account_refused
from fund.integrations.models import IntegrationCall, SandboxSocialInsurance
from fund.people.models import Employer
from tests.clients import api, page
from tests.conftest import bank_account_at_the_bank

pytestmark = pytest.mark.django_db

CARD = "6222020200112233446"
OTHER_CARD = "4012888888881881"
BANK_DOWN_SETTINGS = {"FUND_INTEGRATIONS_OVERRIDES": {"bank": "http"}, "FUND_INTEGRATIONS_HTTP_BASE": ""}


def verify_calls() -> int:
    return IntegrationCall.objects.filter(system="bank", operation="verify_account").count()


def unit_values(world: Any, seq: int = 71, **overrides: Any) -> dict[str, Any]:
    values = dict(actor=world.clerk, branch=world.branch_a, name=f"核验单位{seq}", credit_code=make_credit_code(seq),
                  bank_name="建设银行", bank_account=f"37059{seq:08d}", unit_ratio=Decimal("0.12"),
                  member_ratio=Decimal("0.12"), pay_day=15)
    values.update(overrides)
    return values


# ---- opening a unit ------------------------------------------------------------------------------------


def test_opening_a_unit_refuses_an_account_the_bank_does_not_know_asked_outside_any_transaction(world, bank_depths):
    with pytest.raises(ValidationError) as err:
        unit_account_open(**unit_values(world))
    assert err.value.message_dict == {"bank_account": [bank_account_refused("单位银行账号")]}
    assert not Employer.objects.filter(credit_code=make_credit_code(71)).exists() and bank_depths == [0]

    values = unit_values(world)
    bank_account_at_the_bank(values["bank_account"], values["name"], values["credit_code"])
    assert unit_account_open(**values).bank_account == values["bank_account"] and bank_depths == [0, 0]


def test_opening_a_unit_refuses_another_holders_account_and_waits_while_the_bank_is_down(world):
    values = unit_values(world)
    bank_account_at_the_bank(values["bank_account"], values["name"], make_credit_code(72))  # another unit's
    with pytest.raises(ValidationError) as err:
        unit_account_open(**values)
    assert err.value.message_dict == {"bank_account": [bank_account_refused("单位银行账号")]}
    with override_settings(**BANK_DOWN_SETTINGS), pytest.raises(ValidationError) as down:
        unit_account_open(**unit_values(world, 73))
    assert down.value.message_dict == {"bank_account": [BANK_DOWN]}


def test_opening_a_unit_through_the_api_answers_400_naming_the_account(world):
    response = api(world.clerk).post("/api/deposits/units/", {
        "name": "核验单位74", "credit_code": make_credit_code(74), "bank_name": "建设银行", "bank_account": "3705900000074",
        "unit_ratio": "0.12", "member_ratio": "0.12", "pay_day": 15}, format="json")
    assert response.status_code == 400
    assert response.json() == {"bank_account": [bank_account_refused("单位银行账号")]}


def test_an_online_application_is_checked_by_the_approving_clerk_not_by_the_anonymous_form(world, bank_depths):
    values = unit_values(world, 75)
    request = unit_opening_request_submit(
        branch=world.branch_a, name=values["name"], credit_code=values["credit_code"], bank_name="建设银行",
        bank_account=values["bank_account"], unit_ratio=Decimal("0.12"), member_ratio=Decimal("0.10"), pay_day=15,
        username="applicant75", operator_name="王经办", operator_phone="13912345678", password="Kaihu#2026pw",
        password_again="Kaihu#2026pw",
    )
    assert bank_depths == []  # no login on that form: asking the bank there would answer anyone about any account

    with pytest.raises(ValidationError) as err:
        unit_opening_request_approve(actor=world.clerk, request=request)
    assert err.value.message_dict == {"bank_account": [bank_account_refused("单位银行账号")]}
    assert UnitOpeningRequest.objects.get(pk=request.pk).state == OpeningRequestState.PENDING
    assert bank_depths == [0]

    bank_account_at_the_bank(values["bank_account"], values["name"], values["credit_code"])
    approved = unit_opening_request_approve(actor=world.clerk, request=request)
    assert approved.state == OpeningRequestState.APPROVED and approved.unit.bank_account == values["bank_account"]


# ---- a unit's new account ------------------------------------------------------------------------------


def test_a_units_new_account_is_checked_in_the_units_name_outside_any_transaction(world, bank_depths):
    with pytest.raises(ValidationError) as err:
        unit_account_change(actor=world.unit_a_op, unit=world.unit_a, bank_account="3705912345678")
    assert err.value.message_dict == {"bank_account": [bank_account_refused("单位银行账号")]}
    assert UnitAccount.objects.get(pk=world.unit_a.pk).bank_account == world.unit_a.bank_account
    assert bank_depths == [0]

    bank_account_at_the_bank("3705912345678", world.unit_a.employer.name, world.unit_a.employer.credit_code)
    unit_account_change(actor=world.unit_a_op, unit=world.unit_a, bank_account="3705912345678")
    assert UnitAccount.objects.get(pk=world.unit_a.pk).bank_account == "3705912345678" and bank_depths == [0, 0]

    # The same account again, or other fields only: nothing to ask the bank.
    unit_account_change(actor=world.unit_a_op, unit=world.unit_a, bank_account="3705912345678", pay_day=9)
    assert bank_depths == [0, 0]


def test_another_units_operator_triggers_no_bank_call(world):
    before = verify_calls()
    with pytest.raises(PermissionDenied):
        unit_account_change(actor=world.unit_b_op, unit=world.unit_a, bank_account="3705912345678")
    assert verify_calls() == before


def test_the_unit_hall_shows_the_refusal_on_the_account_field(world):
    response = page(world.unit_a_op).post("/unit/profile/change/", {
        "bank_name": "农业银行", "bank_account": "3705912345678", "pay_day": 8})
    assert response.status_code in (200, 400) and bank_account_refused("单位银行账号") in response.content.decode()
    assert UnitAccount.objects.get(pk=world.unit_a.pk).pay_day == world.unit_a.pay_day


def test_the_api_answers_400_for_a_units_unknown_account(world):
    response = api(world.clerk).post(f"/api/deposits/units/{world.unit_a.pk}/change/", {"bank_account": "3705912345678"},
                                     format="json")
    assert response.status_code == 400 and response.json() == {"bank_account": [bank_account_refused("单位银行账号")]}


# ---- a member's card -----------------------------------------------------------------------------------


def test_a_members_new_card_is_checked_in_their_name_outside_any_transaction(world, bank_depths):
    person = world.account_a.person
    with pytest.raises(ValidationError) as err:
        member_account_change(actor=world.member_a, account=world.account_a, bank_card=CARD)
    assert err.value.message_dict == {"bank_card": [bank_account_refused("银行卡号")]}
    assert MemberAccount.objects.get(pk=world.account_a.pk).bank_card == "" and bank_depths == [0]

    bank_account_at_the_bank(CARD, "别人")  # the bank has the card, in another name
    with pytest.raises(ValidationError):
        member_account_change(actor=world.member_a, account=world.account_a, bank_card=CARD)

    bank_account_at_the_bank(OTHER_CARD, person.name, person.id_number)
    member_account_change(actor=world.member_a, account=world.account_a, bank_card=OTHER_CARD)
    assert MemberAccount.objects.get(pk=world.account_a.pk).bank_card == OTHER_CARD


def test_another_member_triggers_no_bank_call_and_the_bank_down_refuses_for_now(world):
    before = verify_calls()
    with pytest.raises(PermissionDenied):
        member_account_change(actor=world.member_b, account=world.account_a, bank_card=CARD)
    assert verify_calls() == before
    with override_settings(**BANK_DOWN_SETTINGS), pytest.raises(ValidationError) as down:
        member_account_change(actor=world.member_a, account=world.account_a, bank_card=CARD)
    assert down.value.message_dict == {"bank_card": [BANK_DOWN]}


def test_the_personal_hall_and_the_api_show_the_refusal_on_the_card(world):
    body = page(world.member_a).post("/member/account/change/", {"bank_card": CARD}).content.decode()
    assert bank_account_refused("银行卡号") in body
    response = api(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/change/", {"bank_card": CARD},
                                     format="json")
    assert response.status_code == 400 and response.json() == {"bank_card": [bank_account_refused("银行卡号")]}
    assert MemberAccount.objects.get(pk=world.account_a.pk).bank_card == ""


def test_opening_a_member_with_a_card_checks_it_and_without_one_asks_nothing(world, bank_depths):
    number = make_id_number(birth=date(1991, 1, 1), seq=731)
    values = dict(actor=world.clerk, unit=world.unit_a, id_number=number, name="核验职工", base=Decimal("6000.00"))
    with pytest.raises(ValidationError) as err:
        member_account_open(**values, bank_card=CARD)
    assert err.value.message_dict == {"bank_card": [bank_account_refused("银行卡号")]}
    assert not MemberAccount.objects.filter(person__id_number=number).exists() and bank_depths == [0]

    response = api(world.unit_a_op).post("/api/deposits/members/", {
        "unit": world.unit_a.pk, "id_number": number, "name": "核验职工", "base": "6000.00", "bank_card": CARD},
        format="json")
    assert response.status_code == 400 and response.json() == {"bank_card": [bank_account_refused("银行卡号")]}

    assert member_account_open(**values).bank_card == "" and bank_depths == [0, 0]


# ---- a voluntary depositor's debit card ----------------------------------------------------------------


def voluntary_person(seq: int) -> str:
    number = make_id_number(birth=date(1990, 5, 5), seq=seq)
    SandboxSocialInsurance.objects.update_or_create(id_number=number, defaults={"months_local": 36})
    return number


def test_a_voluntary_depositors_card_must_be_theirs_at_the_bank(world, bank_depths):
    number = voluntary_person(741)
    kw = dict(actor=world.clerk, branch=world.branch_a, id_number=number, name="灵活核验", base=Decimal("5000.00"),
              bank_card=CARD)
    with pytest.raises(ValidationError) as err:
        voluntary_account_open(**kw)
    assert err.value.message_dict == {"bank_card": [bank_account_refused("代扣银行卡号")]}
    assert not MemberAccount.objects.filter(person__id_number=number).exists() and bank_depths == [0]

    with override_settings(**BANK_DOWN_SETTINGS), pytest.raises(ValidationError) as down:
        voluntary_account_open(**kw)
    assert down.value.message_dict == {"bank_card": [BANK_DOWN]}

    bank_account_at_the_bank(CARD, "灵活核验", number)
    assert voluntary_account_open(**kw).bank_card == CARD


def test_the_voluntary_opening_page_shows_the_refusal_on_the_card(world):
    number = voluntary_person(742)
    body = page(world.clerk).post("/staff/members/voluntary/", {
        "branch": world.branch_a.pk, "id_number": number, "name": "灵活核验", "base": "5000",
        "bank_card": CARD}).content.decode()
    assert bank_account_refused("代扣银行卡号") in body
    assert not MemberAccount.objects.filter(person__id_number=number).exists()


def test_a_voluntary_opening_while_social_insurance_is_down_is_a_400_not_a_server_error(world):
    number = voluntary_person(743)
    bank_account_at_the_bank(CARD, "灵活核验", number)
    with override_settings(FUND_INTEGRATIONS_OVERRIDES={"social_insurance": "http"}, FUND_INTEGRATIONS_HTTP_BASE=""):
        response = api(world.clerk).post("/api/deposits/members/voluntary/", {
            "id_number": number, "name": "灵活核验", "base": "5000", "bank_card": CARD}, format="json")
    assert response.status_code == 400 and "社保系统暂时无法查询" in response.json()["id_number"][0]
