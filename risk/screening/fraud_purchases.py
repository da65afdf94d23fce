"""Bursts of small second-hand purchases: N in M days through one agent, one seller or in one district (the
national 2018 campaign's pattern of an agency staging cheap sales so buyers can withdraw or borrow).

Counted: second-hand loan applications at or below the price bound (their address, seller and agent), and
purchase withdrawals that name an agent (a withdrawal keeps no price, so it joins by its agent only). The
district is read from the address (示范市XX区/县). Each dimension has its own count in the params; a rule row
may set other figures or drop a dimension.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from .fraud_common import FOLD_SQL, day_start, fold, rows, subjects_by_pk
from .registry import Category, Check, Finding, Level, register_check

DIMENSIONS = {"district": "区县", "agent": "经纪机构", "seller": "售房人"}
# The district of a city address: the first 区 or 县 after 市 ("示范市高新区科技路88号" → 高新区).
DISTRICT = re.compile(r"市([\u4e00-\u9fff]{1,8}?[区县])")
DISTRICT_SQL = "substring({} from '市([\\u4e00-\\u9fff]{{1,8}}?[区县])')"


def district_of(address: str) -> str:
    found = DISTRICT.search(address or "")
    return found.group(1) if found else ""


def _events_sql() -> str:
    """Every counted purchase in [start, end): (model, id, number, day, district, agent, seller) with the
    agent and seller folded for comparison."""
    from loans.models import HomeKind, LoanApplication
    from withdrawals.models import Withdrawal, WithdrawalState

    return f"""
        SELECT 'loan' AS model, l.id, l.number, l.created_at AS at,
               coalesce({DISTRICT_SQL.format("l.home_address")}, '') AS district,
               {FOLD_SQL.format("l.agent_name")} AS agent, {FOLD_SQL.format("l.seller_name")} AS seller,
               l.agent_name AS agent_shown, l.seller_name AS seller_shown
        FROM {LoanApplication._meta.db_table} l
        WHERE l.home_kind = '{HomeKind.SECOND_HAND}' AND l.price <= %(max_price)s
          AND l.created_at >= %(start)s AND l.created_at < %(end)s
        UNION ALL
        SELECT 'withdrawal', w.id, w.number, w.submitted_at, '', {FOLD_SQL.format("w.details->>'agent'")}, '',
               w.details->>'agent', ''
        FROM {Withdrawal._meta.db_table} w
        WHERE w.reason = '01' AND coalesce(w.details->>'agent', '') <> '' AND w.state <> '{WithdrawalState.CANCELLED}'
          AND w.submitted_at >= %(start)s AND w.submitted_at < %(end)s
    """


def _groups(start: Any, end: Any, params: dict[str, Any], only: dict[str, str] | None = None) -> list[tuple[Any, ...]]:
    """(dimension, value shown, [(model, id, number, at)…]) for every value reaching its dimension's count."""
    counts = {dim: int(n) for dim, n in (params.get("counts") or {}).items() if dim in DIMENSIONS and n}
    out: list[tuple[Any, ...]] = []
    for dim, least in counts.items():
        if only is not None and not only.get(dim):
            continue
        shown = {"district": "district", "agent": "agent_shown", "seller": "seller_shown"}[dim]
        value_filter = f"AND e.{dim} = %(value)s" if only is not None else ""
        found = rows(f"""
            WITH e AS ({_events_sql()})
            SELECT e.{dim}, min(e.{shown}), array_agg(e.model ORDER BY e.at), array_agg(e.id ORDER BY e.at),
                   array_agg(e.number ORDER BY e.at), array_agg(e.at ORDER BY e.at)
            FROM e WHERE e.{dim} <> '' {value_filter}
            GROUP BY e.{dim} HAVING count(*) >= %(least)s
        """, {"max_price": Decimal(str(params["max_price"])), "start": start, "end": end, "least": least,
              "value": (only or {}).get(dim, "")})
        out += [(dim, row[1], list(zip(row[2], row[3], row[4], row[5], strict=True))) for row in found]
    return out


def _finding(dim: str, shown: str, members: list[tuple[Any, ...]], params: dict[str, Any]) -> Finding:
    days = int(params["days"])
    numbers = [number for _, _, number, _ in members]
    return Finding(
        summary=f"{days} 日内同一{DIMENSIONS[dim]}“{shown}”有 {len(members)} 笔小额二手房交易：{'、'.join(numbers[:6])}"
                + ("等" if len(numbers) > 6 else ""),
        evidence={"dimension": dim, "value": shown, "count": len(members), "days": days,
                  "max_price": str(params["max_price"]),
                  "applications": [{"kind": kind, "number": number, "at": f"{timezone.localtime(at):%Y-%m-%d}"}
                                   for kind, _, number, at in members]},
        key=f"{dim}:{fold(shown)}",
    )


def _dimensions_of(subject: models.Model) -> tuple[dict[str, str], Any]:
    """The subject's own values (folded) and when it came in."""
    if hasattr(subject, "home_kind"):  # a loan application
        from loans.models import HomeKind

        if subject.home_kind != HomeKind.SECOND_HAND:
            return {}, None
        return ({"district": district_of(subject.home_address), "agent": fold(subject.agent_name),
                 "seller": fold(subject.seller_name)}, subject.created_at)
    if getattr(subject, "reason", "") == "01":
        return {"agent": fold((subject.details or {}).get("agent"))}, subject.submitted_at
    return {}, None


def screen(subject: models.Model, params: dict[str, Any]) -> Iterable[Finding]:
    values, at = _dimensions_of(subject)
    if not any(values.values()) or at is None:
        return []
    end = at + timedelta(seconds=1)
    start = end - timedelta(days=int(params["days"]))
    out = []
    for dim, shown, members in _groups(start, end, params, only=values):
        if any(m[1] == subject.pk and (m[0] == "loan") == hasattr(subject, "home_kind") for m in members):
            out.append(_finding(dim, shown, members, params))
    return out


def sweep(business_date: date, params: dict[str, Any]) -> Iterable[tuple[models.Model, Finding]]:
    """The bursts within the `days` days up to the business date; every member is a subject."""
    from loans.models import LoanApplication
    from withdrawals.models import Withdrawal

    end = day_start(business_date + timedelta(days=1))
    groups = _groups(end - timedelta(days=int(params["days"])), end, params)
    loans = subjects_by_pk(LoanApplication, (m[1] for _, _, ms in groups for m in ms if m[0] == "loan"))
    withdrawals = subjects_by_pk(Withdrawal, (m[1] for _, _, ms in groups for m in ms if m[0] == "withdrawal"))
    out = []
    for dim, shown, members in groups:
        finding = _finding(dim, shown, members, params)
        out += [((loans if kind == "loan" else withdrawals)[pk], finding) for kind, pk, _, _ in members]
    return out


SECONDHAND_BURST = register_check(Check(
    code="fraud.secondhand_burst", label="小额二手房交易集中", category=Category.FRAUD, level=Level.DOUBT,
    subjects=("loans.loanapplication", "withdrawals.withdrawal"),
    description="规定天数内同一经纪机构、同一售房人或同一区县集中出现多笔小额二手房交易（贷款或购房提取）："
                "疑为中介组织虚假交易套取公积金。",
    screen=screen, sweep=sweep,
    params={"days": 30, "max_price": "400000", "counts": {"agent": 3, "seller": 3, "district": 8}},
))
