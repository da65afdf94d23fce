"""Base adjustment (调基): per member, or a unit's yearly Excel upload applied all-or-nothing."""

from django.conf import settings
from django.db import models

from .accounts import MONEY, RATIO, MemberAccount, UnitAccount


class BatchState(models.TextChoices):
    QUEUED = "queued", "排队中"
    CHECKING = "checking", "校验中"
    REJECTED = "rejected", "校验未通过"
    APPLIED = "applied", "已生效"
    FAILED = "failed", "处理失败"


# The moves a batch's state may make: deposits.states.BATCH_MOVES.
BATCH_LIVE_STATES = (BatchState.QUEUED, BatchState.CHECKING)


class BaseAdjustmentBatch(models.Model):
    """One uploaded file, checked by a worker. A file with any bad row is rejected whole, with a per-row
    report built once when the check finishes and kept in `report`."""

    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="base_batches")
    year = models.PositiveIntegerField("调整年度")
    effective_month = models.DateField("生效年月", null=True, blank=True)
    file = models.FileField("上传文件", upload_to="base-adjustments/%Y/", blank=True)
    file_name = models.CharField("文件名", max_length=200)
    state = models.CharField("状态", max_length=10, choices=BatchState.choices)
    row_count = models.PositiveIntegerField("行数", default=0)
    rows_total = models.PositiveIntegerField("工作表行数", default=0, help_text="上传时清点，含表头和空行")
    rows_read = models.PositiveIntegerField("已读行数", default=0)
    errors = models.JSONField("错误报告", default=list, blank=True, help_text="[{row, field, message}]")
    report = models.FileField("错误说明文件", upload_to="base-adjustments/reports/%Y/", blank=True)
    attempts = models.PositiveSmallIntegerField("处理次数", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    progress_at = models.DateTimeField("最近进度", null=True, blank=True, help_text="久无进度的批次由定时任务重新排队")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "基数调整批次"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.unit.number} {self.year} {self.file_name}"

    @property
    def live(self) -> bool:
        return self.state in BATCH_LIVE_STATES

    @property
    def percent(self) -> int:
        if not self.live:
            return 100
        return min(99, self.rows_read * 100 // self.rows_total) if self.rows_total else 0


class BaseAdjustment(models.Model):
    """One member's base (and the monthly amounts it implies) from a month on."""

    account = models.ForeignKey(MemberAccount, on_delete=models.PROTECT, related_name="base_adjustments")
    batch = models.ForeignKey(
        BaseAdjustmentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="adjustments"
    )
    effective_month = models.DateField("生效年月")
    old_base = models.DecimalField("原缴存基数", **MONEY)
    new_base = models.DecimalField("新缴存基数", **MONEY)
    unit_ratio = models.DecimalField("单位缴存比例", **RATIO)
    member_ratio = models.DecimalField("个人缴存比例", **RATIO)
    unit_monthly = models.DecimalField("单位月缴存额", **MONEY)
    member_monthly = models.DecimalField("个人月缴存额", **MONEY)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "基数调整"
        ordering = ["-id"]
