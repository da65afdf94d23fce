"""贴息 (Zhuzhou): each year the subsidised share of the interest an eligible borrower paid is refunded to the
borrower's card, once per loan and year (unique), paid through the payments core with its own entry."""

from typing import Any

from django.db import models

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class SubsidyState(models.TextChoices):
    PAYING = "paying", "支付中"
    PAID = "paid", "已支付"


class SubsidyRefund(models.Model):
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="subsidies")
    year = models.PositiveSmallIntegerField("贴息年度")
    interest_paid = models.DecimalField("年度已还利息", **MONEY)
    ratio = models.DecimalField("贴息比例", max_digits=5, decimal_places=4)
    amount = models.DecimalField("贴息金额", **MONEY)
    card = models.CharField("收款账号", max_length=40)
    state = models.CharField("状态", max_length=8, choices=SubsidyState.choices, default=SubsidyState.PAYING)
    payment = models.ForeignKey("payments.Payment", verbose_name="付款", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "贴息退付"
        ordering = ["-year", "loan"]
        constraints = [models.UniqueConstraint(fields=["loan", "year"], name="subsidy_once_per_loan_and_year")]

    def __str__(self) -> str:
        return f"{self.year} 年贴息 {self.amount}"
