"""The five-tier classification of loans (五级分类) and the daily overdue rate series (个贷逾期率), both kept by the
nightly close (risk.services.rates).

A loan's current tier lives in `LoanTier`, written only for loans that were ever classified other than 正常: a loan
without a row is 正常, so the close touches the few overdue loans, not the whole book. Each change of tier adds
a `TierChange` row (the history), never rewritten.

`OverdueRate` is one row per business date and scope (the centre, each branch, each entrusted bank), recomputed
in place if the close of that date runs again, so the series has one figure per day.
"""

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class Tier(models.TextChoices):
    NORMAL = "normal", "正常"
    ATTENTION = "attention", "关注"
    SUBSTANDARD = "substandard", "次级"
    DOUBTFUL = "doubtful", "可疑"
    LOSS = "loss", "损失"


# The tiers from best to worst; the three last are 不良贷款 (non-performing).
TIER_ORDER = [Tier.NORMAL, Tier.ATTENTION, Tier.SUBSTANDARD, Tier.DOUBTFUL, Tier.LOSS]


class LoanTier(models.Model):
    loan = models.OneToOneField("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, primary_key=True,
                                related_name="risk_tier")
    tier = models.CharField("五级分类", max_length=12, choices=Tier.choices)
    since = models.DateField("分类起始日")
    days_overdue = models.PositiveIntegerField("分类时逾期天数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "贷款五级分类"
        indexes = [models.Index(fields=["tier"], condition=~Q(tier="normal"), name="risk_tier_not_normal")]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.get_tier_display()}"


class TierChange(models.Model):
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("业务日期")
    old_tier = models.CharField("原分类", max_length=12, choices=Tier.choices)
    new_tier = models.CharField("新分类", max_length=12, choices=Tier.choices)
    days_overdue = models.PositiveIntegerField("逾期天数")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "五级分类变动"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["loan", "on"])]
        constraints = [models.UniqueConstraint(fields=["loan", "on"], name="risk_one_tier_change_per_day")]


class Scope(models.TextChoices):
    CENTRE = "centre", "全中心"
    BRANCH = "branch", "管理部"
    BANK = "bank", "受托银行"


class OverdueRate(models.Model):
    on = models.DateField("业务日期")
    scope = models.CharField("口径", max_length=8, choices=Scope.choices)
    # 0 for the centre; a branch's or a bank's id otherwise (the series outlives no branch: branches are never
    # deleted, and a number keeps the three scopes in one unique key).
    scope_id = models.BigIntegerField("管理部/银行", default=0)
    loans = models.PositiveIntegerField("贷款笔数")
    loan_balance = models.DecimalField("贷款余额", **MONEY)
    overdue_loans = models.PositiveIntegerField("逾期贷款笔数")
    overdue_balance = models.DecimalField("逾期贷款余额", **MONEY, help_text="有逾期期次的贷款的全部本金余额")
    overdue_principal = models.DecimalField("逾期本金", **MONEY, help_text="逾期期次未还的本金")
    borrowers = models.PositiveIntegerField("逾期借款人数")
    rate = models.DecimalField("个贷逾期率", max_digits=12, decimal_places=10, help_text="小数：0.0003 即 0.03%")

    class Meta:
        verbose_name = verbose_name_plural = "个贷逾期率"
        ordering = ["-on", "scope", "scope_id"]
        constraints = [models.UniqueConstraint(fields=["on", "scope", "scope_id"], name="risk_one_rate_per_day")]

    def __str__(self) -> str:
        return f"{self.on} {self.scope}:{self.scope_id} {self.rate * 100:.4f}%"

    @property
    def percent(self) -> Decimal:
        return self.rate * 100
