"""Arrears (催建催缴): units behind on remittance, and the monthly SMS reminder to each of them.

A member is behind by the months between their paid-up month (缴至年月; before the first payment, the month
before 起缴年月) and last month; the current month is not yet due. A unit is behind by its oldest member.
Only 正常 members of 正常 units count: a sealed member owes nothing, and a deferred (缓缴) unit has
approval not to pay for now.

催建: employers the social insurance bureau has paying for people in the city but with no open unit account
here (应建未建单位), and the notices staff record having sent them (`OpeningNotice`).
"""

import logging
import re
from datetime import date, timedelta
from io import BytesIO
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fund.audit.services import audit_log
from fund.dates import add_months, first_of_month
from fund.integrations import sms_gateway
from fund.integrations.base import IntegrationError, Unavailable
from fund.money import format_money
from fund.people.models import User
from fund.people.roles import roles_of
from fund.validation import clean_into, clean_line, clean_text

from ..models import (
    ArrearsReminder,
    OpeningNotice,
    OpeningNoticeChannel,
    ReminderState,
    UnitAccount,
)
from ..selectors.arrears import ArrearsRow, UnopenedUnitRow, arrears_list, unopened_unit_get

logger = logging.getLogger(__name__)

_MOBILE = re.compile(r"^1\d{10}$")
# A claim older than this belongs to a worker that died after claiming; it may be claimed again.
CLAIM_TIMEOUT = timedelta(minutes=30)


def arrears_reminder_text(row: ArrearsRow, *, on: date) -> str:
    last = add_months(first_of_month(on), -1)
    return (
        f"【{settings.FUND_CENTRE_NAME}】{row.unit.employer.name}（单位账号{row.unit.number}）：截至{last:%Y年%m月}，"
        f"贵单位住房公积金已欠缴{row.months_owed}个月，涉及职工{row.members_affected}人，"
        f"估算欠缴金额{format_money(row.amount_owed)}元。请尽快办理汇缴或补缴；如已缴纳，请忽略本短信。"
    )


def unit_reminder_phone(unit: UnitAccount) -> str:
    """The unit's mobile: its registered contact phone if it is a mobile, else an operator's."""
    contact = (unit.employer.contact_phone or "").replace("-", "").replace(" ", "")
    if _MOBILE.match(contact):
        return contact
    operators = cast("QuerySet[User]", get_users_with_perms(  # without attach_perms: a QuerySet of users
        unit.employer, only_with_perms_in=["act_for_employer"], with_superusers=False, with_group_users=False
    ))
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


# ---- 催建: employers that should have opened a unit account and have not ----------------------------------

@transaction.atomic(durable=True)
def opening_notice_record(
    *, actor: Any, credit_code: str, channel: str, contact: str = "", note: str = "", on: date | None = None
) -> OpeningNotice:
    """Record that `actor` told an employer on the 应建未建 list to open its unit account (催建)."""
    if not roles_of(actor).can_accept:
        raise PermissionDenied("您的岗位不能办理此业务")
    on = on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    row = unopened_unit_get(credit_code=credit_code, on=on)
    if row is None:
        errors["credit_code"] = ["该统一社会信用代码不在应建未建单位名单中（可能已开户，或社保无参保记录）"]
    if channel not in OpeningNoticeChannel.values:
        errors["channel"] = ["请选择通知方式"]
    contact = clean_into(errors, "contact", clean_line, contact, label="联系人/电话", max_length=60, required=False) or ""
    note = clean_into(errors, "note", clean_text, note, label="说明", max_length=200, required=False) or ""
    if errors:
        raise ValidationError(errors)
    assert row is not None
    notice = OpeningNotice.objects.create(
        credit_code=row.credit_code, employer_name=row.name, insured_count=row.insured, channel=channel,
        contact=contact or "", note=note or "", sent_by=actor,
    )
    audit_log(
        actor=actor, action="deposits.unopened.notified", target=notice,
        new={"credit_code": row.credit_code, "name": row.name, "insured": row.insured, "channel": channel,
             "contact": contact, "note": note},
    )
    return notice


UNOPENED_COLUMNS = ["统一社会信用代码", "单位名称", "参保人数", "状态", "催建次数", "最近催建时间", "最近催建方式"]


def unopened_units_workbook(*, rows: list[UnopenedUnitRow], on: date) -> bytes:
    """应建未建单位 as .xlsx: a title, when it was drawn, then one row per employer."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="应建未建单位")
    for letter, width in zip("ABCDEFG", [24, 36, 10, 20, 10, 18, 14], strict=True):
        sheet.column_dimensions[letter].width = width
    title = WriteOnlyCell(sheet, value="应建未建住房公积金单位名单")
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append(["统计日期", f"{on:%Y-%m-%d}"])
    sheet.append(["出具单位", settings.FUND_CENTRE_NAME])
    sheet.append(["说明", "社保在本市参保缴费、尚未在本中心开立单位住房公积金账户的单位"])
    sheet.append([])
    heads = []
    for label in UNOPENED_COLUMNS:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        heads.append(cell)
    sheet.append(heads)
    for r in rows:
        last = r.last_notice
        sheet.append([
            r.credit_code, r.name, r.insured, r.status, r.notices,
            f"{timezone.localtime(last.sent_at):%Y-%m-%d %H:%M}" if last else "",
            last.get_channel_display() if last else "",
        ])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
