"""Demo data of 投诉与12329工单: this month's tickets worked through the services (one waiting for clerk01's reply,
one answered and waiting for a rating, one closed), and five earlier months of closed tickets as rows so the
reply and on-time rates have a trend. Fast: a few dozen rows."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from fund.dates import add_months, first_of_month
from fund.workdays import add_working_days

from .models import Category, Channel, Satisfaction, Ticket, TicketState
from .services import ticket_assign, ticket_rate, ticket_register, ticket_reply

CALLERS = [("王建华", "13905370001"), ("李秀英", "13905370002"), ("张伟", "13905370003"), ("刘洋", "13905370004"),
           ("陈静", "13905370005"), ("杨磊", "13905370006")]
SUBJECTS = [(Category.CONSULT, "租房提取需要哪些材料"), (Category.COMPLAINT, "窗口排队时间过长"),
            (Category.HELP, "忘记个人网厅密码"), (Category.SUGGESTION, "建议周六开放办理"),
            (Category.PRAISE, "表扬市直管理部窗口服务热情"), (Category.COMPLAINT, "提取到账比承诺的慢")]


def seed(ctx: Any) -> None:
    desk, clerk, clerk_b = ctx.staff["director"], ctx.staff["clerk01"], ctx.staff["clerk02"]
    today = ctx.today
    _history(ctx, today, responsible=[clerk, clerk_b])
    made = []
    for (category, subject), (name, phone) in zip(SUBJECTS[:3], CALLERS[:3], strict=True):
        made.append(ticket_register(actor=desk, channel=Channel.HOTLINE, category=category, subject=subject,
                                    content=f"来电反映：{subject}。", name=name, phone=phone))
    for ticket in made:
        ticket_assign(actor=desk, ticket=ticket, responsible=clerk)
    ticket_reply(actor=clerk, ticket=made[1], reply="已增开两个综合窗口，并在个人网厅开通预约，欢迎预约办理。")
    ticket_reply(actor=clerk, ticket=made[2], reply="可在个人网厅“忘记密码”处凭手机短信验证码重置。")
    ticket_rate(ticket=made[2], satisfaction=Satisfaction.SATISFIED, by="callback", actor=desk, note="电话回访，满意")
    ctx.logins.append(("综合窗口", "director", "12329热线：投诉台账 /staff/tickets/，答复率 /staff/tickets/rates/"))


def _history(ctx: Any, today: Any, *, responsible: list[Any]) -> None:
    """Five earlier months, a handful of tickets each, some answered late: rows only (dates in the past)."""
    rows = []
    month = add_months(first_of_month(today), -5)
    serial = 0
    while month < first_of_month(today):
        for index in range(6):
            serial += 1
            category, subject = SUBJECTS[(serial + index) % len(SUBJECTS)]
            name, phone = CALLERS[serial % len(CALLERS)]
            registered_on = month + timedelta(days=3 * index + 1)
            due = add_working_days(registered_on, 5)
            late = (serial % 5) == 0
            replied_on = add_working_days(due, 2) if late else add_working_days(registered_on, 2)
            at = timezone.make_aware(datetime.combine(registered_on, time(9, 30)))
            who = responsible[serial % len(responsible)]
            rows.append(Ticket(
                number=f"GD{registered_on:%Y%m%d}9{serial:05d}", channel=Channel.HOTLINE, category=category,
                subject=subject, content=f"来电反映：{subject}。", name=name, phone=phone, state=TicketState.CLOSED,
                registered_at=at, registered_on=registered_on, branch=who.staff_profile.branch, responsible=who,
                assigned_at=at, first_due_on=due, due_on=due, reply="已按规定答复。", replied_at=at + timedelta(days=2),
                replied_by=who, first_replied_on=replied_on, satisfaction=Satisfaction.FAIR if late else Satisfaction.SATISFIED,
                satisfaction_by="callback", satisfaction_note="电话回访", closed_at=at + timedelta(days=3)))
        month = add_months(month, 1)
    Ticket.objects.bulk_create(rows)
