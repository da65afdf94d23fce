"""The unified social credit code (统一社会信用代码) is checked and completed in one place, fund.validation."""

import pytest
from django.core.exceptions import ValidationError

from fund.demo import make_credit_code
from fund.validation import clean_credit_code, credit_code_complete, organisation_code_complete


def test_organisation_code_gets_the_gb_11714_check_character() -> None:
    assert organisation_code_complete("D2143569") == "D2143569X"   # the standard's own example (D2143569-X)
    assert organisation_code_complete("M000100Y") == "M000100Y4"


def test_a_completed_code_is_the_published_one_and_passes_the_check() -> None:
    code = credit_code_complete("91350100M000100Y4")
    assert code == "91350100M000100Y43"
    assert clean_credit_code(code) == code


def test_it_refuses_a_code_whose_check_character_is_wrong() -> None:
    with pytest.raises(ValidationError, match="校验位不正确"):
        clean_credit_code("91350100M000100Y44")


def test_demo_codes_pass_the_same_check() -> None:
    for seq in (1, 42, 9999999):
        assert clean_credit_code(make_credit_code(seq)) == make_credit_code(seq)
