"""Fraud checks on the home a withdrawal is for. Three of them surface what the withdrawals line's own rules
already find (the rules stay there; a failed rule is a hit here, with the rule's evidence):

- the owner on the application differs from the property registry (or the invoice's buyer from the owner);
- one home used twice within the policy's months (the nightly sweep finds the pairs people approved anyway);
- an invoice the tax service does not know, or one it voided.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import models

from .fraud_common import (
    as_json,
    months_param,
    reason_rule_verdict,
    rows,
    subjects_by_pk,
    sweep_window,
    today,
)
from .registry import Category, Check, Finding, Level, register_check

HOME_REASONS = ("01", "02", "99-lift")
OWNED_RULES = ("home", "owned")  # purchase's 住房核实, build's and lift's 住房权属


def _stored_failures(business_date: date, params: dict[str, Any], flag: str) -> list[tuple[Any, str, dict[str, Any]]]:
    """The decisions' failed home rules whose evidence carries `flag`, checked within the sweep's window."""
    from withdrawals.models import RuleCheck, Withdrawal

    start, end = sweep_window(business_date, params)
    found = rows(f"""
        SELECT DISTINCT ON (c.withdrawal_id) c.withdrawal_id, c.detail, c.evidence
        FROM {RuleCheck._meta.db_table} c
        WHERE c.rule = ANY(%(rules)s) AND NOT c.passed AND c.evidence ? %(flag)s
          AND c.checked_at >= %(start)s AND c.checked_at < %(end)s
        ORDER BY c.withdrawal_id, c.round DESC
    """, {"rules": list(OWNED_RULES), "flag": flag, "start": start, "end": end})
    subjects = subjects_by_pk(Withdrawal, (row[0] for row in found))
    return [(subjects[pk], detail, as_json(evidence)) for pk, detail, evidence in found]


# ---- the owner differs from the registry ------------------------------------------------------------------

def _owner_finding(detail: str, evidence: dict[str, Any]) -> Finding:
    return Finding(summary=f"产权人与不动产登记（或发票购买方）不一致：{detail}", evidence={"rule": detail, **evidence},
                   key=str(evidence.get("certificate_number") or evidence.get("invoice_number") or ""))


def _decided_failure(subject: models.Model, flag: str) -> tuple[str, dict[str, Any]] | None:
    """The decision's latest verdict of the withdrawal's home rule, when it failed with `flag` in its evidence.

    The screen reads what the decision stored instead of asking the registry or the tax service again: the
    withdrawals line asks each outside system once per decision (and never twice when it is down), and the payment
    gate screens a payout after its decision, so a hit still holds the money. Before the decision: nothing."""
    from withdrawals.models import RuleCheck

    latest = (RuleCheck.objects.filter(withdrawal_id=subject.pk, rule__in=OWNED_RULES)
              .order_by("-round", "-id").values_list("passed", "detail", "evidence").first())
    if latest is None or latest[0] or not (latest[2] or {}).get(flag):
        return None
    return latest[1], as_json(latest[2])


def owner_screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    if getattr(subject, "reason", "") not in HOME_REASONS:
        return []
    found = _decided_failure(subject, "owner_differs")
    return [] if found is None else [_owner_finding(*found)]


def owner_sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    return [(w, _owner_finding(detail, evidence))
            for w, detail, evidence in _stored_failures(business_date, params, "owner_differs")]


OWNER_MISMATCH = register_check(Check(
    code="fraud.owner_mismatch", label="产权人与登记不一致", category=Category.FRAUD, level=Level.REDLINE,
    subjects=("withdrawals.withdrawal",),
    description="购房、建房或加装电梯提取所报住房，在不动产登记中不在产权人名下（或发票购买方不是产权人）。"
                "辽源中心以此发现伪造不动产权证的骗提团伙。",
    screen=owner_screen, sweep=owner_sweep, params={"sweep_days": 7},
))


# ---- an invoice the tax service does not know --------------------------------------------------------------

def _invoice_finding(number: str, problem: str, evidence: dict[str, Any]) -> Finding:
    words = "税务系统查无此发票" if problem == "unknown" else "发票已作废或红冲"
    return Finding(summary=f"购房发票 {number}：{words}", evidence={"invoice_number": number, "problem": problem,
                                                                  **evidence}, key=number)


def invoice_screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    number = str((getattr(subject, "details", None) or {}).get("invoice_number") or "").strip()
    if getattr(subject, "reason", "") != "01" or not number:
        return []
    found = _decided_failure(subject, "invoice_problem")
    if found is None:
        return []
    detail, evidence = found
    return [_invoice_finding(str(evidence.get("invoice_number") or number), str(evidence["invoice_problem"]),
                             {"rule": detail, **evidence})]


def invoice_sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    return [(w, _invoice_finding(str(evidence.get("invoice_number", "")), str(evidence.get("invoice_problem")),
                                 {"rule": detail, **evidence}))
            for w, detail, evidence in _stored_failures(business_date, params, "invoice_problem")]


INVOICE_UNKNOWN = register_check(Check(
    code="fraud.invoice_unknown", label="发票税务系统查无", category=Category.FRAUD, level=Level.REDLINE,
    subjects=("withdrawals.withdrawal",),
    description="购房提取所附购房发票在税务系统中查不到，或已作废、红冲：伪造或作废发票骗提。",
    screen=invoice_screen, sweep=invoice_sweep, params={"sweep_days": 7},
))


# ---- one home used twice within the policy's months --------------------------------------------------------

SAME_HOME_POLICY = "withdrawal_same_home_months"


def _same_home_finding(number: str, name: str, decided: Any, key: str, place: str, months: int) -> Finding:
    return Finding(summary=f"同一住房 {months} 个月内已用于提取：{number}（{name}，{decided:%Y-%m-%d}）",
                   evidence={"other": number, "other_name": name, "other_decided_on": f"{decided:%Y-%m-%d}",
                             "home_key": key, "home_place": place, "months": months}, key=number)


def same_home_screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    if not getattr(subject, "home_key", ""):
        return []
    verdict = reason_rule_verdict(subject, ("same_home",), today())
    if verdict is None or verdict.passed or not verdict.evidence.get("earlier"):
        return []
    return [Finding(summary=verdict.detail, evidence={"other": verdict.evidence["earlier"], "home_key": subject.home_key},
                    key=verdict.evidence["earlier"])]


def same_home_sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    """Pairs of withdrawals whose money was taken for one home within the months, whoever's accounts: the
    later one is the hit (a reviewer approved it though the rule failed, or two decisions crossed)."""
    from deposits.models import MemberAccount
    from fund.people.models import Person
    from withdrawals.models import TAKEN, Withdrawal

    months = months_param(params, SAME_HOME_POLICY, business_date)
    start, end = sweep_window(business_date, params)
    found = rows(f"""
        SELECT w.id, o.number, p.name, o.decided_at, w.home_key, w.home_place
        FROM {Withdrawal._meta.db_table} w
        JOIN {Withdrawal._meta.db_table} o
          ON o.id <> w.id AND o.state = ANY(%(taken)s)
         AND ((w.home_key <> '' AND o.home_key = w.home_key) OR (w.home_place <> '' AND o.home_place = w.home_place))
         AND o.decided_at <= w.decided_at AND o.decided_at >= w.decided_at - make_interval(months => %(months)s)
        JOIN {MemberAccount._meta.db_table} a ON a.id = o.account_id
        JOIN {Person._meta.db_table} p ON p.id = a.person_id
        WHERE w.state = ANY(%(taken)s) AND w.decided_at >= %(start)s AND w.decided_at < %(end)s
          AND (w.home_key <> '' OR w.home_place <> '')
        ORDER BY w.id, o.id
    """, {"taken": [str(s) for s in TAKEN], "months": months, "start": start, "end": end})
    subjects = subjects_by_pk(Withdrawal, (row[0] for row in found))
    return [(subjects[row[0]], _same_home_finding(*row[1:], months=months)) for row in found]


SAME_HOME = register_check(Check(
    code="fraud.same_home", label="同一住房重复提取", category=Category.FRAUD, level=Level.SUBMIT,
    subjects=("withdrawals.withdrawal",),
    description="同一住房（按产权证号、发票号或登记坐落）在政策规定月数内被再次用于提取，含家庭成员及他人账户。",
    screen=same_home_screen, sweep=same_home_sweep, params={"months": None, "sweep_days": 7},
))
