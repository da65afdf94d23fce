"""The definitions: every SPEC number is declared once, with a default inside its own bounds."""

from datetime import date
from decimal import Decimal

import pytest

from fund.policy.definitions import BY_CODE, BY_NAME, DEFINITIONS, Kind, definition_find


def test_names_and_codes_are_unique() -> None:
    assert len(BY_NAME) == len(DEFINITIONS)
    assert len(BY_CODE) == len([d for d in DEFINITIONS if d.code])
    assert set(BY_CODE) >= {"DWJCBLXX", "DWJCBLSX", "GRJCBLXX", "GRJCBLSX", "GRZFDKZGED", "GRZFDKZCNX"}


def test_every_definition_is_complete_and_its_seeds_are_within_bounds() -> None:
    for definition in DEFINITIONS:
        assert definition.label and definition.description and definition.seeds, definition.name
        if definition.kind is not Kind.CHOICE:
            assert definition.unit, definition.name
        for seed in definition.seeds:
            definition.parse(seed.value)  # raises when out of bounds or of the wrong kind
            assert seed.note
        for partner in (definition.not_above, definition.not_below):
            assert not partner or partner in BY_NAME


def test_a_standard_code_finds_its_policy() -> None:
    assert definition_find("GRZFDKZGED") is BY_NAME["loan_cap_single"]
    assert definition_find("grzfdkzged") is BY_NAME["loan_cap_single"]
    assert definition_find("no_such_policy") is None


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("loan_rate_first_upto5", Decimal("0.021"), "2.10%"),
        ("loan_rate_second_upto5", Decimal("0.02525"), "2.525%"),
        ("deposit_unit_ratio_min", Decimal("0.05"), "5.00%"),
        ("loan_cap_single", Decimal("600000"), "600,000.00 元"),
        ("deposit_base_cap_multiple", Decimal("3.00"), "3 倍"),
        ("loan_max_term_years", 30, "30 年"),
        ("deposit_rounding_mode", "half_up", "四舍五入"),
        ("deposit_rounding_unit", Decimal("1.00"), "元"),
    ],
)
def test_values_are_shown_the_way_people_read_them(name: str, value: object, shown: str) -> None:
    assert BY_NAME[name].display(value) == shown


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("loan_cap_single", "abc", "数值格式不正确"),
        ("loan_cap_single", "NaN", "数值格式不正确"),
        ("loan_cap_single", "Infinity", "数值格式不正确"),
        ("loan_cap_single", 600000.0, "数值格式不正确"),
        ("loan_cap_single", True, "数值格式不正确"),
        ("loan_cap_single", "1e30", "须在"),
        ("loan_cap_single", "-1", "须在"),
        ("loan_cap_single", "600000.001", "最多保留 2 位小数"),
        ("loan_rate_first_upto5", "0.0210001", "最多保留 3 位小数"),
        ("loan_max_term_years", "29.5", "必须是整数"),
        ("loan_max_term_years", "31", "须在 1 年 至 30 年 之间"),
        ("deposit_rounding_mode", "up", "只能取以下值之一"),
        ("deposit_rounding_unit", "0.1", "只能取以下值之一"),
    ],
)
def test_parse_refuses_bad_input_with_a_chinese_message(name: str, raw: object, message: str) -> None:
    definition = BY_NAME[name]
    with pytest.raises(ValueError, match=message) as caught:
        definition.parse(raw)
    assert definition.label in str(caught.value)


def test_pages_take_percent_and_store_fractions() -> None:
    definition = BY_NAME["loan_rate_first_upto5"]
    assert definition.parse_display("2.10") == Decimal("0.02100")
    assert definition.display_input(Decimal("0.02525")) == "2.525"
    assert BY_NAME["loan_max_term_years"].parse_display("25") == 25


def test_loan_rates_carry_the_2024_and_2025_history() -> None:
    seeds = {s.effective_from: s.value for s in BY_NAME["loan_rate_second_over5"].seeds}
    assert seeds == {date(2024, 5, 18): "0.03325", date(2025, 5, 8): "0.03075"}
