"""Free text that names a thing has the format and length a real one has (fund.validation), on every road in:
the page and the API answer with a Chinese message naming the field, and nothing is written.

The issue's examples: a unit's bank account changed to "0" and its bank to "11618441.0"; a transfer out on
letter "\\n95" to a centre named "Ç".
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from deposits.models import CrossRegionTransfer, UnitAccount, UnitOpeningRequest
from fund.audit.models import AuditEvent
from fund.demo import make_credit_code, make_id_number
from fund.people.models import Employer
from fund.validation import (
    clean_account_number,
    clean_address,
    clean_bank_account,
    clean_bank_name,
    clean_centre_name,
    clean_letter_number,
    clean_line,
    clean_mobile,
    clean_org_name,
    clean_person_name,
    clean_phone,
    clean_text,
)
from risk.models import BlacklistEntry
from tests.clients import api, page

pytestmark = pytest.mark.django_db


# ---- the rules, one kind of text at a time ----------------------------------------------------------------

REFUSED = [
    (clean_bank_name, "11618441.0", "缴存银行应为银行的名称"),
    (clean_bank_name, "Ç", "缴存银行"),
    (clean_bank_name, "示范市安居置业有限公司", "缴存银行应为银行的名称"),
    (clean_bank_name, "建设\n银行", "缴存银行不能含有换行"),
    (clean_bank_account, "0", "单位银行账号应为8至32位数字"),
    (clean_bank_account, "00000000", "单位银行账号应为8至32位数字"),
    (clean_bank_account, "3705 01ab 0001", "单位银行账号应为8至32位数字"),
    (clean_bank_account, "1" * 33, "单位银行账号应为8至32位数字"),
    (clean_letter_number, "\n95", "联系函编号不能含有换行"),
    (clean_letter_number, "95", "联系函编号应为6至40位字母或数字"),
    (clean_letter_number, "ZY\t20261122", "联系函编号不能含有换行"),
    (clean_letter_number, "联系函二〇二六", "联系函编号应为6至40位字母或数字"),
    (clean_letter_number, "ABCDEFG", "联系函编号应为6至40位字母或数字"),
    (clean_person_name, "职工1", "姓名只能由汉字、字母和间隔号“·”组成"),
    (clean_person_name, "Ç", "姓名至少2个字"),
    (clean_person_name, "Çelik", "姓名只能由汉字、字母和间隔号“·”组成"),
    (clean_person_name, "张\x00三", "姓名不能含有换行、制表符等控制字符"),
    (clean_org_name, "11618441.0", "单位名称应为登记的中文名称"),
    (clean_org_name, "ÇÇÇÇ", "单位名称应为登记的中文名称"),
    (clean_address, "Ç", "地址至少5个字"),
    (clean_address, "12345 6789", "地址应为详细地址"),
    (clean_mobile, "12345", "手机号码应为以1开头的11位手机号码"),
    (clean_phone, "0", "联系电话应为手机号码或带区号的固定电话"),
    (clean_phone, "电话0537", "联系电话应为手机号码或带区号的固定电话"),
    (clean_line, "第一行\r\n第二行", "说明不能含有换行"),
    (clean_text, "第一行\x1b", "说明不能含有控制字符"),
]


@pytest.mark.parametrize(("clean", "raw", "message"), REFUSED)
def test_it_refuses_text_no_real_value_has_with_a_message_naming_the_field(clean, raw, message):
    options = {"label": "说明", "max_length": 200} if clean in (clean_line, clean_text) else {}
    if clean is clean_centre_name:
        options = {"label": "转入地公积金中心"}
    with pytest.raises(ValidationError) as refused:
        clean(raw, **options)
    assert message in refused.value.messages[0]


@pytest.mark.parametrize("raw", ["Ç", "11618441.0", "武汉市", "武汉\n住房公积金管理中心", "示范市安居置业有限公司"])
def test_it_refuses_a_centre_that_is_not_a_provident_fund_centre(raw):
    with pytest.raises(ValidationError) as refused:
        clean_centre_name(raw, label="转入地公积金中心")
    assert refused.value.messages[0].startswith("转入地公积金中心")


@pytest.mark.parametrize(("clean", "raw", "stored"), [
    (clean_bank_name, " 中国建设银行示范市分行 ", "中国建设银行示范市分行"),
    (clean_bank_name, "建行", "建行"),
    (clean_bank_name, "示范市农村信用合作联社", "示范市农村信用合作联社"),
    (clean_bank_name, "汇丰银行（中国）有限公司", "汇丰银行（中国）有限公司"),
    (clean_bank_account, "3705 0160 0000-0001", "3705016000000001"),
    (clean_letter_number, "zy2026112200000001", "ZY2026112200000001"),
    (clean_person_name, "买买提·艾力", "买买提·艾力"),
    (clean_person_name, "John Smith", "John Smith"),
    (clean_person_name, "𠀋子", "𠀋子"),  # a rare character outside the basic block
    (clean_org_name, "示范市第1建筑工程有限公司", "示范市第1建筑工程有限公司"),
    (clean_address, "示范市高新区科技路88号", "示范市高新区科技路88号"),
    (clean_mobile, "138 0000 0001", "13800000001"),
    (clean_phone, "0537-3100001", "0537-3100001"),
    (clean_text, "第一行\r\n第二行\t说明", "第一行\r\n第二行\t说明"),
])
def test_it_keeps_real_values_as_stored(clean, raw, stored):
    options = {"label": "说明", "max_length": 200} if clean is clean_text else {}
    assert clean(raw, **options) == stored


def test_real_centres_and_other_accounts_pass():
    assert clean_centre_name("武汉住房公积金管理中心", label="转入地公积金中心") == "武汉住房公积金管理中心"
    assert clean_centre_name("中央国家机关住房资金管理中心", label="转入地公积金中心")
    assert clean_account_number("sh0001", label="转入地个人账号") == "SH0001"
    assert clean_account_number("", label="转入地个人账号", required=False) == ""


# ---- a unit's bank: the change, from the unit's page and through the API ----------------------------------

def test_it_refuses_a_unit_bank_account_of_0_and_a_bank_named_by_a_number_through_the_api(world):
    response = api(world.unit_a_op).post(f"/api/deposits/units/{world.unit_a.pk}/change/",
                                         {"bank_account": "0", "bank_name": "11618441.0"}, format="json")
    assert response.status_code == 400
    assert response.json()["bank_account"] == ["单位银行账号应为8至32位数字"]
    assert response.json()["bank_name"] == ["缴存银行应为银行的名称，如“中国建设银行示范市分行”"]
    unit = UnitAccount.objects.get(pk=world.unit_a.pk)
    assert (unit.bank_name, unit.bank_account) == (world.unit_a.bank_name, world.unit_a.bank_account)
    assert not AuditEvent.objects.filter(action="deposits.unit.changed").exists()


def test_it_refuses_the_same_on_the_units_change_page(world):
    response = page(world.unit_a_op).post("/unit/profile/change/", {
        "bank_name": "11618441.0", "bank_account": "0", "pay_day": 8, "address": "Ç", "contact_phone": "0",
    })
    errors = response.context["form"].errors
    assert errors["bank_name"] == ["缴存银行应为银行的名称，如“中国建设银行示范市分行”"]
    assert errors["bank_account"] == ["单位银行账号应为8至32位数字"]
    assert errors["address"] == ["单位地址至少5个字"]
    assert "联系电话" in errors["contact_phone"][0]
    assert UnitAccount.objects.get(pk=world.unit_a.pk).pay_day == world.unit_a.pay_day  # nothing written


def test_a_value_stored_under_older_rules_does_not_block_changing_another_field(world):
    # The 专户 of voluntary depositors carries bank "委托代扣" and account "0"; its page sends them back.
    UnitAccount.objects.filter(pk=world.unit_a.pk).update(bank_name="委托代扣", bank_account="0")
    response = api(world.clerk).post(f"/api/deposits/units/{world.unit_a.pk}/change/",
                                     {"bank_name": "委托代扣", "bank_account": "0", "contact_phone": "0537-3100001"},
                                     format="json")
    assert response.status_code == 200, response.content
    assert Employer.objects.get(pk=world.unit_a.employer_id).contact_phone == "0537-3100001"


def test_it_refuses_a_unit_opened_at_the_window_with_nonsense_details(world):
    payload = {"name": "Ç", "credit_code": make_credit_code(600), "branch": world.branch_a.pk,
               "bank_name": "11618441.0", "bank_account": "0", "address": "12345", "contact_name": "经办人1",
               "unit_ratio": "0.12", "member_ratio": "0.12", "pay_day": 15}
    response = api(world.clerk).post("/api/deposits/units/", payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "bank_name", "bank_account", "address", "contact_name"}
    assert UnitAccount.objects.count() == 2 and not Employer.objects.filter(credit_code=make_credit_code(600)).exists()


def test_it_refuses_an_online_unit_application_with_a_bank_named_by_a_number(world):
    from deposits.services.opening import unit_opening_request_submit

    with pytest.raises(ValidationError) as refused:
        unit_opening_request_submit(
            branch=world.branch_a, name="示范市网上申请有限公司", credit_code=make_credit_code(601),
            bank_name="11618441.0", bank_account="0", unit_ratio=world.unit_a.unit_ratio,
            member_ratio=world.unit_a.member_ratio, pay_day=15, username="online601", operator_name="Ç",
            operator_phone="13800000601", password="Fund#Online2026", password_again="Fund#Online2026",
        )
    assert set(refused.value.message_dict) == {"bank_name", "bank_account", "operator_name"}
    assert not UnitOpeningRequest.objects.exists()


# ---- a transfer out: letter "\n95" to "Ç" -------------------------------------------------------------------

def test_it_refuses_a_transfer_out_on_letter_newline_95_to_a_centre_named_c_cedilla_through_the_api(world):
    response = api(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/transfer-out/",
                                     {"letter_number": "\n95", "to_centre": "Ç", "to_account_number": "\t1"},
                                     format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["letter_number"] == ["联系函编号应为6至40位字母或数字，如“ZY2026112200000001”"]
    assert body["to_centre"] == ["转入地公积金中心至少4个字"]
    assert body["to_account_number"] == ["转入地个人账号应为4至40位字母或数字"]
    assert not CrossRegionTransfer.objects.exists()


def test_it_refuses_the_same_transfer_out_on_the_staff_page(world):
    response = page(world.clerk).post(f"/staff/members/{world.account_a.pk}/transfer/",
                                      {"direction": "out", "letter_number": "\n95", "to_centre": "Ç北京中心"})
    errors = response.context["out_form"].errors
    assert errors["letter_number"] == ["联系函编号应为6至40位字母或数字，如“ZY2026112200000001”"]
    assert errors["to_centre"] == ["转入地公积金中心应为住房公积金中心的名称，如“武汉住房公积金管理中心”"]
    assert not CrossRegionTransfer.objects.exists()


def test_it_refuses_a_transfer_in_from_a_centre_named_c_cedilla(world):
    response = api(world.member_a).post(f"/api/deposits/members/{world.account_a.pk}/transfer-in/",
                                        {"from_centre": "Ç"}, format="json")
    assert response.status_code == 400 and response.json()["from_centre"][0].startswith("转出地公积金中心")
    shown = page(world.member_a).post("/member/transfer/", {"from_centre": "11618441.0"})
    assert shown.context["form"].errors["from_centre"][0].startswith("转出地公积金中心应为住房公积金中心的名称")
    assert not CrossRegionTransfer.objects.exists()


# ---- names of people ------------------------------------------------------------------------------------

def test_it_refuses_a_member_named_with_digits_and_a_phone_that_is_no_phone(world):
    payload = {"unit": world.unit_a.pk, "id_number": make_id_number(birth=date(1990, 1, 1), seq=602),
               "name": "11618441.0", "base": "8000.00", "phone": "0"}
    response = api(world.clerk).post("/api/deposits/members/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["姓名只能由汉字、字母和间隔号“·”组成"]
    assert response.json()["phone"] == ["手机号码应为以1开头的11位手机号码"]


def test_it_refuses_a_blacklisted_unit_named_by_a_number(world):
    from fund.people.services import staff_create

    officer = staff_create(actor=None, username="risk9", name="风控九", branch=world.branch_a, posts=["risk"],
                           employee_number="risk9", password="Demo@2026fund", centre_wide=True)
    response = api(officer).post("/api/risk/blacklist/", {
        "subject_kind": "unit", "credit_code": make_credit_code(603), "name": "11618441.0",
        "category": "stopped_after_loan", "reason": "职工贷款后停缴"}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["单位名称应为登记的中文名称，如“示范市安居置业有限公司”"]
    assert not BlacklistEntry.objects.exists()


# ---- more of the same kind: a receipt's serial, a platform letter, a sign-in name -------------------------

@pytest.mark.parametrize("serial", ["JZ 001", "JZ\t001", "进账单一"])
def test_it_refuses_a_bank_serial_that_would_be_a_second_key_for_the_same_receipt(world, serial):
    from deposits.models import BillState
    from deposits.services.remittance import bill_confirm, bill_generate

    bill = bill_confirm(actor=world.unit_a_op, bill=bill_generate(actor=world.clerk, unit=world.unit_a,
                                                                  month=date(2025, 2, 1)))
    response = api(world.clerk).post(f"/api/deposits/bills/{bill.pk}/receipt/",
                                     {"channel": "counter", "bank_reference": serial}, format="json")
    assert response.status_code == 400 and response.json()["bank_reference"][0].startswith("银行流水号")
    bill.refresh_from_db()
    assert bill.state == BillState.CONFIRMED and bill.bank_reference is None


def test_a_platform_letter_naming_no_real_centre_or_account_is_blocked_and_can_only_be_refused(world):
    from deposits.services.lifecycle import member_account_seal
    from deposits.services.transfer import (
        letter_blockers,
        transfer_out_letter_execute,
        transfer_out_letters_fetch,
    )
    from fund.integrations.transfer import sandbox_incoming_letter

    account = member_account_seal(actor=world.clerk, account=world.account_a, reason="离职")
    letter = sandbox_incoming_letter(id_number=account.person.id_number, name=account.person.name, to_centre="Ç",
                                     to_centre_account="0")
    transfer_out_letters_fetch()
    transfer = CrossRegionTransfer.objects.get(letter_number=letter.letter_number)
    blockers = letter_blockers(transfer)
    assert any(b.startswith("来函的转入地公积金中心") for b in blockers)
    assert any(b.startswith("来函的转入中心收款账号应为8至32位数字") for b in blockers)
    with pytest.raises(ValidationError):
        transfer_out_letter_execute(actor=world.clerk, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.entry_id is None


@pytest.fixture
def no_throttle_yet() -> None:
    """The token endpoint's rate limit counts in the cache, which outlives a test: start these from nothing."""
    from django.core.cache import cache

    cache.clear()


def test_a_sign_in_name_with_a_line_break_matches_no_one_and_forges_no_record_line(world, no_throttle_yet):
    from fund.people.models import LoginAttempt

    response = Client().post("/accounts/login/", {"username": "clerk\nADMIN", "password": "Demo@2026fund"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    token = APIClient().post("/api/auth/token/", {"username": "clerk\rADMIN", "password": "Demo@2026fund"},
                             format="json")
    assert token.status_code in (400, 401)
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["CLERK?ADMIN", "CLERK?ADMIN"]


def test_a_sign_in_name_longer_in_capitals_is_a_failed_sign_in_not_a_500(world, no_throttle_yet):
    response = Client(raise_request_exception=False).post("/accounts/login/", {"username": "ß" * 150, "password": "x"})
    assert response.status_code == 200
    token = APIClient(raise_request_exception=False).post("/api/auth/token/", {"username": "ß" * 150, "password": "x"},
                                                          format="json")
    assert token.status_code in (400, 401)


def test_the_admins_editable_tables_keep_the_same_rules(world):
    from fund.people.models import Branch
    from loans.models import Project

    with pytest.raises(ValidationError) as refused:
        Branch(code="09", name="11618441.0", address="Ç", phone="12329\n").full_clean()
    assert set(refused.value.message_dict) == {"name", "address", "phone"}
    with pytest.raises(ValidationError) as refused:
        Project(developer=world.developer_a, name="幸福\n家园", address="0").full_clean()
    assert set(refused.value.message_dict) == {"name", "address"}
    Branch(code="09", name="经开区管理部", address="示范市经开区长江路9号", phone="12329").full_clean()
    Project(developer=world.developer_a, name="御景湾", address="示范市高新区科技路88号").full_clean()


def test_it_refuses_a_voluntary_depositor_named_by_a_number_from_the_api_and_the_page(world):
    from deposits.models import MemberAccount
    from fund.integrations.models import SandboxSocialInsurance

    number = make_id_number(birth=date(1990, 5, 5), seq=604)
    SandboxSocialInsurance.objects.update_or_create(id_number=number, defaults={"months_local": 36})
    payload = {"id_number": number, "name": "11618441.0", "phone": "0", "base": "5000.00",
               "bank_card": "6222020000000000604"}
    response = api(world.clerk).post("/api/deposits/members/voluntary/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["姓名只能由汉字、字母和间隔号“·”组成"]
    assert response.json()["phone"] == ["手机号码应为以1开头的11位手机号码"]
    shown = page(world.clerk).post("/staff/members/voluntary/", {**payload, "branch": world.branch_a.pk, "name": "Ç"})
    assert shown.context["form"].errors["name"] == ["姓名至少2个字"]
    assert not MemberAccount.objects.filter(person__id_number=number).exists()
