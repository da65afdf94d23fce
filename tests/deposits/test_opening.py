"""Opening accounts and the first deposit: the rules, and that bad input writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from deposits.models import MemberAccount, MemberState, MonthlyDeposit, UnitAccount
from deposits.services import monthly_deposit_post
from fund.audit.models import AuditEvent
from fund.demo import make_credit_code, make_id_number
from fund.ledger import chart
from fund.ledger.models import Account, JournalEntry, SubAccount
from fund.ledger.selectors import account_balance, ledger_reconcile
from fund.people.models import Employer, Person
from tests.conftest import open_member, open_unit

pytestmark = pytest.mark.django_db


def _fields(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_a_bad_credit_code_names_the_field_and_writes_nothing(world):
    bad = make_credit_code(77)[:-1] + ("0" if make_credit_code(77)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        open_unit(world.clerk, world.branch_a, 77, credit_code=bad)
    assert _fields(exc)["credit_code"] == ["统一社会信用代码校验位不正确"]
    assert not Employer.objects.filter(credit_code=bad).exists()


@pytest.mark.parametrize(("field", "ratio"), [("unit_ratio", Decimal("0.04")), ("member_ratio", Decimal("0.13"))])
def test_ratios_outside_policy_bounds_are_refused(world, field, ratio):
    with pytest.raises(ValidationError) as exc:
        open_unit(world.clerk, world.branch_a, 78, **{field: ratio})
    assert "5% 至 12%" in _fields(exc)[field][0]
    assert UnitAccount.objects.count() == 2


def test_a_credit_code_opens_one_unit_only(world):
    with pytest.raises(ValidationError) as exc:
        open_unit(world.clerk, world.branch_a, 1)
    assert _fields(exc)["credit_code"] == ["该统一社会信用代码已开户"]


def test_a_bad_resident_id_names_the_field_and_writes_nothing(world):
    good = make_id_number(birth=date(1985, 5, 5), seq=60)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = (Person.objects.count(), SubAccount.objects.count(), MemberAccount.objects.count())
    with pytest.raises(ValidationError) as exc:
        open_member(world.clerk, world.unit_a, 60, id_number=bad)
    assert _fields(exc)["id_number"] == ["身份证号码校验位不正确"]
    assert (Person.objects.count(), SubAccount.objects.count(), MemberAccount.objects.count()) == before


def test_a_bad_bank_card_names_the_field_and_writes_nothing(world):
    before = (Person.objects.count(), SubAccount.objects.count(), MemberAccount.objects.count())
    with pytest.raises(ValidationError) as exc:
        open_member(world.clerk, world.unit_a, 61, bank_card="6222020200112233445")
    assert _fields(exc)["bank_card"] == ["银行卡号校验位不正确"]
    assert (Person.objects.count(), SubAccount.objects.count(), MemberAccount.objects.count()) == before


def test_an_operator_learns_nothing_about_a_person_outside_their_reach(world):
    """A unit operator (or another branch's clerk) trying a known ID gets no name check and no account number."""
    with pytest.raises(ValidationError) as exc:
        open_member(world.unit_b_op, world.unit_b, 1, name="猜一个名字")
    assert _fields(exc)["name"] == ["身份信息核验未通过，请核对姓名与身份证号码"]
    with pytest.raises(ValidationError) as exc:
        open_member(world.unit_b_op, world.unit_b, 1, name=world.account_a.person.name)
    assert world.account_a.number not in _fields(exc)["id_number"][0]
    with pytest.raises(ValidationError) as exc:
        open_member(world.clerk, world.unit_a, 1, name=world.account_a.person.name)
    assert world.account_a.number in _fields(exc)["id_number"][0]  # the clerk of A's branch is told where


def test_birth_date_and_sex_come_from_the_id_number(world):
    account = open_member(world.clerk, world.unit_a, 62, id_number=make_id_number(birth=date(1979, 12, 31), seq=62, male=False))
    assert account.person.birth_date == date(1979, 12, 31)
    assert account.person.sex == "2"


@pytest.mark.parametrize(("base", "message"), [(Decimal("2099.99"), "2,100.00"), (Decimal("22500.01"), "22,500.00")])
def test_the_base_lies_between_minimum_wage_and_three_times_the_average(world, base, message):
    with pytest.raises(ValidationError) as exc:
        open_member(world.clerk, world.unit_a, 63, base=base)
    assert message in _fields(exc)["base"][0]


def test_monthly_amounts_are_base_times_ratio_rounded_to_the_yuan(world):
    account = open_member(world.clerk, world.unit_a, 64, base=Decimal("8234.56"))  # × 12 % = 988.1472
    assert (account.unit_monthly, account.member_monthly) == (Decimal("988.00"), Decimal("988.00"))
    account = open_member(world.clerk, world.unit_a, 65, base=Decimal("8237.50"))  # × 12 % = 988.50 → 989
    assert account.unit_monthly == Decimal("989.00")


def test_one_person_has_one_active_account(world):
    with pytest.raises(ValidationError) as exc:
        open_member(world.clerk_b, world.unit_b, 1, name=world.account_a.person.name)
    assert "一人只能有一个账户" in _fields(exc)["id_number"][0]
    assert MemberAccount.objects.filter(person=world.account_a.person).count() == 1


def test_the_database_refuses_a_second_active_account(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberAccount.objects.filter(pk=world.account_b.pk).update(person=world.account_a.person)


def test_a_new_member_starts_in_the_month_after_opening(world):
    assert world.account_a.first_month == date(2025, 2, 1)
    with pytest.raises(ValidationError) as exc:
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 1, 1), value_date=date(2025, 1, 20))
    assert "起缴" in _fields(exc)["month"][0]


def test_a_deposit_moves_money_through_the_ledger_once(world):
    account = world.account_a
    first, created = monthly_deposit_post(actor=world.clerk, account=account, month=date(2025, 2, 1), value_date=date(2025, 2, 15))
    again, created_again = monthly_deposit_post(actor=world.clerk, account=account, month=date(2025, 2, 1), value_date=date(2025, 2, 16))
    assert (created, created_again) == (True, False)
    account.refresh_from_db()
    account.sub_account.refresh_from_db()
    assert again.pk == first.pk
    assert account.sub_account.balance == Decimal("1920.00")
    assert account.paid_up_to == date(2025, 2, 1)
    assert JournalEntry.objects.filter(business_type="GJ01").count() == 1
    assert account_balance(Account.objects.get(code=chart.BANK)) == Decimal("1920.00")
    assert AuditEvent.objects.filter(action="deposits.member.deposited", target_id=str(account.pk)).count() == 1
    assert ledger_reconcile() == []
    call_command("reconcile")


def test_back_pay_fills_the_gap_and_advances_the_paid_up_month(world):
    account = world.account_a
    for month in (date(2025, 2, 1), date(2025, 4, 1)):
        monthly_deposit_post(actor=world.clerk, account=account, month=month, value_date=date(2025, 4, 15))
    account.refresh_from_db()
    assert account.paid_up_to == date(2025, 2, 1)
    deposit, _ = monthly_deposit_post(actor=world.clerk, account=account, month=date(2025, 3, 1), value_date=date(2025, 4, 16))
    account.refresh_from_db()
    assert account.paid_up_to == date(2025, 4, 1)
    assert deposit.entry.business_type == "GJ02"  # 补缴
    assert MonthlyDeposit.objects.filter(account=account).count() == 3


def test_a_sealed_unit_takes_no_deposits(world):
    from deposits.models import UnitState

    UnitAccount.objects.filter(pk=world.unit_a.pk).update(state=UnitState.SEALED)
    with pytest.raises(ValidationError) as exc:
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15))
    assert "单位账户状态为“封存”" in _fields(exc)["account"][0]


def test_future_months_and_sealed_accounts_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 6, 1), value_date=date(2025, 5, 15))
    assert _fields(exc)["month"] == ["不能预缴未来月份"]
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    with pytest.raises(ValidationError) as exc:
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15))
    assert "封存" in _fields(exc)["account"][0]
    assert not MonthlyDeposit.objects.exists()


def test_opening_is_audited(world):
    event = AuditEvent.objects.get(action="deposits.member.opened", target_id=str(world.account_a.pk))
    assert event.actor == world.clerk
    assert event.new["unit_monthly"] == "960.00"


def test_ratios_are_shown_as_percentages(world, client):
    client.force_login(world.unit_a_op)
    assert "12% / 12%" in client.get("/unit/").content.decode()
    assert "0.1200" not in client.get("/unit/profile/").content.decode()
