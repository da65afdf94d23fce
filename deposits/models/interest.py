"""Annual interest settlement (年终结息), run as a resumable batch with progress that staff can watch."""

from django.conf import settings
from django.db import models

from .accounts import MONEY


class InterestRunState(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "结息中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class InterestRun(models.Model):
    """One settlement year: 1 July of `year - 1` to 30 June of `year`. Running it twice posts nothing new."""

    year = models.PositiveIntegerField("结息年度", unique=True, help_text="截至该年6月30日的年度")
    period_start = models.DateField("计息起日")
    period_end = models.DateField("计息止日")
    state = models.CharField("状态", max_length=10, choices=InterestRunState.choices, default=InterestRunState.PENDING)
    total_accounts = models.PositiveIntegerField("账户数", default=0)
    processed_accounts = models.PositiveIntegerField("已处理账户数", default=0)
    last_sub_account_id = models.BigIntegerField("已处理至分户ID", default=0, help_text="断点续跑的位置")
    total_interest = models.DecimalField("利息合计", **MONEY, default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    heartbeat_at = models.DateTimeField(
        "最近进展时间", null=True, blank=True,
        help_text="每处理完一批账户即更新；排队或结息中而长时间未更新的，由定时任务重新排队（工作进程中断后自动续跑）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "年度结息"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度结息"

    @property
    def percent(self) -> int:
        return 100 if not self.total_accounts else int(100 * self.processed_accounts / self.total_accounts)
