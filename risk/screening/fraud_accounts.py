"""Fraud checks on deposit accounts:

- one person with several accounts (一人一户: the database refuses a second open account, but an account left
  in 其他 or duplicated before the rule still holds money; 合并销户 is the cure);
- deposit ratios outside the policy's bounds (5–12 %), which a unit pays above to move untaxed money into the
  fund, or below to shortchange its employees.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models

from fund.policy.selectors import policy_day

from .fraud_common import rows, subjects_by_pk, today
from .registry import Category, Check, Finding, Level, register_check

# ---- one person with several accounts ----------------------------------------------------------------------


def _closed_states() -> list[str]:
    from deposits.models import MemberState

    return [MemberState.MERGED, MemberState.TRANSFERRED_OUT, MemberState.WITHDRAWN]


def _accounts_finding(numbers: list[str], states: list[str]) -> Finding:
    return Finding(summary=f"同一身份证号码名下有 {len(numbers)} 个未销户的个人账户：{'、'.join(numbers)}",
                   evidence={"accounts": [{"number": n, "state": s} for n, s in zip(numbers, states, strict=True)]},
                   key="-".join(numbers))


def _person_of(subject: models.Model) -> int | None:
    for attr in ("person_id", "borrower_id"):
        if getattr(subject, attr, None):
            return int(getattr(subject, attr))
    account = getattr(subject, "account", None)
    return getattr(account, "person_id", None)


def _accounts_sql(where: str) -> str:
    from deposits.models import MemberAccount

    return f"""
        SELECT a.person_id, array_agg(a.number ORDER BY a.number), array_agg(a.state ORDER BY a.number),
               array_agg(a.id ORDER BY a.number)
        FROM {MemberAccount._meta.db_table} a
        WHERE a.state <> ALL(%(closed)s) AND {where}
        GROUP BY a.person_id HAVING count(*) > %(most)s
    """


def accounts_screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    person = _person_of(subject)
    if person is None:
        return []
    found = rows(_accounts_sql("a.person_id = %(person)s"),
                 {"closed": _closed_states(), "most": int(params["most"]), "person": person})
    return [_accounts_finding(list(numbers), list(states)) for _, numbers, states, _ in found]


def accounts_sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    """Every account of every such person is a subject (each is one the counter may be asked to use)."""
    from deposits.models import MemberAccount

    found = rows(_accounts_sql("TRUE"), {"closed": _closed_states(), "most": int(params["most"])})
    subjects = subjects_by_pk(MemberAccount, (pk for row in found for pk in row[3]))
    return [(subjects[pk], _accounts_finding(list(numbers), list(states)))
            for _, numbers, states, pks in found for pk in pks]


SEVERAL_ACCOUNTS = register_check(Check(
    code="fraud.several_accounts", label="一人多户", category=Category.FRAUD, level=Level.INTAKE,
    subjects=("deposits.memberaccount", "withdrawals.withdrawal", "loans.loanapplication"),
    description="同一身份证号码名下有多个未销户的个人账户：可能重复缴存、重复提取或重复计算贷款额度，应合并销户。",
    screen=accounts_screen, sweep=accounts_sweep, params={"most": 1},
))


# ---- deposit ratios outside the bounds ---------------------------------------------------------------------

def _bounds(on: date) -> dict[str, tuple[Decimal, Decimal]]:
    day = policy_day(on)
    return {"unit_ratio": (Decimal(day.value("deposit_unit_ratio_min")), Decimal(day.value("deposit_unit_ratio_max"))),
            "member_ratio": (Decimal(day.value("deposit_member_ratio_min")),
                             Decimal(day.value("deposit_member_ratio_max")))}


LABELS = {"unit_ratio": "单位缴存比例", "member_ratio": "个人缴存比例"}


def _percent(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _ratio_findings(unit_number: str, ratios: dict[str, Decimal], bounds: dict[str, tuple[Decimal, Decimal]]) -> list[Finding]:
    out = []
    for name, value in ratios.items():
        low, high = bounds[name]
        if low <= value <= high:
            continue
        out.append(Finding(
            summary=f"单位 {unit_number} {LABELS[name]} {_percent(value)} 超出政策范围 {_percent(low)}–{_percent(high)}",
            evidence={"unit": unit_number, "field": name, "value": str(value), "min": str(low), "max": str(high)},
            key=f"{name}:{value}",
        ))
    return out


def ratio_screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    """A unit account (as opened or changed) or one of its ratio changes (`UnitRatioChange`)."""
    unit = getattr(subject, "unit", subject)
    ratios = {name: getattr(subject, name, None) for name in LABELS}
    if any(value is None for value in ratios.values()):
        return []
    return _ratio_findings(unit.number, ratios, _bounds(today()))  # type: ignore[arg-type]


def ratio_sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    from deposits.models import UnitAccount, UnitState

    bounds = _bounds(business_date)
    found = rows(f"""
        SELECT u.id, u.number, u.unit_ratio, u.member_ratio FROM {UnitAccount._meta.db_table} u
        WHERE u.state <> %(closed)s
          AND (u.unit_ratio NOT BETWEEN %(unit_min)s AND %(unit_max)s
               OR u.member_ratio NOT BETWEEN %(member_min)s AND %(member_max)s)
        ORDER BY u.id
    """, {"closed": UnitState.CLOSED, "unit_min": bounds["unit_ratio"][0], "unit_max": bounds["unit_ratio"][1],
          "member_min": bounds["member_ratio"][0], "member_max": bounds["member_ratio"][1]})
    subjects = subjects_by_pk(UnitAccount, (row[0] for row in found))
    return [(subjects[pk], finding) for pk, number, unit_ratio, member_ratio in found
            for finding in _ratio_findings(number, {"unit_ratio": unit_ratio, "member_ratio": member_ratio}, bounds)]


RATIO_BOUNDS = register_check(Check(
    code="fraud.ratio_bounds", label="缴存比例超出范围", category=Category.FRAUD, level=Level.SUBMIT,
    subjects=("deposits.unitaccount", "deposits.unitratiochange"),
    description="单位或个人缴存比例低于政策下限或高于上限（国家规定 5%–12%）：高比例多缴以避税套现，低比例少缴损害职工权益。",
    screen=ratio_screen, sweep=ratio_sweep, params={},
))
