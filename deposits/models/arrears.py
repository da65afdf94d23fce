"""Arrears reminders (催缴): one SMS per unit per month, whatever the beat or a retry does."""

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
