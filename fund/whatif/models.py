"""A what-if run (政策调整模拟): the draft policy values, the replayers and the period it replays, its progress,
and one result row per application replayed. These are the only tables a run writes."""

from django.conf import settings
from django.db import models


class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "模拟中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class WhatIfRun(models.Model):
    number = models.CharField("模拟编号", max_length=24, unique=True)
    title = models.CharField("说明", max_length=100, blank=True)
    values = models.JSONField("模拟政策值", help_text="政策项 → 存储单位的值（百分比为小数）")
    replayers = models.JSONField("模拟的业务", help_text="重放器代码列表")
    period_start = models.DateField("重放起始日")
    period_end = models.DateField("重放截止日")
    source = models.ForeignKey(
        "policy.PolicyValue", verbose_name="来自待生效的政策调整", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    state = models.CharField("状态", max_length=8, choices=RunState.choices, default=RunState.QUEUED)
    stage = models.CharField("当前阶段", max_length=60, blank=True)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    total = models.PositiveIntegerField("待重放笔数", default=0)
    replayed = models.PositiveIntegerField("已重放笔数", default=0)
    error = models.CharField("错误", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策调整模拟"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                   name="whatif_run_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"政策调整模拟 {self.number}"

    @property
    def live(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)


class WhatIfResult(models.Model):
    """One application as decided and as the draft would decide it (see fund.whatif.registry.ReplayResult)."""

    run = models.ForeignKey(WhatIfRun, on_delete=models.CASCADE, related_name="results")
    replayer = models.CharField("业务", max_length=40)
    subject = models.CharField("申请", max_length=80)
    number = models.CharField("业务编号", max_length=40)
    applicant = models.CharField("申请人（脱敏）", max_length=80)
    month = models.DateField("审批月份")
    old_decision = models.CharField("原结果", max_length=10)
    old_amount = models.DecimalField("原金额", max_digits=18, decimal_places=2, null=True, blank=True)
    new_decision = models.CharField("模拟结果", max_length=10)
    new_amount = models.DecimalField("模拟金额", max_digits=18, decimal_places=2, null=True, blank=True)
    old_moved = models.DecimalField("原资金", max_digits=18, decimal_places=2)
    new_moved = models.DecimalField("模拟资金", max_digits=18, decimal_places=2)
    changed = models.BooleanField("结果变化", default=False)
    note = models.CharField("变化原因", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策调整模拟明细"
        ordering = ["id"]
        indexes = [models.Index(fields=["run", "changed"], name="whatif_result_changed")]
        constraints = [models.UniqueConstraint(fields=["run", "subject"], name="whatif_result_once_per_run")]

    def __str__(self) -> str:
        return f"{self.number}（{self.run.number}）"
