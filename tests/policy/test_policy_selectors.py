"""Reading policy: the value in force on a date, the table, the history."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fund.policy.definitions import DEFINITIONS
from fund.policy.models import PolicyValue
from fund.policy.selectors import (
    PolicyMissing,
    PolicyUnknown,
    policy_history,
    policy_table,
    policy_value,
)
from fund.policy.services import policy_defaults_seed, policy_value_set, policy_value_withdraw

pytestmark = pytest.mark.django_db

SPEC_DEFAULTS: dict[str, object] = {
    "deposit_unit_ratio_min": Decimal("0.05"),
    "deposit_unit_ratio_max": Decimal("0.12"),
    "deposit_member_ratio_min": Decimal("0.05"),
    "deposit_member_ratio_max": Decimal("0.12"),
    "deposit_base_cap_multiple": Decimal("3"),
    "average_monthly_wage": Decimal("7500.00"),
    "minimum_monthly_wage": Decimal("2100.00"),
    "deposit_rounding_unit": Decimal("1"),
    "deposit_rounding_mode": "half_up",
    "deposit_interest_rate": Decimal("0.015"),
    "new_member_start_offset_months": 1,
    "voluntary_min_age": 18,
    "voluntary_max_age_male": 60,
    "voluntary_max_age_female": 55,
    "voluntary_min_social_insurance_months": 12,
    "withdrawal_rent_cap_per_year": Decimal("18000"),
    "withdrawal_rent_min_deposit_months": 3,
    "withdrawal_purchase_window_months": 12,
    "withdrawal_same_home_months": 12,
    "withdrawal_review_days": 3,
    "loan_rate_first_upto5": Decimal("0.021"),
    "loan_rate_first_over5": Decimal("0.026"),
    "loan_rate_second_upto5": Decimal("0.02525"),
    "loan_rate_second_over5": Decimal("0.03075"),
    "loan_cap_single": Decimal("600000"),
    "loan_cap_joint": Decimal("800000"),
    "loan_balance_multiple": Decimal("15"),
    "loan_ratio_first": Decimal("0.80"),
    "loan_ratio_second": Decimal("0.70"),
    "loan_repayment_capacity_ratio": Decimal("0.50"),
    "loan_quota_rounding_unit": Decimal("1000"),
    "loan_quota_rounding_mode": "down",
    "loan_max_term_years": 30,
    "loan_age_limit_male": 65,
    "loan_age_limit_female": 60,
    "loan_building_age_term_limit": 50,
    "loan_min_deposit_months": 6,
    "loan_penalty_markup": Decimal("0.50"),
    "loan_online_days": 4,
    "loan_disbursement_days": 1,
    "risk_blacklist_years": 5,
}


def test_every_policy_has_a_seeded_value_in_force_today() -> None:
    for definition in DEFINITIONS:
        value = policy_value(definition.name)
        # parse() raises for a value outside the policy's bounds; a value in bounds comes back unchanged.
        assert definition.parse(value if not isinstance(value, Decimal) else str(value)) == value, definition.name


@pytest.mark.parametrize(("name", "expected"), SPEC_DEFAULTS.items())
def test_seeded_defaults_are_the_spec_numbers(name: str, expected: object) -> None:
    value = policy_value(name)
    assert value == expected
    assert type(value) is type(expected)


def test_seeding_again_writes_nothing() -> None:
    count = PolicyValue.objects.count()
    assert policy_defaults_seed() == 0
    assert PolicyValue.objects.count() == count


def test_seeding_a_complete_table_reads_it_once(django_assert_num_queries: Any) -> None:
    # Tests seed before each test that needs reference data: a query per default made that hundreds of queries.
    with django_assert_num_queries(1):
        assert policy_defaults_seed() == 0


def test_seeding_writes_again_only_a_default_whose_row_was_withdrawn() -> None:
    # The guard lets a row be withdrawn, never deleted; a withdrawn row is not a live one for its name and date.
    seeded = PolicyValue.objects.get(name="deposit_unit_ratio_min", withdrawn_at__isnull=True)
    PolicyValue.objects.filter(pk=seeded.pk).update(withdrawn_at=timezone.now())
    count = PolicyValue.objects.count()
    assert policy_defaults_seed() == 1
    assert PolicyValue.objects.count() == count + 1
    assert policy_value("deposit_unit_ratio_min", seeded.effective_from) == Decimal("0.05")


def test_deposit_interest_rate_starts_on_2016_02_21() -> None:
    assert policy_value("deposit_interest_rate", date(2016, 2, 21)) == Decimal("0.015")
    with pytest.raises(PolicyMissing, match="2016-02-20"):
        policy_value("deposit_interest_rate", date(2016, 2, 20))


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("loan_rate_first_upto5", "0.0235", "0.021"),
        ("loan_rate_first_over5", "0.0285", "0.026"),
        ("loan_rate_second_upto5", "0.02775", "0.02525"),
        ("loan_rate_second_over5", "0.03325", "0.03075"),
    ],
)
def test_loan_rates_switch_on_2025_05_08(name: str, before: str, after: str) -> None:
    assert policy_value(name, date(2024, 5, 18)) == Decimal(before)
    assert policy_value(name, date(2025, 5, 7)) == Decimal(before)
    assert policy_value(name, date(2025, 5, 8)) == Decimal(after)
    with pytest.raises(PolicyMissing):
        policy_value(name, date(2024, 5, 17))


def test_a_value_switches_on_its_effective_date(director: Any, tomorrow: date) -> None:
    change = tomorrow + timedelta(days=30)
    policy_value_set(
        name="loan_cap_single", value="650000", effective_from=change, note="示市公积金委〔2026〕1号", actor=director
    )
    assert policy_value("loan_cap_single", change - timedelta(days=1)) == Decimal("600000.00")
    assert policy_value("loan_cap_single", change) == Decimal("650000.00")
    assert policy_value("loan_cap_single", change + timedelta(days=400)) == Decimal("650000.00")
    assert policy_value("loan_cap_single") == Decimal("600000.00")


def test_unknown_names_raise_a_clear_error() -> None:
    with pytest.raises(PolicyUnknown, match="未定义的政策参数：loan_cap_triple"):
        policy_value("loan_cap_triple")
    assert issubclass(PolicyUnknown, PolicyMissing)


def test_a_standard_code_reads_the_same_value() -> None:
    assert policy_value("GRZFDKZGED") == policy_value("loan_cap_single")


def test_a_withdrawn_future_value_is_ignored(director: Any, tomorrow: date) -> None:
    change = tomorrow + timedelta(days=10)
    row = policy_value_set(
        name="withdrawal_rent_cap_per_year", value="24000", effective_from=change, note="误录", actor=director
    )
    assert policy_value("withdrawal_rent_cap_per_year", change) == Decimal("24000.00")
    policy_value_withdraw(value_id=row.pk, reason="文号有误，重新安排", actor=director)

    assert policy_value("withdrawal_rent_cap_per_year", change) == Decimal("18000.00")
    table = {r.definition.name: r for r in policy_table()}
    assert table["withdrawal_rent_cap_per_year"].next_change is None
    statuses = [e.status for e in policy_history("withdrawal_rent_cap_per_year")]
    assert statuses == ["已撤回", "生效中"]

    # The date is free again for the corrected value.
    policy_value_set(
        name="withdrawal_rent_cap_per_year", value="21000", effective_from=change, note="更正", actor=director
    )
    assert policy_value("withdrawal_rent_cap_per_year", change) == Decimal("21000.00")


def test_the_table_shows_the_value_in_force_and_the_next_change(director: Any, tomorrow: date) -> None:
    policy_value_set(name="loan_balance_multiple", value="20", effective_from=tomorrow, note="调整", actor=director)
    rows = {r.definition.name: r for r in policy_table()}
    assert len(rows) == len(DEFINITIONS)
    row = rows["loan_balance_multiple"]
    assert row.value == Decimal("15.00")
    assert row.next_change is not None and row.next_change.effective_from == tomorrow

    on_old_date = {r.definition.name: r for r in policy_table(date(2025, 1, 1))}
    assert on_old_date["loan_rate_first_upto5"].value == Decimal("0.0235")
    assert on_old_date["loan_rate_first_upto5"].next_change.effective_from == date(2025, 5, 8)


def test_history_lists_every_row_with_its_status() -> None:
    history = policy_history("loan_rate_first_over5")
    assert [(e.row.effective_from, e.status) for e in history] == [
        (date(2025, 5, 8), "生效中"),
        (date(2024, 5, 18), "已失效"),
    ]
