"""Fraud checks on what happened to the applicant before the withdrawal:

- a withdrawal soon after a cross-region transfer-in (money moved in to be taken out; the withdrawals line's
  purchase rule already sends these to people — surfaced here for every reason, standing instructions apart);
- repeated marriage changes before a purchase withdrawal (a divorce and remarriage to use a home twice, or
  a spouse's balance), from the marriage registry's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import models

from fund.dates import months_ago
from fund.integrations import marriage_registry
from fund.integrations.base import IntegrationError
from fund.integrations.marriage import MarriageEventKind

from .fraud_common import masked, months_param, rows, subjects_by_pk, sweep_window, today
from .registry import Category, Check, Finding, Level, register_check

TRANSFER_POLICY = "risk_transfer_in_withdrawal_months"


# ---- a withdrawal soon after a transfer-in -----------------------------------------------------------------

def _transfer_finding(reference: str, finished: Any, centre: str, months: int) -> Finding:
    return Finding(summary=f"{finished:%Y-%m-%d} 自{centre}异地转入（{reference}），转入后 {months} 个月内申请提取",
                   evidence={"transfer": reference, "transfer_on": f"{finished:%Y-%m-%d}", "other_centre": centre,
                             "months": months}, key=reference)


def _transfer_sql(where: str) -> str:
    from deposits.models import CrossRegionTransfer, TransferDirection
    from fund.integrations.models import TransferStatus
    from withdrawals.models import Withdrawal

    done = ", ".join(f"'{s}'" for s in (TransferStatus.DONE, TransferStatus.DONE_AFTER_NEGOTIATION))
    return f"""
        SELECT w.id, t.reference, t.finished_at, t.other_centre
        FROM {Withdrawal._meta.db_table} w
        JOIN {CrossRegionTransfer._meta.db_table} t
          ON t.account_id = w.account_id AND t.direction = '{TransferDirection.IN}' AND t.status IN ({done})
         AND t.finished_at <= w.submitted_at AND t.finished_at >= w.submitted_at - make_interval(months => %(months)s)
        WHERE w.standing_id IS NULL AND {where}
        ORDER BY w.id, t.finished_at
    """


def transfer_screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    if getattr(subject, "standing_id", None):
        return []
    months = months_param(params, TRANSFER_POLICY, today())
    found = rows(_transfer_sql("w.id = %(subject)s"), {"months": months, "subject": subject.pk})
    return [_transfer_finding(*row[1:], months=months) for row in found]


def transfer_sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    from withdrawals.models import Withdrawal

    months = months_param(params, TRANSFER_POLICY, business_date)
    start, end = sweep_window(business_date, params)
    found = rows(_transfer_sql("w.submitted_at >= %(start)s AND w.submitted_at < %(end)s"),
                 {"months": months, "start": start, "end": end})
    subjects = subjects_by_pk(Withdrawal, (row[0] for row in found))
    return [(subjects[row[0]], _transfer_finding(*row[1:], months=months)) for row in found]


TRANSFER_IN = register_check(Check(
    code="fraud.transfer_in", label="转入后短期提取", category=Category.FRAUD, level=Level.DOUBT,
    subjects=("withdrawals.withdrawal",),
    description="异地转入后政策规定月数内即申请提取（逐月提取除外）：疑为转入套取。",
    screen=transfer_screen, sweep=transfer_sweep, params={"months": None, "sweep_days": 7},
))


# ---- repeated marriage changes before a purchase withdrawal -------------------------------------------------

PURCHASE = "01"


def marriage_screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    """Asks the marriage registry (outside any transaction: the engine screens after commit). A registry that
    cannot answer finds nothing now; the purchase decision asks it again for the relation."""
    if getattr(subject, "reason", "") != PURCHASE:
        return []
    person = subject.account.person  # type: ignore[attr-defined]
    on = today()
    since = months_ago(on, int(params["months"]))
    try:
        history = marriage_registry().history(id_number=person.id_number)
    except IntegrationError:
        return []
    changes = [e for e in history.events if since <= e.on <= on]
    if len(changes) < int(params["count"]):
        return []
    listed = [{"kind": str(e.kind), "label": MarriageEventKind(e.kind).label,
               "on": e.on.isoformat(), "other": masked(e.other_id_number)} for e in changes]
    words = "、".join(f"{item['on']} {item['label']}" for item in listed)
    return [Finding(summary=f"购房提取前 {params['months']} 个月内婚姻变更 {len(changes)} 次：{words}",
                    evidence={"changes": listed, "months": int(params["months"]), "marriage_call_id": history.call_id},
                    key=f"{changes[0].on:%Y%m%d}-{changes[-1].on:%Y%m%d}")]


MARRIAGE_CHANGES = register_check(Check(
    code="fraud.marriage_changes", label="购房提取前频繁婚变", category=Category.FRAUD, level=Level.DOUBT,
    subjects=("withdrawals.withdrawal",),
    description="购房提取前规定月数内婚姻登记变更（结婚、离婚）达到规定次数：疑为假离婚、假结婚套取。",
    screen=marriage_screen, sweep=None, params={"count": 2, "months": 24},
))
