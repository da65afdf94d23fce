"""The loan account (贷款账户): what a signed contract lends, and what the borrower owes.

Created at signing (合同面签), 待放款 (pending) until the money leaves for the seller, then 还款中 (active), and
已结清 (closed) or 已核销 (written_off) at the end, after Fineract's lifecycle (submitted and approved are the
application's states). The principal outstanding is the balance of the loan's sub-account under 委托贷款
(ledger 111), so Σ loan balances = loans receivable is what `reconcile` proves. Repayment, prepayment and the
nightly close plug in on `repayment_day`, `rate`, `method` and the sub-account.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fund.integrations.models import MortgageKind

from .applications import RepaymentMethod

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class LoanStatus(models.TextChoices):
    PENDING = "pending", "已签约待放款"
    ACTIVE = "active", "还款中"
    CLOSED = "closed", "已结清"
    WRITTEN_OFF = "written_off", "已核销"


class IouDelivery(models.TextChoices):
    """借据交付方式."""

    PICKUP = "pickup", "本人领取"
    AGENT = "agent", "开发企业代领"
    POST = "post", "邮寄"


class Loan(models.Model):
    contract_number = models.CharField("借款合同编号", max_length=24, unique=True)
    application = models.OneToOneField("loans.LoanApplication", verbose_name="贷款申请", on_delete=models.PROTECT,
                                       related_name="loan")
    borrower = models.ForeignKey("people.Person", verbose_name="借款人", on_delete=models.PROTECT, related_name="loans")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    sub_account = models.OneToOneField("ledger.SubAccount", verbose_name="贷款分户", on_delete=models.PROTECT,
                                       related_name="loan", help_text="委托贷款（111）下的分户，余额即本金余额")
    bank = models.ForeignKey("people.EntrustedBank", verbose_name="受托银行", on_delete=models.PROTECT, related_name="loans")
    principal = models.DecimalField("贷款金额", **MONEY)
    rate = models.DecimalField("年利率（%）", max_digits=6, decimal_places=3)
    term_months = models.PositiveSmallIntegerField("贷款期限（月）")
    method = models.CharField("还款方式", max_length=10, choices=RepaymentMethod.choices)
    repayment_day = models.PositiveSmallIntegerField("每月还款日")
    status = models.CharField("状态", max_length=12, choices=LoanStatus.choices, default=LoanStatus.PENDING)
    subsidy = models.BooleanField("贴息贷款", default=False)
    # 合同面签
    signed_at = models.DateTimeField("签约时间")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="面签经办人", on_delete=models.PROTECT,
                                  related_name="+")
    signed_branch = models.ForeignKey("people.Branch", verbose_name="面签窗口", on_delete=models.PROTECT,
                                      related_name="+")
    iou_number = models.CharField("借据号", max_length=24, unique=True)
    # 抵押/预抵押
    mortgage_kind = models.CharField("抵押类型", max_length=10, choices=MortgageKind.choices, blank=True)
    mortgage_number = models.CharField("不动产登记证明号", max_length=60, blank=True)
    mortgage_registered_at = models.DateTimeField("抵押登记时间", null=True, blank=True)
    # 放款
    disbursed_on = models.DateField("放款日期", null=True, blank=True)
    first_due_on = models.DateField("首次还款日", null=True, blank=True)
    maturity_on = models.DateField("到期日", null=True, blank=True)
    iou_delivery = models.CharField("借据交付方式", max_length=8, choices=IouDelivery.choices, blank=True)
    iou_delivered_at = models.DateTimeField("借据交付时间", null=True, blank=True)
    iou_delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="借据交付经办人", on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+")
    iou_recipient = models.CharField("借据领取人/收件人", max_length=60, blank=True)
    iou_tracking = models.CharField("邮寄单号", max_length=40, blank=True)
    closed_on = models.DateField("结清日期", null=True, blank=True)
    # 还款: the card the bank debits (委托扣款协议, signed with the contract), the schedule in force, and the
    # counters the nightly close keeps (the risk line reads them).
    repayment_card = models.CharField("还款账号", max_length=40, blank=True, help_text="借款人本人银行卡，委托扣款")
    segment = models.ForeignKey("loans.ScheduleSegment", verbose_name="现行还款计划", on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    overdue_since = models.DateField("最早逾期应还日", null=True, blank=True)
    periods_overdue = models.PositiveSmallIntegerField("当前逾期期数", default=0)
    days_overdue = models.PositiveIntegerField("逾期天数", default=0)
    periods_overdue_total = models.PositiveSmallIntegerField("累计逾期期数", default=0)
    release_requested_at = models.DateTimeField("申请注销抵押时间", null=True, blank=True)
    release_number = models.CharField("注销抵押登记号", max_length=60, blank=True)
    release_call_id = models.BigIntegerField("注销抵押调用记录", null=True, blank=True)
    # Not a column: loan_sign marks the loan it hands back when the application was already signed.
    replayed = False

    class Meta:
        verbose_name = verbose_name_plural = "贷款账户"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "branch"]),
                   models.Index(fields=["overdue_since"], condition=Q(overdue_since__isnull=False),
                                name="loan_overdue")]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_principal_positive"),
            models.CheckConstraint(condition=Q(repayment_day__gte=1, repayment_day__lte=28),
                                   name="loan_repayment_day_in_month"),
        ]

    def __str__(self) -> str:
        return f"贷款 {self.contract_number}"

    def get_staff_url(self) -> str:
        return reverse("staff:loan", args=[self.pk])

    @property
    def balance(self) -> Decimal:
        return self.sub_account.balance
