"""The quota estimate (额度试算): SPEC §2.3's four limits, the term limits and the rate, from figures given.

Quota = the lowest of
  1. repayment capacity: household monthly income × loan_repayment_capacity_ratio − existing monthly debt,
     turned into the principal that payment repays over the term at the rate (等额本息);
  2. price × the maximum loan ratio for a first (loan_ratio_first) or second (loan_ratio_second) home;
  3. the balances of the borrower and co-borrowers × loan_balance_multiple;
  4. the city cap, single (loan_cap_single) or with a co-borrower (loan_cap_joint);
  (and for 商转公, the balance of the commercial loan it pays off)
rounded by loan_quota_rounding_unit / loan_quota_rounding_mode. The term may not pass loan_max_term_years,
the borrower's age at the end of the term the age limit by sex, nor, for a second-hand home, the building's
age plus the term loan_building_age_term_limit; a term that does, or a building year in the future, makes the
quota 0 with the reason. Pure but for policy reads: the callers find the figures (registry, credit report,
accounts) first, outside any transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from fund.dates import add_years
from fund.money import ZERO, format_money, format_percent, round_money
from fund.policy.selectors import policy_day

from ..models import HomeKind, HomeOrder
from ..schedule import monthly_rate
from .rates import loan_rate

FEN = Decimal("0.01")


@dataclass(frozen=True, kw_only=True)
class QuotaInput:
    price: Decimal
    home_kind: str  # HomeKind
    home_order: str  # HomeOrder: first or second (a third home is not lent on: see home_order_for)
    monthly_income: Decimal  # the household's: borrower and co-borrowers
    monthly_debt: Decimal  # existing monthly repayments on the credit reports
    balances: list[Decimal]  # fund balances, the borrower's first, then each co-borrower's
    co_borrowers: int
    term_months: int
    birth_date: date
    sex: str  # "1" male, "2" female (GB/T 2261.1)
    building_year: int | None
    on: date
    conversion_balance: Decimal | None = None  # 商转公: what is left of the commercial loan to pay off


@dataclass(frozen=True, kw_only=True)
class Limit:
    code: str  # capacity | price | balance | cap | conversion
    label: str
    amount: Decimal
    explanation: str  # the figures worked by hand, in Chinese
    binding: bool = False


@dataclass(frozen=True, kw_only=True)
class QuotaResult:
    amount: Decimal  # rounded; 0 when a term rule fails
    limits: list[Limit]
    rate: Decimal  # annual %, e.g. Decimal("2.600")
    max_term_months: int
    term_problems: list[str] = field(default_factory=list)
    rounding: str = ""  # how the lowest limit was rounded, in words

    @property
    def binding(self) -> Limit:
        return next(limit for limit in self.limits if limit.binding)

    def limit(self, code: str) -> Limit | None:
        return next((limit for limit in self.limits if limit.code == code), None)

    def combination(self) -> tuple[Decimal, Decimal]:
        """组合贷款: (the fund part, the bank part) — the bank lends what the price × ratio leaves after the
        fund part, over the same term."""
        price_limit = self.limit("price")
        ceiling = price_limit.amount if price_limit is not None else ZERO
        return self.amount, max(ZERO, ceiling - self.amount)

    def as_dict(self) -> dict[str, object]:
        """What an application keeps as `quota_detail` and the API answers."""
        fund_part, bank_part = self.combination()
        return {
            "amount": str(self.amount), "rate": str(self.rate), "max_term_months": self.max_term_months,
            "term_problems": list(self.term_problems), "rounding": self.rounding,
            "binding": self.binding.code,
            "limits": [{"code": x.code, "label": x.label, "amount": str(x.amount), "explanation": x.explanation,
                        "binding": x.binding} for x in self.limits],
            "combination": {"fund_part": str(fund_part), "bank_part": str(bank_part)},
        }


def _yuan(value: Decimal) -> str:
    return f"{format_money(value)} 元"


def _factor(value: Decimal) -> str:
    number = value.normalize()
    return f"{number:f}"


def principal_for_payment(payment: Decimal, annual_rate_percent: Decimal, months: int) -> Decimal:
    """The principal a monthly payment repays over `months` at the rate (等额本息), down to the fen."""
    if payment <= 0 or months <= 0:
        return ZERO
    r = monthly_rate(annual_rate_percent)
    if r == 0:
        return (payment * months).quantize(FEN, ROUND_DOWN)
    growth = (1 + r) ** months
    return (payment * (growth - 1) / (r * growth)).quantize(FEN, ROUND_DOWN)


def months_until(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when `end` is not after `start`)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def term_limits(q: QuotaInput) -> tuple[int, list[str]]:
    """(the longest term allowed, the rules `q.term_months` breaks)."""
    day = policy_day(q.on)
    years = int(day.value("loan_max_term_years"))
    longest = years * 12
    problems: list[str] = []
    if q.term_months > years * 12:
        problems.append(f"贷款期限 {q.term_months} 个月超过最长 {years} 年（{years * 12} 个月）")
    male = q.sex == "1"
    age_limit = int(day.value("loan_age_limit_male" if male else "loan_age_limit_female"))
    until = add_years(q.birth_date, age_limit)
    by_age = months_until(q.on, until)
    longest = min(longest, by_age)
    if q.term_months > by_age:
        problems.append(
            f"借款人{'男' if male else '女'}，{q.birth_date:%Y年%m月%d日}出生，年龄与贷款期限之和不得超过 {age_limit} 岁"
            f"（至 {until:%Y年%m月%d日}），自 {q.on:%Y年%m月%d日} 起最长可贷 {by_age} 个月"
        )
    if q.home_kind == HomeKind.SECOND_HAND:
        if q.building_year is None:
            problems.append("二手房须填写房屋建成年份")
        elif q.building_year > q.on.year:
            problems.append(f"房屋建成年份 {q.building_year} 年晚于今年（{q.on.year} 年）")
            longest = 0
        else:
            limit = int(day.value("loan_building_age_term_limit"))
            age = q.on.year - q.building_year
            by_building = max(0, (limit - age) * 12)
            longest = min(longest, by_building)
            if q.term_months > by_building:
                problems.append(
                    f"房屋 {q.building_year} 年建成，房龄 {age} 年，房龄与贷款期限之和不得超过 {limit} 年，"
                    f"最长可贷 {by_building} 个月"
                )
    return longest, problems


def quota_estimate(q: QuotaInput) -> QuotaResult:
    if q.home_order not in (HomeOrder.FIRST, HomeOrder.SECOND):
        raise ValueError("quota_estimate needs a first or second home; a third is not lent on")
    day = policy_day(q.on)
    rate = loan_rate(home_order=q.home_order, term_months=q.term_months, on=q.on)
    limits: list[Limit] = []

    # 1. Repayment capacity.
    ratio = Decimal(day.value("loan_repayment_capacity_ratio"))
    payment = (q.monthly_income * ratio - q.monthly_debt).quantize(FEN, ROUND_DOWN)
    capacity = principal_for_payment(payment, rate, q.term_months)
    if payment > 0:
        how = (f"{_yuan(payment)} × [(1 + r)^{q.term_months} − 1] ÷ [r × (1 + r)^{q.term_months}]，"
               f"r = {rate}% ÷ 12 = {_yuan(capacity)}")
    else:
        how = "无可用于还款的收入，可贷 0 元"
    limits.append(Limit(
        code="capacity", label="还款能力", amount=capacity,
        explanation=(f"家庭月收入 {_yuan(q.monthly_income)} × 还款能力系数 {format_percent(ratio)} − 现有月还款额 "
                     f"{_yuan(q.monthly_debt)} = 每月可还 {_yuan(max(payment, ZERO))}；按年利率 {rate}%、"
                     f"{q.term_months} 个月等额本息折算：{how}"),
    ))

    # 2. Price × the loan ratio for this home.
    first = q.home_order == HomeOrder.FIRST
    loan_ratio = Decimal(day.value("loan_ratio_first" if first else "loan_ratio_second"))
    by_price = (q.price * loan_ratio).quantize(FEN, ROUND_DOWN)
    limits.append(Limit(
        code="price", label="房价 × 贷款比例", amount=by_price,
        explanation=(f"房屋总价 {_yuan(q.price)} × {'首套' if first else '二套'}住房最高贷款比例 "
                     f"{format_percent(loan_ratio)} = {_yuan(by_price)}"),
    ))

    # 3. Balances × the multiple.
    multiple = Decimal(day.value("loan_balance_multiple"))
    total = sum(q.balances, ZERO)
    by_balance = (total * multiple).quantize(FEN, ROUND_DOWN)
    parts = "借款人 " + format_money(q.balances[0]) if q.balances else "无"
    if len(q.balances) > 1:
        parts += " + 共同借款人 " + " + ".join(format_money(b) for b in q.balances[1:])
    limits.append(Limit(
        code="balance", label="账户余额 × 倍数", amount=by_balance,
        explanation=f"公积金账户余额合计 {_yuan(total)}（{parts}）× {_factor(multiple)} 倍 = {_yuan(by_balance)}",
    ))

    # 4. The city cap.
    joint = q.co_borrowers > 0
    cap = Decimal(day.value("loan_cap_joint" if joint else "loan_cap_single"))
    limits.append(Limit(
        code="cap", label="最高贷款额度", amount=cap,
        explanation=f"本市{'有共同借款人' if joint else '单人'}贷款最高额度 {_yuan(cap)}",
    ))

    if q.conversion_balance is not None:
        limits.append(Limit(
            code="conversion", label="原商业贷款余额", amount=q.conversion_balance,
            explanation=f"商转公贷款不超过征信报告中原商业住房贷款余额 {_yuan(q.conversion_balance)}",
        ))

    lowest = min(limits, key=lambda x: x.amount)  # the first of equals is the one marked
    limits = [Limit(code=x.code, label=x.label, amount=x.amount, explanation=x.explanation, binding=x is lowest)
              for x in limits]
    unit = Decimal(day.value("loan_quota_rounding_unit"))
    mode = str(day.value("loan_quota_rounding_mode"))
    amount = round_money(max(lowest.amount, ZERO), unit=unit, mode=mode)
    mode_label = "四舍五入" if mode == "half_up" else "向下取整"
    rounding = f"最低一项 {_yuan(lowest.amount)} 按 {format_money(unit)} 元{mode_label} = {_yuan(amount)}"
    longest, problems = term_limits(q)
    if problems:
        amount = ZERO
    return QuotaResult(amount=amount, limits=limits, rate=rate, max_term_months=longest, term_problems=problems,
                       rounding=rounding)

