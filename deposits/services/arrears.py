"""Arrears (催建催缴): units behind on remittance, and the monthly SMS reminder to each of them.

A member is behind by the months between their paid-up month (缴至年月; before the first payment, the month
before 起缴年月) and last month; the current month is not yet due. A unit is behind by its oldest member.
Only 正常 members of 正常 units count: a sealed member owes nothing, and a deferred (缓缴) unit has
approval not to pay for now.
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from fund.audit.services import audit_log
from fund.integrations import sms_gateway
from fund.integrations.base import IntegrationError, Unavailable

from ..models import ArrearsReminder, MemberState, ReminderState, UnitAccount, UnitState
from .accounts import add_months, first_of_month

logger = logging.getLogger(__name__)

_MOBILE = re.compile(r"^1\d{10}$")
# A claim older than this belongs to a worker that died after claiming; it may be claimed again.
CLAIM_TIMEOUT = timedelta(minutes=30)


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


def _month_index(month: date) -> int:
    return month.year * 12 + month.month


def arrears_list(*, on: date, units: QuerySet[UnitAccount] | None = None) -> list[ArrearsRow]:
    """Units behind on remittance as of `on` (restricted to `units`, e.g. the user's scope), most months
    owed first. Set-based: one query whatever the number of members."""
    last = add_months(first_of_month(on), -1)
    params: dict[str, Any] = {
        "member_state": MemberState.NORMAL, "unit_state": UnitState.NORMAL,
        "last": last, "last_index": _month_index(last),
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


def arrears_reminder_text(row: ArrearsRow, *, on: date) -> str:
    last = add_months(first_of_month(on), -1)
    return (
        f"【{settings.FUND_CENTRE_NAME}】{row.unit.employer.name}（单位账号{row.unit.number}）：截至{last:%Y年%m月}，"
        f"贵单位住房公积金已欠缴{row.months_owed}个月，涉及职工{row.members_affected}人，"
        f"估算欠缴金额{row.amount_owed}元。请尽快办理汇缴或补缴；如已缴纳，请忽略本短信。"
    )


def unit_reminder_phone(unit: UnitAccount) -> str:
    """The unit's mobile: its registered contact phone if it is a mobile, else an operator's."""
    contact = (unit.employer.contact_phone or "").replace("-", "").replace(" ", "")
    if _MOBILE.match(contact):
        return contact
    operators = get_users_with_perms(
        unit.employer, only_with_perms_in=["act_for_employer"], with_superusers=False, with_group_users=False
    )
    for phone in operators.order_by("pk").values_list("phone", flat=True):
        if _MOBILE.match(phone or ""):
            return phone
    return ""


def _claim(reminder: ArrearsReminder, now: Any) -> bool:
    """Compare-and-set to 发送中; only one worker wins."""
    claimable = reminder.state in (ReminderState.PENDING, ReminderState.FAILED) or (
        reminder.state == ReminderState.SENDING and reminder.claimed_at and reminder.claimed_at < now - CLAIM_TIMEOUT
    )
    if not claimable:
        return False
    return (
        ArrearsReminder.objects.filter(pk=reminder.pk, state=reminder.state, claimed_at=reminder.claimed_at)
        .update(state=ReminderState.SENDING, claimed_at=now, attempts=reminder.attempts + 1)
        == 1
    )


def arrears_reminder_send(*, unit_id: int, on: date) -> ArrearsReminder | None:
    """Text one unit this month's reminder, at most once per unit and month.

    Returns None when the unit is no longer in arrears; the existing reminder when this month's was sent
    already (or another worker is sending it). The gateway is called outside any transaction; a gateway
    that is down raises `Unavailable` after the reminder is released, so the task may retry.
    """
    month = first_of_month(on)
    found = arrears_list(on=on, units=UnitAccount.objects.filter(pk=unit_id))
    already = ArrearsReminder.objects.filter(unit_id=unit_id, month=month).first()
    if already is not None and already.state == ReminderState.SENT:
        return already
    if not found:
        return already
    row = found[0]
    with transaction.atomic():
        reminder, _ = ArrearsReminder.objects.get_or_create(unit_id=unit_id, month=month)
        ArrearsReminder.objects.filter(pk=reminder.pk).update(
            months_owed=row.months_owed, members_affected=row.members_affected, amount_owed=row.amount_owed
        )
    now = timezone.now()
    if not _claim(reminder, now):
        reminder.refresh_from_db()
        return reminder
    phone = unit_reminder_phone(row.unit)
    error, message_id = "", ""
    if not phone:
        error = "单位未登记可接收短信的手机号码"
    else:
        try:
            message_id = sms_gateway().send(phone=phone, text=arrears_reminder_text(row, on=on)).message_id
        except Unavailable as exc:
            # Release the claim so the retry (or the next beat) can send it.
            ArrearsReminder.objects.filter(pk=reminder.pk, state=ReminderState.SENDING).update(
                state=ReminderState.FAILED, phone=phone, error=exc.message[:300]
            )
            raise
        except IntegrationError as exc:
            error = exc.message
    with transaction.atomic():
        state = ReminderState.FAILED if error else ReminderState.SENT
        ArrearsReminder.objects.filter(pk=reminder.pk, state=ReminderState.SENDING).update(
            state=state, phone=phone, message_id=message_id, error=error[:300],
            sent_at=timezone.now() if not error else None,
        )
        audit_log(
            actor=None, action="deposits.arrears.reminded" if not error else "deposits.arrears.remind_failed",
            target=row.unit,
            new={"month": f"{month:%Y-%m}", "months_owed": row.months_owed, "members": row.members_affected,
                 "amount": row.amount_owed, "message_id": message_id, "error": error},
        )
    reminder.refresh_from_db()
    return reminder


def arrears_units_to_remind(*, on: date) -> list[int]:
    """The units in arrears on `on` whose reminder of this month has not been sent."""
    sent = set(
        ArrearsReminder.objects.filter(month=first_of_month(on), state=ReminderState.SENT).values_list("unit_id", flat=True)
    )
    return [row.unit.pk for row in arrears_list(on=on) if row.unit.pk not in sent]


def last_reminders(unit_ids: list[int]) -> dict[int, ArrearsReminder]:
    """The latest reminder of each unit, for the staff list."""
    latest: dict[int, ArrearsReminder] = {}
    for reminder in ArrearsReminder.objects.filter(unit_id__in=unit_ids).order_by("unit_id", "-month"):
        latest.setdefault(reminder.unit_id, reminder)
    return latest
