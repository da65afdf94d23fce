"""Money written as money: thousands separators and two decimals, and the amount in Chinese capitals
(大写金额) that every receipt and certificate carries."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from fund.money import CAPITALS_LIMIT, amount_in_capitals, format_money

_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_PLACE = {"拾": 10, "佰": 100, "仟": 1000}


def _read_capitals(words: str) -> Decimal:
    """An independent reader of capitals back into a number, so the writer is checked by round trip."""
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负").removesuffix("整")
    yuan_part, _, fraction = words.partition("元") if "元" in words else ("", "", words)
    total, section, digit = 0, 0, 0
    for char in yuan_part.replace("万亿", "兆"):
        if char in _DIGIT:
            digit = _DIGIT[char]
        elif char in _PLACE:
            section += digit * _PLACE[char]
            digit = 0
        else:
            scale = {"万": 10**4, "亿": 10**8, "兆": 10**12}[char]
            total += (section + digit) * scale
            section = digit = 0
    total += section + digit
    tail = fraction.replace("零", "")  # "零伍分": the 零 only marks an empty 角
    fen = sum(_DIGIT[v] * (10 if u == "角" else 1) for v, u in zip(tail[::2], tail[1::2], strict=True))
    return sign * (Decimal(total) + Decimal(fen) / 100)


@pytest.mark.parametrize(("amount", "words"), [
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("100", "壹佰元整"),
    ("10", "壹拾元整"),
    ("110000", "壹拾壹万元整"),
    ("1.05", "壹元零伍分"),
    ("0.50", "伍角整"),
    ("0.05", "伍分"),
    ("0", "零元整"),
    ("10001", "壹万零壹元整"),
    ("100003", "壹拾万零叁元整"),
    ("1001000", "壹佰万壹仟元整"),
    ("1000100", "壹佰万零壹佰元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("20000000.00", "贰仟万元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("-3.20", "负叁元贰角整"),
])
def test_it_writes_known_amounts_in_capitals_as_vouchers_do(amount: str, words: str) -> None:
    assert amount_in_capitals(Decimal(amount)) == words


amounts = st.decimals(min_value=-CAPITALS_LIMIT + 1, max_value=CAPITALS_LIMIT - 1, places=2,
                      allow_nan=False, allow_infinity=False)


@given(amounts)
def test_capitals_read_back_to_the_same_amount(amount: Decimal) -> None:
    assert _read_capitals(amount_in_capitals(amount)) == amount


@given(amounts)
def test_capitals_keep_the_voucher_rules(amount: Decimal) -> None:
    words = amount_in_capitals(amount)
    assert set(words) <= set("负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert "零零" not in words
    assert words == "零元整" or not any(f"零{unit}" in words for unit in "拾佰仟万亿元角分")
    assert words.endswith(("整", "分"))
    assert not (words.endswith("分") and "整" in words)
    assert "拾" not in words or all(words[i - 1] in _DIGIT for i, c in enumerate(words) if c == "拾")
    if words != "零元整":
        assert not words.removeprefix("负").startswith("零")


def test_it_refuses_an_amount_beyond_what_capitals_can_name() -> None:
    with pytest.raises(ValueError, match="大写金额"):
        amount_in_capitals(CAPITALS_LIMIT)


@given(amounts)
def test_money_has_separators_and_two_decimals_and_reads_back(amount: Decimal) -> None:
    text = format_money(amount)
    whole, _, cents = text.lstrip("-").partition(".")
    assert len(cents) == 2
    assert all(len(group) == 3 for group in whole.split(",")[1:]) and 1 <= len(whole.split(",")[0]) <= 3
    assert Decimal(text.replace(",", "")) == amount


def test_the_money_filters_write_amounts_for_pages() -> None:
    rendered = Template("{% load fund_format %}{{ a|money }}|{{ a|capitals }}|{{ none|money }}").render(
        Context({"a": Decimal("1234567.8"), "none": None}))
    assert rendered == "1,234,567.80|壹佰贰拾叁万肆仟伍佰陆拾柒元捌角整|"
