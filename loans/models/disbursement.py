"""A loan's disbursement (放款): the notice 委贷管理 issues, the release 财务 makes, the 轮候 queue, the payment.

Its own row (one per loan) rather than fields on Loan: the notice → release → queue → payment is a two-person
procedure with its own states and history (move table `loans.states.DISBURSEMENT_MOVES`), and the queue is read
by state and approval time; the Loan keeps Fineract's account lifecycle (待放款 → 还款中 …) that repayment reads.

    待财务放款 (noticed: the notice is printed) → 付款中 (paying: the payment is at the bank) → 已放款 (paid)
                                             ↘ 轮候 (queued: the fund's liquidity was short) ↗
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class DisbursementState(models.TextChoices):
    NOTICED = "noticed", "待财务放款"
    QUEUED = "queued", "轮候"
    PAYING = "paying", "付款中"
    PAID = "paid", "已放款"


class PayeeKind(models.TextChoices):
    SUPERVISION = "supervision", "楼盘预售资金监管账户"
    SELLER = "seller", "售房人账户"
    COMMERCIAL = "commercial", "原商业贷款还款账户"


class Disbursement(models.Model):
    number = models.CharField("放款通知书编号", max_length=20, unique=True)
    loan = models.OneToOneField("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="disbursement")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("放款金额", **MONEY)
    payee_kind = models.CharField("收款账户类型", max_length=12, choices=PayeeKind.choices)
    payee_account = models.CharField("收款账号", max_length=40)
    payee_name = models.CharField("收款人", max_length=120)
    payee_bank = models.CharField("收款开户行", max_length=120, blank=True)
    state = models.CharField("状态", max_length=10, choices=DisbursementState.choices, default=DisbursementState.NOTICED)
    approved_at = models.DateTimeField("审批时间", help_text="轮候按审批时间先后放款")
    noticed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="出具通知人", on_delete=models.PROTECT,
                                   related_name="+")
    noticed_at = models.DateTimeField("通知时间")
    notice = models.ForeignKey("printing.Document", verbose_name="放款通知书", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="放款审核人（财务）", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    released_at = models.DateTimeField("财务放款时间", null=True, blank=True)
    queued_at = models.DateTimeField("进入轮候时间", null=True, blank=True)
    paying_at = models.DateTimeField("付款指令时间", null=True, blank=True)
    paid_at = models.DateTimeField("到账时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "贷款放款"
        ordering = ["approved_at", "id"]
        indexes = [models.Index(fields=["state", "approved_at", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            # 四眼: the one who issued the notice never releases it.
            models.CheckConstraint(condition=Q(released_by__isnull=True) | ~Q(released_by=models.F("noticed_by")),
                                   name="disbursement_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"放款 {self.number}"

    @property
    def reference(self) -> str:
        """The first payment attempt's bank reference (the bank's idempotency key)."""
        return f"FK{self.number}"
