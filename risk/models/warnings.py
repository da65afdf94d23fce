"""Warnings before and around the overdue (风险预警), kept by the close's step risk.warnings.

`CreditNotice` (征信不良信息告知): the notice a borrower gets before bad information about the loan goes to the
credit bureau, once per loan and overdue episode. An episode runs from the night the loan first shows overdue
instalments to the night it has none; `cleared_on` closes it, and the partial unique key allows one open notice
per loan, so the step can insert without looking twice.

`StoppedDeposit` (贷后停缴): a borrower of a live loan whose account had no deposit for the policy's months, found
by the monthly scan (`month` = the first day of the month the scan ran in), with the unit that stopped
remitting (or the voluntary depositor's own 灵活就业 account). One row per loan and month.
"""

from typing import Any

from django.db import models
from django.db.models import Q

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class CreditNotice(models.Model):
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="+")
    borrower = models.ForeignKey("people.Person", verbose_name="借款人", on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    episode_since = models.DateField("本次逾期起始应还日")
    noticed_on = models.DateField("告知日期")
    days_overdue = models.PositiveIntegerField("告知时逾期天数")
    periods_overdue = models.PositiveSmallIntegerField("告知时逾期期数")
    phone = models.CharField("告知手机号", max_length=30, blank=True, help_text="空：借款人无手机号，未发短信")
    text = models.TextField("告知内容")
    cleared_on = models.DateField("逾期结清日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "征信不良信息告知"
        ordering = ["-noticed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["loan"], condition=Q(cleared_on__isnull=True),
                                               name="risk_one_open_credit_notice")]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.noticed_on}"


class StopKind(models.TextChoices):
    UNIT = "unit", "单位停缴"
    SELF_EMPLOYED = "self_employed", "灵活就业停缴"


class StoppedDeposit(models.Model):
    month = models.DateField("排查月份", help_text="存为该月1日")
    found_on = models.DateField("发现日期")
    kind = models.CharField("类型", max_length=16, choices=StopKind.choices)
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="+")
    borrower = models.ForeignKey("people.Person", verbose_name="借款人", on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("deposits.MemberAccount", verbose_name="个人账户", on_delete=models.PROTECT,
                                related_name="+")
    employer = models.ForeignKey("people.Employer", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    last_month = models.DateField("最后缴存年月", null=True, blank=True)
    loan_balance = models.DecimalField("贷款余额", **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "贷后停缴"
        ordering = ["-month", "employer_id", "id"]
        constraints = [models.UniqueConstraint(fields=["loan", "month"], name="risk_one_stop_per_loan_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.loan_id}"


class StopScan(models.Model):
    """One row per month the 贷后停缴 scan ran: the first close of the month runs it, later ones find the row."""

    month = models.DateField("排查月份", unique=True)
    business_date = models.DateField("业务日期")
    found = models.PositiveIntegerField("发现笔数")

    class Meta:
        verbose_name = verbose_name_plural = "贷后停缴排查"
        ordering = ["-month"]
