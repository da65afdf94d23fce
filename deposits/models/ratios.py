"""The history of a unit's deposit ratios (单位/个人缴存比例).

`UnitAccount` holds only the ratios in force now. Every amount for a past month (a 补缴 bill, a back-paid
month at the window) must use the ratios in force in THAT month, so each change of the unit's ratios leaves a
row here, written in the same transaction as the change: opening (开户), the start of a ratio reduction
(降比例) and its end (降比例到期), and any other change (变更). The ratios for a month are those of the latest
row effective on or before it (`deposits.selectors.unit_ratios_on`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .accounts import RATIO, UnitAccount


class RatioSource(models.TextChoices):
    OPENING = "opening", "开户"
    REDUCTION = "reduction", "降比例"
    REDUCTION_END = "reduction_end", "降比例到期"
    CHANGE = "change", "变更"


class UnitRatioChange(models.Model):
    """The unit's ratios from `effective_month` (the 1st of the month) until the next row."""

    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="ratio_changes")
    effective_month = models.DateField("生效年月", help_text="存为该月1日")
    unit_ratio = models.DecimalField("单位缴存比例", **RATIO)
    member_ratio = models.DecimalField("个人缴存比例", **RATIO)
    source = models.CharField("来源", max_length=16, choices=RatioSource.choices)
    application = models.ForeignKey(
        "deposits.UnitApplication", verbose_name="降比例申请", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # A default rather than auto_now_add: rows rebuilt from history (when the history arrived) carry the time
    # of the change they stand for, which decides a tie with a base adjustment effective in the same month.
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="空为系统（到期自动处理）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位缴存比例变动"
        ordering = ["unit", "effective_month", "created_at", "id"]
        indexes = [models.Index(fields=["unit", "effective_month"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(effective_month__day=1), name="unit_ratio_change_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.effective_month:%Y-%m} {self.unit_ratio}/{self.member_ratio}"
