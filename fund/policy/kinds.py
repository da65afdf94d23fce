"""Every number a city may set, declared once: its key, label, unit, kind, bounds and SPEC default.

Values live in `PolicyValue` rows with an effective date; this module says what a valid value is and how
to read and show one. Conventions every caller relies on:

- Percentages (unit "%") are stored and returned as fractions: 5 % is `Decimal("0.0500")`, 2.10 % is
  `Decimal("0.02100")`, so `base * policy_value("deposit_unit_ratio_min")` is the amount. Pages show and
  accept them as percent; the API exchanges the stored fraction (and adds a display string).
- Money (unit "元") is Decimal yuan with two places; multiples (倍) Decimal; counts of months, years,
  days (月, 年, 岁, 工作日 …) are `int`; choices are `str`.
- Age limits are exclusive upper bounds where the label says so (自愿缴存: men aged < 60).
- Penalty interest is a mark-up on the contract rate (PBoC: 30 %–50 %): overdue amount × contract annual
  rate × (1 + loan_penalty_markup) ÷ 360 per day.
- Numbers SPEC gives without a date, and the demo wage figures, take effect from BASELINE_DATE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from fund.money import to_decimal

BASELINE_DATE = date(2015, 1, 1)
BASELINE_NOTE = "系统初始默认值（按国家规定及本中心现行做法）"
DEMO_NOTE = "示范值：上线前请按本市统计部门公布数据更新"

PERCENT = "%"
YUAN = "元"
HUNDRED = Decimal(100)

PolicyScalar = Decimal | int | str


class Kind(StrEnum):
    DECIMAL = "decimal"
    INTEGER = "integer"
    CHOICE = "choice"


class Group(StrEnum):
    DEPOSITS = "归集"
    WITHDRAWALS = "提取"
    PAYMENTS = "付款"
    LOANS = "贷款"
    RISK = "风控"
    SERVICE = "便民服务"


@dataclass(frozen=True)
class Seed:
    """A value the system starts with: stored units, as text (fractions for %)."""

    value: str
    effective_from: date = BASELINE_DATE
    note: str = BASELINE_NOTE


@dataclass(frozen=True)
class PolicyDefinition:
    name: str
    label: str
    unit: str
    kind: Kind
    group: Group
    description: str
    seeds: tuple[Seed, ...]
    code: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    # Decimal places allowed in the stored value (fractions for %).
    places: int = 0
    # Allowed values: for CHOICE, (value, label) pairs; for DECIMAL, optionally a closed list.
    choices: tuple[tuple[str, str], ...] = ()
    # Cross-checks with a partner policy in force on the same date (lower bound ≤ upper bound).
    not_above: str = ""
    not_below: str = ""

    # ---- reading values -------------------------------------------------------------------------

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def from_stored(self, number: Decimal | None, text: str) -> PolicyScalar:
        """The typed value of a stored row."""
        if self.kind is Kind.CHOICE:
            return text
        if number is None:
            raise ValueError(f"政策项 {self.name} 的存储值为空")
        if self.kind is Kind.INTEGER:
            return int(number)
        return Decimal(number).quantize(self.quantum)

    def to_stored(self, value: PolicyScalar) -> tuple[Decimal | None, str]:
        """(number column, text column) for a parsed value."""
        if self.kind is Kind.CHOICE:
            return None, str(value)
        return Decimal(value), ""

    # ---- parsing and checking input -------------------------------------------------------------

    def parse(self, raw: object) -> PolicyScalar:
        """Parse a value given in stored units; raise ValueError with a Chinese message naming the policy."""
        if self.kind is Kind.CHOICE:
            text = str(raw).strip() if isinstance(raw, str) else ""
            allowed = [key for key, _ in self.choices]
            if text not in allowed:
                options = "、".join(f"{key}（{label}）" for key, label in self.choices)
                raise ValueError(f"{self.label}只能取以下值之一：{options}")
            return text
        number = _decimal(raw, self.label)
        if self.kind is Kind.INTEGER:
            if number != number.to_integral_value():
                raise ValueError(f"{self.label}必须是整数")
            self._check_bounds(number)
            return int(number)
        self._check_bounds(number)
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            shown = self.places - 2 if self.is_percent else self.places
            raise ValueError(f"{self.label}最多保留 {max(shown, 0)} 位小数")
        if self.choices and number not in {Decimal(key) for key, _ in self.choices}:
            options = "、".join(f"{self.display(Decimal(key))}" for key, _ in self.choices)
            raise ValueError(f"{self.label}只能取以下值之一：{options}")
        return number.quantize(self.quantum)

    def from_display(self, raw: object) -> object:
        """Turn what a person typed on a page (percent for %) into stored units, for `parse` to check.

        Input that is not a number is passed through unchanged so that `parse` reports it.
        """
        if self.is_percent and self.kind is Kind.DECIMAL:
            try:
                return str(_decimal(raw, self.label) / HUNDRED)
            except ValueError:
                return raw
        return raw

    def parse_display(self, raw: object) -> PolicyScalar:
        """Parse a value as a person types it on a page: percent for %, otherwise as stored."""
        return self.parse(self.from_display(raw))

    def _check_bounds(self, number: Decimal) -> None:
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and not low <= number <= high:
            raise ValueError(f"{self.label}须在 {self.display(low)} 至 {self.display(high)} 之间")
        if low is not None and number < low:
            raise ValueError(f"{self.label}不能低于 {self.display(low)}")
        if high is not None and number > high:
            raise ValueError(f"{self.label}不能高于 {self.display(high)}")

    # ---- showing values -------------------------------------------------------------------------

    def display(self, value: PolicyScalar) -> str:
        """How a person reads the value: "2.10%", "600,000.00 元", "30 年", "四舍五入"."""
        if self.kind is Kind.CHOICE:
            return dict(self.choices).get(str(value), str(value))
        if self.kind is Kind.INTEGER:
            return f"{int(value)} {self.unit}"
        number = Decimal(value)
        for key, label in self.choices:
            if Decimal(key) == number:
                return label
        if self.is_percent:
            return f"{_trim(number * HUNDRED, keep=2)}%"
        if self.unit == YUAN:
            return f"{number:,.2f} 元"
        return f"{_trim(number, keep=0)} {self.unit}"

    def display_input(self, value: PolicyScalar) -> str:
        """The value as the page form expects it typed (percent for %)."""
        if self.is_percent and self.kind is Kind.DECIMAL:
            return _trim(Decimal(value) * HUNDRED, keep=2)
        if self.kind is Kind.DECIMAL:
            return _trim(Decimal(value), keep=0)
        return str(value)

    @property
    def bounds_display(self) -> str:
        if self.kind is Kind.CHOICE or self.choices:
            return "、".join(label for _, label in self.choices)
        parts = []
        if self.minimum is not None:
            parts.append(self.display(self.minimum))
        if self.maximum is not None:
            parts.append(self.display(self.maximum))
        return " ～ ".join(parts)


def _decimal(raw: object, label: str) -> Decimal:
    if isinstance(raw, bool) or isinstance(raw, float) or raw is None:
        raise ValueError(f"{label}的数值格式不正确")
    number = to_decimal(raw if isinstance(raw, (int, Decimal)) else str(raw))
    if number is None:
        raise ValueError(f"{label}的数值格式不正确")
    return number


def _trim(number: Decimal, *, keep: int) -> str:
    """Fixed-point text without trailing zeros beyond `keep` places: 2.1 → "2.10", 2.525 → "2.525"."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    if len(frac) < keep:
        frac = frac.ljust(keep, "0")
    return f"{whole}.{frac}" if frac else whole


def d(text: str) -> Decimal:
    return Decimal(text)


RATE_2024 = date(2024, 5, 18)
RATE_2024_NOTE = "中国人民银行决定自2024年5月18日起下调个人住房公积金贷款利率0.25个百分点"
RATE_2025 = date(2025, 5, 8)
RATE_2025_NOTE = "中国人民银行决定自2025年5月8日起下调个人住房公积金贷款利率0.25个百分点"

RATIO: dict[str, Any] = {"unit": PERCENT, "kind": Kind.DECIMAL, "places": 4}
RATE: dict[str, Any] = {"unit": PERCENT, "kind": Kind.DECIMAL, "places": 5, "minimum": d("0"), "maximum": d("0.10")}
MONEY: dict[str, Any] = {"unit": YUAN, "kind": Kind.DECIMAL, "places": 2}
ROUNDING_MODES = (("half_up", "四舍五入"), ("down", "舍去（向下取整）"))
SWITCH = (("on", "核验"), ("off", "不核验"))
# The loan eligibility rules a centre may switch off (the legacy HAFMIS idea of toggleable loan conditions):
# loans.services.eligibility runs each only while its loan_rule_<key> is "on" on the day it decides.
