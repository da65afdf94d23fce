"""投诉与12329工单 (转办单, 投诉台账): what people ask, complain of, suggest, report or praise — by the 12329 hotline,
online (the member's or unit's hall, the public form) or by letter — handed to a branch and a person responsible,
answered within the policy's working days for its category, and rated by the one who raised it.

Statuses move through `TICKET_MOVES` (fund.workflow.moves): 已登记 → 已转办 → 已答复 → 已办结, and back from 已答复
to 已转办 when the complainant is 不满意 (重新办理, a new deadline). The first deadline and the first reply are
kept apart from the current ones: the 投诉台账's reply and on-time rates read them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fund.workflow.moves import MoveTable


class Channel(models.TextChoices):
    HOTLINE = "hotline", "12329热线"
    MEMBER = "member", "个人网厅"
    UNIT = "unit", "单位网厅"
    PUBLIC = "public", "网站留言"
    LETTER = "letter", "来信"


class Category(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    REPORT = "report", "举报"
    PRAISE = "praise", "表扬"


class TicketState(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ASSIGNED = "assigned", "已转办"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIR = "fair", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


# 满意 and 基本满意 close the ticket; 不满意 sends it back to the person responsible.
CLOSING = (Satisfaction.SATISFIED, Satisfaction.FAIR)


class Ticket(models.Model):
    number = models.CharField("工单编号", max_length=20, unique=True)
    channel = models.CharField("来源", max_length=8, choices=Channel.choices)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    subject = models.CharField("标题", max_length=60)
    content = models.TextField("诉求内容", max_length=2000)
    name = models.CharField("诉求人", max_length=60)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    person = models.ForeignKey("people.Person", verbose_name="职工", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", help_text="个人网厅提交的，或登记时核实了身份的")
    employer = models.ForeignKey("people.Employer", verbose_name="单位", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", help_text="单位网厅提交的")
    state = models.CharField("状态", max_length=12, choices=TicketState.choices, default=TicketState.REGISTERED)
    registered_at = models.DateTimeField("登记时间")
    registered_on = models.DateField("登记日期", help_text="台账按此日所在月份统计")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+", help_text="网上提交的为空")
    branch = models.ForeignKey("people.Branch", verbose_name="责任管理部", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    assigned_at = models.DateTimeField("转办时间", null=True, blank=True)
    first_due_on = models.DateField("答复期限", help_text="登记时按类别的政策工作日数算出；按时率以此为准")
    due_on = models.DateField("当前期限", help_text="重新办理的，自重新办理之日重算")
    reply = models.TextField("答复内容", max_length=2000, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    first_replied_on = models.DateField("首次答复日期", null=True, blank=True)
    rounds = models.PositiveSmallIntegerField("办理轮次", default=1, help_text="不满意重新办理的加一")
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_by = models.CharField("评价方式", max_length=12, blank=True,
                                       help_text="link 短信链接 / hall 网厅 / callback 工作人员回访")
    satisfaction_note = models.CharField("回访记录", max_length=200, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "投诉与12329工单"
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["registered_on", "branch"], name="ticket_ledger_month"),
            models.Index(fields=["state", "due_on"], name="ticket_open_due"),
            models.Index(fields=["responsible", "state"], name="ticket_responsible"),
            models.Index(fields=["person"], name="ticket_person", condition=Q(person__isnull=False)),
            models.Index(fields=["employer"], name="ticket_employer", condition=Q(employer__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(name="ticket_assigned_has_responsible",
                                   condition=Q(state="registered") | Q(branch__isnull=False, responsible__isnull=False)),
            models.CheckConstraint(name="ticket_replied_has_reply",
                                   condition=Q(state__in=["registered", "assigned"]) | Q(replied_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超期"


class TicketReminder(models.Model):
    """An in-system reminder to the person responsible: once per ticket, deadline and kind (the unique
    constraint is what makes a second close of the same night, or a retry, remind nobody twice)."""

    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.PROTECT, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提醒对象", on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField("提醒类别", max_length=8, choices=ReminderKind.choices)
    due_on = models.DateField("所提醒的期限")
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    texted_to = models.CharField("短信号码", max_length=20, blank=True, help_text="责任人登记了手机号码的同时发短信")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单到期提醒"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "due_on", "kind"], name="ticket_reminder_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="ticket_reminder_unread")]

    def __str__(self) -> str:
        return f"{self.ticket.number} {self.get_kind_display()}"


TICKET_MOVES = MoveTable(Ticket, noun="工单", moves={
    TicketState.REGISTERED: {TicketState.ASSIGNED},
    TicketState.ASSIGNED: {TicketState.REPLIED},
    TicketState.REPLIED: {TicketState.CLOSED, TicketState.ASSIGNED},  # ASSIGNED: 不满意, handled again
})
