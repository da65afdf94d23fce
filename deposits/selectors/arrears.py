"""Reading arrears (催建催缴): units behind on remittance as of a day, their latest reminders, and the employers
insured here with no open unit account (应建未建单位). The rules of who is behind are in
deposits.services.arrears' docstring; sending reminders and recording notices are services there."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet

from fund.dates import add_months, first_of_month, month_index
from fund.integrations.models import SandboxSocialInsurance

from ..models import (
    ArrearsReminder,
    MemberState,
    OpeningNotice,
    OpeningRequestState,
    UnitAccount,
    UnitOpeningRequest,
    UnitState,
)


@dataclass
class ArrearsRow:
    unit: UnitAccount
    months_owed: int
    members_affected: int
    active_members: int
    amount_owed: Decimal
    oldest_paid_to: date  # the oldest member's paid-up month (or the month before they start)


# One statement for every unit: per member how many months behind (`behind`, as the brief defines months
# owed) and how many of those are actually unpaid (`missing`: a back-paid month beyond the paid-up month
# is not owed again), then per unit the oldest, the count and the estimated sum.
_SQL = """
WITH member AS (
    SELECT a.id, a.unit_id, a.unit_monthly + a.member_monthly AS monthly,
           COALESCE(a.paid_up_to, (a.first_month - INTERVAL '1 month')::date) AS paid_to
      FROM deposits_memberaccount a
      JOIN deposits_unitaccount u ON u.id = a.unit_id
     WHERE a.state = %(member_state)s AND u.state = %(unit_state)s {unit_filter}
), owed AS (
    SELECT m.unit_id, m.monthly, m.paid_to,
           GREATEST(0, %(last_index)s - (EXTRACT(YEAR FROM m.paid_to)::int * 12 + EXTRACT(MONTH FROM m.paid_to)::int))
               AS behind,
           (SELECT count(*) FROM deposits_monthlydeposit d
             WHERE d.account_id = m.id AND d.reversal_id IS NULL AND d.month > m.paid_to AND d.month <= %(last)s)
               AS paid_ahead
      FROM member m
)
SELECT unit_id, max(behind), count(*) FILTER (WHERE behind > 0), count(*),
       COALESCE(sum(GREATEST(0, behind - paid_ahead) * monthly), 0), min(paid_to)
  FROM owed
 GROUP BY unit_id
HAVING max(behind) > 0
"""


def arrears_list(*, on: date, units: QuerySet[UnitAccount] | None = None) -> list[ArrearsRow]:
    """Units behind on remittance as of `on` (restricted to `units`, e.g. the user's scope), most months
    owed first. Set-based: one query whatever the number of members."""
    last = add_months(first_of_month(on), -1)
    params: dict[str, Any] = {
        "member_state": MemberState.NORMAL, "unit_state": UnitState.NORMAL,
        "last": last, "last_index": month_index(last),
    }
    unit_filter = ""
    if units is not None:
        try:
            sql, unit_params = units.values("pk").query.sql_with_params()
        except EmptyResultSet:  # a scope that can see no unit
            return []
        # The scoped queryset's own SQL, with its parameters renamed into this statement's dict.
        names = [f"unit_p{i}" for i in range(len(unit_params))]
        unit_filter = "AND u.id IN (" + sql.replace("%%", "%%%%") % tuple(f"%({n})s" for n in names) + ")"
        params.update(zip(names, unit_params, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(_SQL.format(unit_filter=unit_filter), params)
        found = cursor.fetchall()
    by_id = UnitAccount.objects.select_related("employer", "employer__branch").in_bulk([r[0] for r in found])
    rows = [
        ArrearsRow(
            unit=by_id[unit_id], months_owed=int(months), members_affected=int(affected), active_members=int(active),
            amount_owed=Decimal(amount).quantize(Decimal("0.01")), oldest_paid_to=oldest,
        )
        for unit_id, months, affected, active, amount, oldest in found
    ]
    rows.sort(key=lambda r: (-r.months_owed, -r.amount_owed, r.unit.number))
    return rows


def last_reminders(unit_ids: list[int]) -> dict[int, ArrearsReminder]:
    """The latest reminder of each unit, for the staff list."""
    latest: dict[int, ArrearsReminder] = {}
    for reminder in ArrearsReminder.objects.filter(unit_id__in=unit_ids).order_by("unit_id", "-month"):
        latest.setdefault(reminder.unit_id, reminder)
    return latest


@dataclass
class UnopenedUnitRow:
    credit_code: str
    name: str
    insured: int  # people the social insurance bureau has this employer paying for now
    status: str  # 未开户 / 已销户 / 网上开户申请待审核
    notices: int = 0
    last_notice: OpeningNotice | None = None


def _insured_employers(on: date) -> dict[str, tuple[str, int]]:
    """credit code → (name, insured head count) of every employer paying social insurance on `on`.

    Read from the social insurance sandbox's table: the bureau's interface (`SocialInsuranceBureau`) answers
    per person only. When the foundation adds a bulk operation for employers, this is the one place to call it.
    """
    rows = (
        SandboxSocialInsurance.objects.exclude(employer_credit_code="")
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on))
        .values("employer_credit_code").annotate(n=Count("pk"), name=Max("employer_name"))
    )
    return {r["employer_credit_code"].upper(): (r["name"], r["n"]) for r in rows}


def unopened_units_list(*, on: date, query: str = "") -> list[UnopenedUnitRow]:
    """应建未建单位: employers insured here with no open unit account (none, or only a closed one), most
    insured first. An employer whose online opening request awaits review is still listed, marked so."""
    insured = _insured_employers(on)
    opened = set(
        UnitAccount.objects.exclude(state=UnitState.CLOSED).filter(employer__credit_code__in=list(insured))
        .values_list("employer__credit_code", flat=True)
    )
    closed = set(
        UnitAccount.objects.filter(state=UnitState.CLOSED, employer__credit_code__in=list(insured))
        .values_list("employer__credit_code", flat=True)
    )
    pending = set(
        UnitOpeningRequest.objects.filter(state=OpeningRequestState.PENDING, credit_code__in=list(insured))
        .values_list("credit_code", flat=True)
    )
    query = (query or "").strip()
    rows = []
    for code, (name, count) in insured.items():
        if code in opened:
            continue
        if query and query.upper() != code and query not in name:
            continue
        status = "网上开户申请待审核" if code in pending else "已销户" if code in closed else "未开户"
        rows.append(UnopenedUnitRow(credit_code=code, name=name, insured=count, status=status))
    notices = OpeningNotice.objects.filter(credit_code__in=[r.credit_code for r in rows]).order_by("credit_code", "-id")
    by_code: dict[str, list[OpeningNotice]] = {}
    for notice in notices.select_related("sent_by"):
        by_code.setdefault(notice.credit_code, []).append(notice)
    for row in rows:
        found = by_code.get(row.credit_code, [])
        row.notices, row.last_notice = len(found), (found[0] if found else None)
    rows.sort(key=lambda r: (-r.insured, r.credit_code))
    return rows


def unopened_unit_get(*, credit_code: str, on: date) -> UnopenedUnitRow | None:
    code = (credit_code or "").strip().upper()
    return next((r for r in unopened_units_list(on=on) if r.credit_code == code), None)
