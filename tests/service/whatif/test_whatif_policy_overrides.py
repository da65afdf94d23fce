"""policy_overrides: a draft value answers policy_value and policy_day on every date, only inside the block."""

from datetime import date
from decimal import Decimal

import pytest

from fund.policy.models import PolicyValue
from fund.policy.selectors import PolicyUnknown, policy_day, policy_overrides, policy_value

pytestmark = pytest.mark.django_db

CAP = "withdrawal_rent_cap_per_year"


@pytest.fixture
def seeded(reference_data):
    return Decimal(policy_value(CAP, on=date(2025, 6, 1)))


def test_an_override_answers_every_date_inside_the_block_only(seeded):
    with policy_overrides({CAP: "24000.00"}) as parsed:
        assert parsed[CAP] == Decimal("24000.00")
        assert policy_value(CAP, on=date(2016, 1, 1)) == Decimal("24000.00")
        assert policy_day(date(2025, 6, 1)).value(CAP) == Decimal("24000.00")
        # Other policies still read their rows.
        assert policy_value("withdrawal_repeat_months", on=date(2025, 6, 1)) == policy_value(
            "withdrawal_repeat_months", on=date(2025, 6, 1))
    assert policy_value(CAP, on=date(2025, 6, 1)) == seeded


def test_nested_overrides_add_to_the_outer_ones_and_writes_nothing(seeded):
    rows = PolicyValue.objects.count()
    with policy_overrides({CAP: "24000"}), policy_overrides({"withdrawal_repeat_months": 6}):
        assert policy_value(CAP) == Decimal("24000.00")
        assert policy_value("withdrawal_repeat_months") == 6
    assert policy_value(CAP) == seeded
    assert PolicyValue.objects.count() == rows


def test_it_refuses_an_unknown_policy_or_a_value_out_of_bounds(seeded):
    with pytest.raises(PolicyUnknown), policy_overrides({"no_such_policy": "1"}):
        pass
    with pytest.raises(ValueError, match="租房提取年度限额"), policy_overrides({CAP: "-5"}):
        pass
    assert policy_value(CAP) == seeded
