"""Business numbers (fund.numbers): prefix + zero-padded counter, never handed out twice."""

import re

import pytest

from fund.numbers import attempt_reference, next_in_series, next_number, number_format
from fund.people.models import Branch


def test_number_format_pads_to_the_width_and_keeps_a_wider_value_whole() -> None:
    assert number_format("TQ20260630", 7, 6) == "TQ20260630000007"
    assert number_format("", 1234567, 3) == "1234567"


@pytest.mark.django_db
def test_next_number_never_hands_out_the_same_number_twice() -> None:
    first = next_number("withdrawals_number_seq", "TQ20260630", 6)
    second = next_number("withdrawals_number_seq", "TQ20260630", 6)
    assert re.fullmatch(r"TQ20260630\d{6}", first) and re.fullmatch(r"TQ20260630\d{6}", second)
    assert first != second


@pytest.mark.django_db
def test_next_in_series_counts_only_the_rows_under_the_same_head() -> None:
    Branch.objects.create(code="SZ01", name="市直管理部甲")
    Branch.objects.create(code="SZ02", name="市直管理部乙")
    Branch.objects.create(code="GX01", name="高新区管理部甲")
    assert next_in_series(Branch.objects.all(), "code", "SZ", 2) == "SZ03"
    assert next_in_series(Branch.objects.all(), "code", "LS", 2) == "LS01"


def test_attempt_reference_keeps_the_first_try_bare_and_numbers_the_retries() -> None:
    assert attempt_reference("DK00000000000120260601", 0) == "DK00000000000120260601"
    assert attempt_reference("DK00000000000120260601", 1) == "DK00000000000120260601R01"
    assert attempt_reference("TK0000000042", 12) == "TK0000000042R12"
