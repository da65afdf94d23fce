"""Base adjustment (调基): per member, or a unit's yearly Excel upload applied all-or-nothing."""

from django.conf import settings
from django.db import models

from .accounts import MONEY, RATIO, MemberAccount, UnitAccount


class BatchState(models.TextChoices):
    REJECTED = "rejected", "校验未通过"
    APPLIED = "applied", "已生效"


class BaseAdjustmentBatch(models.Model):
    """One uploaded file. A file with any bad row is rejected whole, with a per-row report."""

    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="base_batches")
    year = models.PositiveIntegerField("调整年度")
    file = models.FileField("上传文件", upload_to="base-adjustments/%Y/")
    file_name = models.CharField("文件名", max_length=200)
    state = models.CharField("状态", max_length=10, choices=BatchState.choices)
    row_count = models.PositiveIntegerField("行数", default=0)
    errors = models.JSONField("错误报告", default=list, blank=True, help_text="[{row, field, message}]")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "基数调整批次"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.unit.number} {self.year} {self.file_name}"


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
