"""blacklist_check: the one question every business line asks before a withdrawal or a loan."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fund.demo import make_credit_code, make_id_number
from risk.models import Category, SubjectKind
from risk.selectors import blacklist_check
from risk.services import blacklist_add, blacklist_lift

pytestmark = pytest.mark.django_db

PERSON = make_id_number(birth=date(1985, 6, 12), seq=901)
OTHER_PERSON = make_id_number(birth=date(1979, 11, 3), seq=902, male=False)
UNIT = make_credit_code(951)
LISTED = date(2026, 5, 1)


def list_person(actor, id_number=PERSON, **overrides):
    values = dict(
        actor=actor, subject_kind=SubjectKind.PERSON, id_number=id_number, name="郭某某",
        category=Category.FRAUD_WITHDRAWAL, reason="伪造购房合同骗提", listed_on=LISTED,
    )
    values.update(overrides)
    return blacklist_add(**values)


def list_unit(actor, credit_code=UNIT, **overrides):
    values = dict(
        actor=actor, subject_kind=SubjectKind.UNIT, credit_code=credit_code, name="鑫达商贸有限公司",
        category=Category.STOPPED_AFTER_LOAN, reason="职工贷款后停缴", listed_on=LISTED,
    )
    values.update(overrides)
    return blacklist_add(**values)


def test_an_entry_is_in_force_from_listed_on_up_to_the_day_before_until(officers):
    entry = list_person(officers.risk)
    assert entry.until == date(2031, 5, 1)  # 5 years, the seeded policy
    assert blacklist_check(id_number=PERSON, business="withdrawal", on=LISTED - timedelta(days=1)) is None
    assert blacklist_check(id_number=PERSON, business="withdrawal", on=LISTED) == entry
    assert blacklist_check(id_number=PERSON, business="loan", on=date(2031, 4, 30)) == entry
    # Expired: on `until` itself the applicant may do business again.
    assert blacklist_check(id_number=PERSON, business="withdrawal", on=date(2031, 5, 1)) is None


def test_today_is_the_default_date(officers):
    today = timezone.localdate()
    list_person(officers.risk, listed_on=today - timedelta(days=10))
    assert blacklist_check(id_number=PERSON, business="loan") is not None
    list_person(officers.risk, id_number=OTHER_PERSON, listed_on=today - timedelta(days=20), until=today)
    assert blacklist_check(id_number=OTHER_PERSON, business="loan") is None


def test_a_lifted_entry_bars_nothing(officers):
    entry = list_person(officers.risk, listed_on=timezone.localdate() - timedelta(days=3))
    assert blacklist_check(id_number=PERSON, business="withdrawal") == entry
    blacklist_lift(actor=officers.risk_b, entry=entry, reason="复核认定有误")
    assert blacklist_check(id_number=PERSON, business="withdrawal") is None
    assert blacklist_check(id_number=PERSON, business="loan", on=LISTED + timedelta(days=400)) is None


def test_an_entry_bars_only_the_businesses_it_names(officers):
    list_person(officers.risk, category=Category.MALICIOUS_OVERDUE, bans_withdrawal=False, bans_loan=True)
    assert blacklist_check(id_number=PERSON, business="withdrawal", on=LISTED) is None
    assert blacklist_check(id_number=PERSON, business="loan", on=LISTED) is not None


def test_fraud_bars_both_withdrawals_and_loans_by_default(officers):
    entry = list_person(officers.risk, category=Category.FRAUD_LOAN)
    assert entry.bans_withdrawal and entry.bans_loan
    assert blacklist_check(id_number=PERSON, business="withdrawal", on=LISTED) == entry
    assert blacklist_check(id_number=PERSON, business="loan", on=LISTED) == entry


def test_persons_are_found_by_id_number_and_units_by_credit_code(officers):
    person = list_person(officers.risk)
    unit = list_unit(officers.risk)
    assert blacklist_check(id_number=PERSON, business="loan", on=LISTED) == person
    assert blacklist_check(credit_code=UNIT, business="loan", on=LISTED) == unit
    assert blacklist_check(id_number=OTHER_PERSON, business="loan", on=LISTED) is None
    assert blacklist_check(credit_code=make_credit_code(952), business="loan", on=LISTED) is None
    # A person's ID passed as a credit code (or the reverse) matches nothing.
    assert blacklist_check(credit_code=PERSON, business="loan", on=LISTED) is None
    assert blacklist_check(id_number=UNIT, business="loan", on=LISTED) is None
    # Asked about a person and their employer at once, either listing refuses.
    assert blacklist_check(id_number=OTHER_PERSON, credit_code=UNIT, business="loan", on=LISTED) == unit


def test_the_id_number_is_matched_whatever_the_case_of_its_check_letter(officers):
    ids = (make_id_number(birth=date(1990, 3, 7), seq=seq) for seq in range(1, 300))
    number = next(n for n in ids if n.endswith("X"))  # one whose check character is the letter X
    entry = list_person(officers.risk, id_number=number.lower())
    assert entry.id_number == number
    assert blacklist_check(id_number=f" {number.lower()} ", business="loan", on=LISTED) == entry


def test_of_several_entries_in_force_the_one_ending_last_is_returned(officers):
    list_person(officers.risk, category=Category.FRAUD_WITHDRAWAL, until=date(2027, 1, 1))
    longest = list_person(officers.risk, category=Category.FRAUD_LOAN, until=date(2033, 1, 1))
    list_person(officers.risk, category=Category.OTHER, until=date(2029, 1, 1))
    assert blacklist_check(id_number=PERSON, business="withdrawal", on=LISTED) == longest


def test_the_refusal_message_names_the_category_the_date_and_the_business_refused(officers):
    list_person(officers.risk)
    withdrawal = blacklist_check(id_number=PERSON, business="withdrawal", on=LISTED)
    assert withdrawal.refusal_message == (
        "您已被列入住房公积金诚信黑名单（骗提住房公积金），2031年5月1日前不能办理提取业务"
    )
    loan = blacklist_check(id_number=PERSON, business="loan", on=LISTED)
    assert loan.refusal_message.endswith("2031年5月1日前不能办理贷款业务")
    unit = list_unit(officers.risk, bans_withdrawal=False)
    assert unit.refusal_message == (
        "该单位已被列入住房公积金诚信黑名单（职工贷款后停缴住房公积金），2031年5月1日前不能办理贷款业务"
    )


def test_a_call_without_a_subject_or_with_an_unknown_business_is_a_bug_not_a_pass(officers):
    with pytest.raises(ValueError):
        blacklist_check(business="withdrawal")
    with pytest.raises(ValueError):
        blacklist_check(id_number="  ", credit_code="", business="loan")
    with pytest.raises(ValueError):
        blacklist_check(id_number=PERSON, business="transfer")
