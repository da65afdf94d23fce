"""Amounts typed by people or read from uploads are parsed in one place, fund.money."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fund.money import clean_amount, parse_amount, to_decimal
from fund.validation import clean_into


@pytest.mark.parametrize(("raw", "expected"), [
    ("12,345.60", Decimal("12345.60")),
    (" 8000元 ", Decimal("8000")),
    ("8，000", Decimal("8000")),
    (0.1, Decimal("0.1")),             # a float by its shortest repr, not 0.1000000000000000055...
    (7, Decimal("7")),
    (Decimal("3.5"), Decimal("3.5")),
    (True, None),
    (None, None),
    ("NaN", None),
    ("Infinity", None),
    (Decimal("NaN"), None),
    ("abc", None),
    ([1], None),
])
def test_to_decimal_reads_numbers_and_refuses_everything_else(raw: object, expected: Decimal | None) -> None:
    assert to_decimal(raw) == expected


def test_parse_amount_rounds_nothing_and_returns_two_places() -> None:
    assert str(parse_amount("20000")) == "20000.00"
    assert str(parse_amount("1,234.5")) == "1234.50"


@pytest.mark.parametrize(("raw", "words"), [
    ("abc", "提取金额必须是数字"),
    ("NaN", "提取金额必须是数字"),
    ("-100", "提取金额必须大于 0"),
    ("0", "提取金额必须大于 0"),
    ("1e20", "提取金额过大"),
    ("9" * 29, "提取金额过大"),
    ("1.234", "提取金额最多保留两位小数"),
])
def test_parse_amount_refuses_with_a_message_naming_the_field(raw: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_amount(raw, label="提取金额")


def test_clean_amount_reports_into_the_field_and_lets_an_optional_one_be_empty() -> None:
    errors: dict[str, list[str]] = {}
    assert clean_into(errors, "amount", clean_amount, "", label="核准金额", required=False) is None
    assert errors == {}
    assert clean_into(errors, "amount", clean_amount, "-1", label="核准金额") is None
    assert errors == {"amount": ["核准金额必须大于 0"]}
    with pytest.raises(ValidationError, match="请填写核准金额"):
        clean_amount(None, label="核准金额")
