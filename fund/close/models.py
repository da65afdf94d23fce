"""The nightly close's record: one run per business date, one row per registered step of it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models


class CloseRunState(models.TextChoices):
    RUNNING = "running", "执行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class CloseRun(models.Model):
    """The close of one business date. Created when the close of that date starts, and only for the date after
    the last one done (dates close in order); done is final, failed is run again from the failed step."""

    business_date = models.DateField("营业日", unique=True)
    state = models.CharField("状态", max_length=10, choices=CloseRunState.choices, default=CloseRunState.RUNNING)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        "最近进展时间", help_text="每个步骤开始和结束时更新；执行中而长时间未更新的，由定时任务重新排队（工作进程中断后自动续跑）",
    )
    error = models.TextField("错误", blank=True)
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+", help_text="空：定时任务")

    class Meta:
        verbose_name = verbose_name_plural = "日终处理"
        ordering = ["-business_date"]

    def __str__(self) -> str:
        return f"{self.business_date:%Y-%m-%d} 日终"

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None


class CloseStepState(models.TextChoices):
    PENDING = "pending", "待执行"
    RUNNING = "running", "执行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class CloseStepRun(models.Model):
    """One registered step of one date's close. A step that is done is never run again for that date; one that
    failed or was interrupted (left 执行中 by a lost worker) runs again when the close resumes."""

    run = models.ForeignKey(CloseRun, verbose_name="日终", on_delete=models.PROTECT, related_name="steps")
    name = models.CharField("步骤代码", max_length=80)
    label = models.CharField("步骤", max_length=80)
    position = models.PositiveSmallIntegerField("顺序")
    state = models.CharField("状态", max_length=10, choices=CloseStepState.choices, default=CloseStepState.PENDING)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    counts = models.JSONField("处理数量", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "日终步骤"
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="close_step_once_per_run")]

    def __str__(self) -> str:
        return f"{self.run} · {self.label}"

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at and self.started_at else None
