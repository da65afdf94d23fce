"""The numbers of one month's contribution, by the policy in force: the ratio bounds, the base's floor and cap,
and each part's amount as policy rounds it. Opening, the single-month deposit, bills and base adjustment all
reckon with these."""

from datetime import date
from decimal import Decimal

from fund.money import round_money
from fund.policy.selectors import policy_value


def check_ratio(errors: dict[str, list[str]], field: str, label: str, value: Decimal, on: date) -> None:
    """unit_ratio / member_ratio within the policy bounds in force (DWJCBLXX–DWJCBLSX, GRJCBLXX–GRJCBLSX)."""
    part = "unit" if field == "unit_ratio" else "member"
    low, high = Decimal(policy_value(f"deposit_{part}_ratio_min", on)), Decimal(policy_value(f"deposit_{part}_ratio_max", on))
    if not low <= value <= high:
        errors.setdefault(field, []).append(f"{label}须在 {low:.0%} 至 {high:.0%} 之间")


def monthly_amounts(*, base: Decimal, unit_ratio: Decimal, member_ratio: Decimal, on: date) -> tuple[Decimal, Decimal]:
    """单位月缴存额 and 个人月缴存额: base × ratio, each part rounded as policy says (default: to the yuan)."""
    unit = Decimal(policy_value("deposit_rounding_unit", on))
    mode = str(policy_value("deposit_rounding_mode", on))
    return round_money(base * unit_ratio, unit=unit, mode=mode), round_money(base * member_ratio, unit=unit, mode=mode)


def base_bounds(on: date) -> tuple[Decimal, Decimal]:
    """The lowest and highest 缴存基数 allowed: the minimum wage, and a multiple of last year's average wage."""
    floor = Decimal(policy_value("minimum_monthly_wage", on))
    cap = Decimal(policy_value("average_monthly_wage", on)) * Decimal(policy_value("deposit_base_cap_multiple", on))
    return floor, cap.quantize(Decimal("0.01"))
