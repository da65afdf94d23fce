from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from fund.demo import make_credit_code, make_id_number
from fund.validation import clean_bank_card, clean_credit_code, clean_resident_id
from fund.workdays import add_working_days, is_working_day


@given(st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)), st.integers(0, 499), st.booleans())
def test_every_generated_resident_id_validates_and_yields_its_birth_date(birth, seq, male):
    resident = clean_resident_id(make_id_number(birth=birth, seq=seq, male=male))
    assert resident.birth_date == birth
    assert resident.sex == ("1" if male else "2")


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "请填写身份证号码"), ("11010119900307123", "身份证号码应为18位"), ("110101199003071235", "身份证号码校验位不正确"),
     ("11010119901307123" + ric.calc_check_digit("110101199013071230"), "身份证号码中的出生日期无效"),
     ("11010119900307123A", "身份证号码格式不正确")],
)
def test_bad_resident_ids_get_a_chinese_message(value, message):
    with pytest.raises(ValidationError) as exc:
        clean_resident_id(value)
    assert exc.value.messages == [message]


def test_credit_codes_and_bank_cards():
    assert clean_credit_code(make_credit_code(5).lower()) == make_credit_code(5)
    with pytest.raises(ValidationError, match="校验位"):
        clean_credit_code(make_credit_code(5)[:-1] + "X" if make_credit_code(5)[-1] != "X" else make_credit_code(5)[:-1] + "Y")
    assert clean_bank_card("4111 1111 1111 1111") == "4111111111111111"
    with pytest.raises(ValidationError, match="银行卡号校验位不正确"):
        clean_bank_card("4111111111111112")
    with pytest.raises(ValidationError, match="12至19位数字"):
        clean_bank_card("41111abc")


def test_working_days_skip_the_national_day_holiday():
    # 2026: 1–7 October off (Thursday to Wednesday), Saturday 10 October a make-up working day.
    assert not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 10, 10))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 29), 4) == date(2026, 10, 10)


def test_outside_the_calendar_years_only_weekends_are_off():
    assert is_working_day(date(2031, 1, 1))  # a Wednesday; that year's holidays are not yet published
    assert add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 6)
