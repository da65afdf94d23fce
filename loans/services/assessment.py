"""PLACEHOLDER for L1: `assessment_for(application)`, the smallest honest version, until L1's quota and
eligibility services are merged (the merger keeps L1's). Reads the application's stored fields, asks the
property registry, the credit bureau and the blacklist (outside any transaction), and returns what the intake
stores: the home order, the quota with its limits, the verdicts, the existing monthly debt."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fund.money import ZERO, round_money, to_fen
from fund.policy.selectors import policy_value

from .rates import loan_rate


@dataclass(frozen=True)
class Limit:
    code: str
    label: str
    amount: Decimal
    explanation: str
    binding: bool = False


@dataclass(frozen=True)
class QuotaResult:
    amount: Decimal
    limits: list[Limit]
    rate: Decimal
    max_term_months: int
    term_problems: list[str]


@dataclass(frozen=True)
class Verdict:
    code: str
    label: str
    passed: bool
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    home_order: str | None
    quota: QuotaResult
    verdicts: list[Verdict]
    monthly_debt: Decimal
    evidence: dict[str, Any]


def _principal_for(payment: Decimal, rate_percent: Decimal, months: int) -> Decimal:
    if payment <= 0:
        return ZERO
    r = rate_percent / 100 / 12
    if r == 0:
        return to_fen(payment * months)
    return to_fen(payment * (1 - (1 + r) ** -months) / r)


def _co_borrowers(application: Any) -> list[Any]:
    """A draft not yet saved carries its co-borrowers as `draft_co_borrowers` (unsaved rows)."""
    draft = getattr(application, "draft_co_borrowers", None)
    if draft is not None:
        return list(draft)
    return list(application.co_borrowers.select_related("person")) if application.pk else []


def assessment_for(application: Any) -> Assessment:
    from fund.integrations import credit_bureau, property_registry
    from risk.selectors import blacklist_check

    on = timezone.localdate()
    ids = sorted({application.borrower.id_number, *([application.spouse_id_number] if application.spouse_id_number else [])})
    homes: set[str] = set()
    for number in ids:
        for home in property_registry().homes(id_number=number).in_city:
            homes.add(home.certificate_number)
    home_order = "first" if not homes else "second" if len(homes) == 1 else None
    debt = ZERO
    acceptable = True
    for number in ids:
        report = credit_bureau().report(id_number=number)
        debt += report.monthly_instalments
        acceptable = acceptable and report.acceptable
    co = _co_borrowers(application)
    co_ids = [c.person.id_number for c in co]
    rate = loan_rate(home_order=home_order or "second", term_months=application.term_months, on=on)
    income = application.monthly_income + sum((c.monthly_income for c in co), ZERO)
    capacity = _principal_for(income * Decimal(policy_value("loan_repayment_capacity_ratio", on=on)) - debt, rate,
                              application.term_months)
    ratio = Decimal(policy_value("loan_ratio_first" if home_order == "first" else "loan_ratio_second", on=on))
    balance = application.account.sub_account.balance + sum(
        (c.account.sub_account.balance for c in co if c.account is not None), ZERO)
    joint = bool(co_ids or application.spouse_id_number)
    cap = Decimal(policy_value("loan_cap_joint" if joint else "loan_cap_single", on=on))
    raw = [
        ("capacity", "还款能力", capacity, "家庭月收入 × 还款能力系数 − 现有月还款额，按期限和利率折算"),
        ("price", "房价比例", to_fen(application.price * ratio), f"房屋总价 × {ratio}"),
        ("balance", "账户余额倍数", to_fen(balance * Decimal(policy_value("loan_balance_multiple", on=on))), "账户余额 × 倍数"),
        ("cap", "最高额度", cap, "共同借款" if joint else "单人"),
    ]
    least = min(a for _, _, a, _ in raw)
    limits = [Limit(c, lb, a, ex, binding=a == least) for c, lb, a, ex in raw]
    max_term = int(policy_value("loan_max_term_years", on=on)) * 12
    problems = [f"贷款期限不能超过 {max_term // 12} 年"] if application.term_months > max_term else []
    unit = Decimal(policy_value("loan_quota_rounding_unit", on=on))
    amount = ZERO if problems or home_order is None else max(round_money(least, unit=unit, mode="down"), ZERO)
    verdicts = [
        Verdict("home_order", "住房套数", home_order is not None,
                "家庭名下住房不超过一套" if home_order else "家庭已有两套及以上住房，不予贷款", {"homes": sorted(homes)}),
        Verdict("credit", "征信", acceptable, "征信记录正常" if acceptable else "征信报告有不良记录"),
    ]
    for number in [application.borrower.id_number, *co_ids]:
        entry = blacklist_check(id_number=number, business="loan", on=on)
        if entry is not None:
            verdicts.append(Verdict("blacklist", "诚信黑名单", False, entry.refusal_message))
    return Assessment(home_order=home_order, quota=QuotaResult(amount, limits, rate, max_term, problems),
                      verdicts=verdicts, monthly_debt=debt, evidence={"homes": sorted(homes)})
