"""Arrears reminders (催缴): one SMS per unit per month, whatever the beat or a retry does."""

from django.conf import settings
from django.db import models

from .accounts import MONEY, UnitAccount


class ReminderState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class ArrearsReminder(models.Model):
    """The reminder of `month` (the month it goes out in, stored as its 1st) for one unit.

    The row is claimed (pending/failed → sending, compare-and-set) before the gateway is called, so two
    workers never both text a unit; a sent row is never sent again. A claim older than the task's time
    limit is taken to be a dead worker's and may be claimed again.
    """

    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="arrears_reminders")
    month = models.DateField("催缴年月", help_text="存为该月1日")
    state = models.CharField("状态", max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING)
    months_owed = models.PositiveIntegerField("欠缴月数", default=0)
    members_affected = models.PositiveIntegerField("涉及人数", default=0)
    amount_owed = models.DecimalField("估算欠缴金额", **MONEY, default=0)
    phone = models.CharField("接收号码", max_length=20, blank=True)
    message_id = models.CharField("短信编号", max_length=64, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "催缴提醒"
        ordering = ["-month", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_arrears_reminder_per_unit_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.get_state_display()}"


class OpeningNoticeChannel(models.TextChoices):
    PHONE = "phone", "电话通知"
    LETTER = "letter", "书面催建函"
    VISIT = "visit", "上门督导"
    OTHER = "other", "其他"


class OpeningNotice(models.Model):
    """催建: staff told an employer that pays social insurance here, but has no unit account, to open one.

    The employer is named by its credit code as the social insurance bureau knows it (it has no row in this
    system yet); the insured head count is the one shown when the notice was recorded."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    employer_name = models.CharField("单位名称", max_length=120)
    insured_count = models.PositiveIntegerField("参保人数")
    channel = models.CharField("通知方式", max_length=10, choices=OpeningNoticeChannel.choices)
    contact = models.CharField("联系人/电话", max_length=60, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField("通知时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "催建通知"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.employer_name} {self.get_channel_display()}"
