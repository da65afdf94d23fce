"""Working tickets (转办单): registering one from any channel with its deadline, assigning it, the reply and the
complainant's satisfaction, closing it, and the nightly reminders to the person responsible.

- Deadline: `ticket_days_<category>` working days (policy, on the registration date) after the registration date,
  counted by fund.workdays (public holidays skipped, make-up working days counted). 不满意 sends the ticket back
  once, with a new deadline counted from that day; the first deadline stays for the on-time rate.
- The complainant rates by the SMS link sent with the reply (a signed token naming the ticket and its round, so
  an old link cannot rate a new reply), in the hall for a ticket raised there, or staff record it after a
  call-back. 满意/基本满意 close the ticket; 不满意 in the first round reopens it, in the second it closes rated.
- Reminders: close step `tickets.reminders` (the nightly close of each business date, run once per date, caught up
  in order) reminds the person responsible once per ticket, deadline and kind — 即将到期 when the deadline is
  within `ticket_remind_days` working days, 已超期 once it has passed — in the system, and by SMS when the staff
  member has a mobile number on record.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.numbers import next_number
from fund.people.models import StaffProfile
from fund.policy.selectors import policy_value
from fund.validation import MOBILE, clean_into, clean_line, clean_person_name, clean_phone, clean_text
from fund.workdays import add_working_days
from fund.workflow.moves import move_status

from .models import (
    CLOSING,
    TICKET_MOVES,
    Category,
    Channel,
    Satisfaction,
    Ticket,
    TicketReminder,
    TicketState,
)
from .selectors import ticket_may_call_back, ticket_may_dispatch, ticket_may_register, ticket_may_reply

NUMBER_SEQUENCE = "tickets_ticket_number"
RATE_SALT = "tickets.rate"
RATE_LINK_DAYS = 30
REOPEN_ROUNDS = 1  # 不满意 sends a ticket back this many times; after that it closes rated 不满意
STAFF_CHANNELS = (Channel.HOTLINE, Channel.LETTER)


def ticket_due_on(category: str, registered_on: date) -> date:
    """The deadline of a ticket of `category` registered (or reopened) on `registered_on`."""
    days = int(policy_value(f"ticket_days_{category}", registered_on))
    return add_working_days(registered_on, days)


def _queue_sms(phone: str, text: str) -> None:
    from fund.people.tasks import send_sms

    if phone and MOBILE.fullmatch(phone):
        transaction.on_commit(functools.partial(send_sms.delay, phone, text), robust=True)


def ticket_register(*, actor: Any, channel: str, category: str, subject: str, content: str, name: str = "",
                    phone: str = "", person: Any = None, employer: Any = None) -> Ticket:
    """Register a ticket. Staff take hotline calls and letters; a member (`person`) or a unit (`employer`) files one
    from their hall, anyone from the public form (no actor). Every field is checked at once; nothing is written
    when one is refused."""
    errors: dict[str, list[str]] = {}
    if channel in STAFF_CHANNELS:
        if not ticket_may_register(actor):
            raise PermissionDenied("只有受理岗或分管领导可以登记热线、来信工单")
    elif channel == Channel.MEMBER:
        if person is None:
            raise PermissionDenied("个人网厅的诉求须由职工本人提交")
        name = name or person.name
        phone = phone or person.phone
    elif channel == Channel.UNIT:
        if employer is None:
            raise PermissionDenied("单位网厅的诉求须由单位经办人提交")
    elif channel != Channel.PUBLIC:
        errors["channel"] = ["来源应为：" + "、".join(label for _, label in Channel.choices)]
    if category not in Category.values:
        errors["category"] = ["类别应为：" + "、".join(label for _, label in Category.choices)]
    subject = clean_into(errors, "subject", clean_line, subject, label="标题", max_length=60) or ""
    content = clean_into(errors, "content", clean_text, content, label="诉求内容", max_length=2000) or ""
    name = clean_into(errors, "name", clean_person_name, name, label="诉求人") or ""
    # The reply and the rating link go by SMS: the hotline and the public form need a number to reach the person.
    phone = clean_into(errors, "phone", clean_phone, phone, label="联系电话",
                       required=channel in (Channel.HOTLINE, Channel.PUBLIC)) or ""
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    today = timezone.localdate(now)
    due = ticket_due_on(category, today)
    staff = getattr(actor, "staff_profile", None) if channel in STAFF_CHANNELS else None
    with transaction.atomic():
        ticket = Ticket.objects.create(
            number=next_number(NUMBER_SEQUENCE, f"GD{today:%Y%m%d}", 6), channel=channel, category=category,
            subject=subject, content=content, name=name, phone=phone, person=person, employer=employer,
            registered_at=now, registered_on=today, registered_by=actor if staff is not None else None,
            # A branch's own seat keeps the ticket in its branch (it would not see it otherwise) until assigned.
            branch=staff.branch if staff is not None and not staff.centre_wide else None,
            first_due_on=due, due_on=due,
        )
        audit_log(actor=actor if getattr(actor, "pk", None) else None, action="tickets.ticket.registered",
                  target=ticket, new={"channel": channel, "category": category, "due_on": due, "subject": subject})
    return ticket


def ticket_assign(*, actor: Any, ticket: Ticket, responsible: Any) -> Ticket:
    """转办: name the person responsible; the ticket goes to their branch. Again while it is 已转办: reassigned."""
    if not ticket_may_dispatch(actor):
        raise PermissionDenied("只有全中心范围的受理岗（12329热线）或分管领导可以转办工单")
    profile = StaffProfile.objects.filter(user=responsible).select_related("branch").first() if responsible else None
    if profile is None or not responsible.is_active:
        raise ValidationError({"responsible": ["请选择在岗的工作人员作为责任人"]})
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        fields = {"branch": profile.branch, "responsible": responsible}
        note = {"responsible": str(responsible), "branch": profile.branch.name}
        if locked.state == TicketState.ASSIGNED:
            if locked.responsible_id == responsible.pk:
                raise ValidationError({"responsible": [f"工单已由{responsible}负责"]})
            was = {"responsible": str(locked.responsible), "branch": str(locked.branch)}
            Ticket.objects.filter(pk=locked.pk).update(**fields)
            audit_log(actor=actor, action="tickets.ticket.reassigned", target=locked, old=was, new=note)
            for name, value in fields.items():
                setattr(locked, name, value)
        else:
            move_status(locked, TicketState.ASSIGNED, table=TICKET_MOVES, actor=actor, action="tickets.ticket.assigned",
                        verb="转办", note=note, assigned_at=timezone.now(), **fields)
    _queue_sms(getattr(responsible, "phone", ""),
               f"【住房公积金】您有新的工单 {locked.number}（{locked.get_category_display()}）待答复，"
               f"答复期限 {locked.due_on:%Y-%m-%d}，请登录综合窗口办理。")
    return locked


def rate_token(ticket: Ticket) -> str:
    return signing.dumps([ticket.pk, ticket.rounds], salt=RATE_SALT, compress=True)


def rate_token_read(token: str) -> tuple[int, int]:
    """(ticket id, round) of a rating link, or ValidationError for a link that is forged or too old."""
    try:
        pk, rounds = signing.loads(token, salt=RATE_SALT, max_age=RATE_LINK_DAYS * 86400)
        return int(pk), int(rounds)
    except (signing.BadSignature, TypeError, ValueError):
        raise ValidationError({"token": ["评价链接无效或已过期，请致电12329"]}) from None


def _reply_text(ticket: Ticket) -> str:
    from django.urls import reverse

    from fund.printing.address import public_base_url

    excerpt = ticket.reply if len(ticket.reply) <= 60 else ticket.reply[:60] + "……"
    base = public_base_url()
    where = (f"请对办理结果评价：{base}{reverse('service:tickets_rate', args=[rate_token(ticket)])}" if base
             else "请致电12329对办理结果评价")
    return f"【住房公积金】{ticket.name}您好，您反映的“{ticket.subject}”（工单{ticket.number}）已答复：{excerpt}{where}"


def ticket_reply(*, actor: Any, ticket: Ticket, reply: str) -> Ticket:
    """答复: the person responsible (or the desk) answers; the complainant is texted the reply and a rating link."""
    errors: dict[str, list[str]] = {}
    reply = clean_into(errors, "reply", clean_text, reply, label="答复内容", max_length=2000) or ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not ticket_may_reply(actor, locked):
            raise PermissionDenied("只有工单责任人可以答复")
        today = timezone.localdate()
        move_status(locked, TicketState.REPLIED, table=TICKET_MOVES, actor=actor, action="tickets.ticket.replied",
                    verb="答复", note={"reply": reply, "on_time": today <= locked.due_on},
                    reply=reply, replied_at=timezone.now(), replied_by=actor,
                    first_replied_on=locked.first_replied_on or today,
                    # A reopened ticket's earlier 不满意 is in its history: the new reply waits for its own rating.
                    satisfaction="", satisfaction_by="", satisfaction_note="")
        _queue_sms(locked.phone, _reply_text(locked))
    return locked


def ticket_rate(*, ticket: Ticket, satisfaction: str, by: str, actor: Any = None, note: str = "",
                rounds: int | None = None) -> Ticket:
    """The complainant's satisfaction with the reply: `by` "link" (the SMS link, `rounds` from its token), "hall"
    (the member or unit who filed it) or "callback" (staff, `note` what the call gave)."""
    errors: dict[str, list[str]] = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = ["满意度应为：" + "、".join(label for _, label in Satisfaction.choices)]
    note = clean_into(errors, "note", clean_line, note, label="回访记录", max_length=200, required=False) or ""
    if by == "callback" and not note and not errors:
        errors["note"] = ["请填写回访记录（回访时间、方式、诉求人意见）"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if by == "callback" and not ticket_may_call_back(actor, locked):
            raise PermissionDenied("回访须由热线或受理岗的其他工作人员登记，答复人不能为自己的答复登记满意度")
        if locked.state != TicketState.REPLIED or (rounds is not None and rounds != locked.rounds):
            raise ValidationError({"satisfaction": ["该工单当前不在待评价状态（可能已评价，或已重新办理）"]})
        label = Satisfaction(satisfaction).label
        audit_note = {"satisfaction": satisfaction, "by": by, "note": note}
        if satisfaction in CLOSING or locked.rounds > REOPEN_ROUNDS:
            move_status(locked, TicketState.CLOSED, table=TICKET_MOVES, actor=actor, action="tickets.ticket.closed",
                        verb=f"评价为“{label}”", note=audit_note, closed_at=timezone.now(),
                        satisfaction=satisfaction, satisfaction_by=by, satisfaction_note=note)
        else:
            today = timezone.localdate()
            move_status(locked, TicketState.ASSIGNED, table=TICKET_MOVES, actor=actor,
                        action="tickets.ticket.reopened", verb="重新办理", note=audit_note,
                        was={"reply": locked.reply, "due_on": locked.due_on}, rounds=locked.rounds + 1,
                        due_on=ticket_due_on(locked.category, today), satisfaction=satisfaction,
                        satisfaction_by=by, satisfaction_note=note)
            _queue_sms(getattr(locked.responsible, "phone", ""),
                       f"【住房公积金】工单 {locked.number} 的诉求人对答复不满意，已退回重新办理，"
                       f"期限 {locked.due_on:%Y-%m-%d}。")
    return locked


def ticket_close(*, actor: Any, ticket: Ticket, note: str) -> Ticket:
    """办结 a replied ticket whose complainant could not be reached for a rating (the desk, with what happened)."""
    if not ticket_may_dispatch(actor):
        raise PermissionDenied("只有全中心范围的受理岗（12329热线）或分管领导可以办结未评价的工单")
    errors: dict[str, list[str]] = {}
    note = clean_into(errors, "note", clean_line, note, label="办结说明", max_length=200) or ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        move_status(locked, TicketState.CLOSED, table=TICKET_MOVES, actor=actor, action="tickets.ticket.closed",
                    verb="办结", note={"note": note}, reason=note, closed_at=timezone.now(), satisfaction_note=note)
    return locked


# Open tickets due within the horizon (即将到期) or past due (已超期), reminded once per ticket, deadline and kind:
# inserted and returned at once, with the responsible staff member's mobile number when there is one.
_REMIND = """
WITH due AS (
    SELECT t.id, t.responsible_id, t.due_on, CASE WHEN t.due_on < %(on)s THEN 'overdue' ELSE 'due_soon' END AS kind
      FROM tickets_ticket t
     WHERE t.state = 'assigned' AND t.due_on <= %(horizon)s
), added AS (
    INSERT INTO tickets_ticketreminder (ticket_id, user_id, kind, due_on, created_at, texted_to)
    SELECT d.id, d.responsible_id, d.kind, d.due_on, %(now)s,
           CASE WHEN u.phone ~ '^1[3-9][0-9]{9}$' THEN u.phone ELSE '' END
      FROM due d JOIN people_user u ON u.id = d.responsible_id
    ON CONFLICT (ticket_id, due_on, kind) DO NOTHING
    RETURNING ticket_id, kind, due_on, texted_to
)
SELECT a.kind, a.due_on, a.texted_to, t.number, t.subject
  FROM added a JOIN tickets_ticket t ON t.id = a.ticket_id
 ORDER BY a.ticket_id
"""


def ticket_reminders_send(on: date) -> dict[str, int]:
    """Remind the people responsible of the open tickets due by `ticket_remind_days` working days after `on`."""
    from fund.people.tasks import send_sms_many

    horizon = add_working_days(on, int(policy_value("ticket_remind_days", on)))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_REMIND, {"on": on, "horizon": horizon, "now": timezone.now()})
            rows = cursor.fetchall()
        texts = [[phone, f"【住房公积金】工单 {number}“{subject}”"
                         f"{'已超过答复期限' if kind == 'overdue' else '即将到期'}（期限 {due:%Y-%m-%d}），请尽快答复。"]
                 for kind, due, phone, number, subject in rows if phone]
        if texts:
            transaction.on_commit(functools.partial(send_sms_many.delay, texts), robust=True)
    return {"due_soon": sum(r[0] == "due_soon" for r in rows), "overdue": sum(r[0] == "overdue" for r in rows),
            "texted": len(texts)}


def ticket_reminders_read(*, user: Any, ticket: Ticket) -> int:
    """The person responsible opened the ticket: its reminders to them are read."""
    return TicketReminder.objects.filter(user=user, ticket=ticket, read_at__isnull=True).update(read_at=timezone.now())
