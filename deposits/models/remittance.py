"""Monthly remittance (汇缴) and back-pay (补缴): a unit's bill, confirmed by the unit, paid through the bank,
then split onto every member account and the ledger in one transaction."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q

from .accounts import MONEY, MemberAccount, UnitAccount

if TYPE_CHECKING:
    from fund.ledger.models import JournalEntry
    from fund.payments.models import Payment, PaymentAttempt

# The fund.payments purpose of a correction's refund to the unit.
REFUND_PURPOSE = "deposits.correction_refund"


class BillKind(models.TextChoices):
    REMIT = "01", "汇缴"
    BACKPAY = "02", "补缴"


class BillState(models.TextChoices):
    DRAFT = "draft", "待确认"
    CONFIRMED = "confirmed", "已确认待缴款"
    PAID = "paid", "已入账"
    CANCELLED = "cancelled", "已作废"


# The moves a bill's state may make: deposits.states.BILL_MOVES.


class PaymentChannel(models.TextChoices):
    COLLECTION = "collection", "委托收款"
    TRANSFER = "transfer", "转账汇入"
    COUNTER = "counter", "柜台缴款"


class RemittanceBill(models.Model):
    """汇缴书/补缴书: what a unit owes for one month, line by line, frozen when generated."""

    number = models.CharField("缴款单号", max_length=24, unique=True, help_text="银行转账时作为附言/参考号")
    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="bills")
    month = models.DateField("缴存年月", help_text="存为该月1日")
    kind = models.CharField("类型", max_length=2, choices=BillKind.choices, default=BillKind.REMIT)
    state = models.CharField("状态", max_length=10, choices=BillState.choices, default=BillState.DRAFT)
    reason = models.CharField("补缴原因", max_length=200, blank=True)
    member_count = models.PositiveIntegerField("人数", default=0)
    unit_amount = models.DecimalField("单位缴存额合计", **MONEY, default=0)
    member_amount = models.DecimalField("个人缴存额合计", **MONEY, default=0)
    total = models.DecimalField("应缴金额", **MONEY, default=0)
    channel = models.CharField("缴款方式", max_length=12, choices=PaymentChannel.choices, blank=True)
    bank_reference = models.CharField("银行流水号", max_length=64, null=True, blank=True, unique=True)
    entry = models.OneToOneField(
        "ledger.JournalEntry", verbose_name="入账凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    paid_at = models.DateTimeField("入账时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "汇补缴单"
        constraints = [
            # One live remittance bill per unit and month (back-pay bills may be several, one per reason).
            models.UniqueConstraint(
                fields=["unit", "month"], condition=Q(kind="01") & ~Q(state="cancelled"), name="one_live_remit_bill"
            ),
        ]
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.month:%Y-%m}"


class RemittanceBillLine(models.Model):
    bill = models.ForeignKey(RemittanceBill, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(MemberAccount, on_delete=models.PROTECT, related_name="bill_lines")
    month = models.DateField("缴存年月")
    base = models.DecimalField("缴存基数", **MONEY)
    unit_amount = models.DecimalField("单位缴存额", **MONEY)
    member_amount = models.DecimalField("个人缴存额", **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "汇补缴明细"
        constraints = [models.UniqueConstraint(fields=["bill", "account", "month"], name="one_line_per_member_month")]


class RefundState(models.TextChoices):
    AWAITING = "awaiting", "待退款"
    REFUNDED = "refunded", "已退款"


class RemittanceCorrection(models.Model):
    """错缴更正: one correction of a paid bill. The reversed deposits' money waits in 暂收款 (231, 应退单位款)
    until finance refunds it to the unit's bank account — once per correction, whatever is retried."""

    bill = models.ForeignKey(RemittanceBill, verbose_name="缴款单", on_delete=models.PROTECT, related_name="corrections")
    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="corrections")
    deposits = models.ManyToManyField("deposits.MonthlyDeposit", verbose_name="冲正的缴存", related_name="+")
    amount = models.DecimalField("应退金额", **MONEY)
    reason = models.CharField("更正原因", max_length=500)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField("更正时间", auto_now_add=True)
    # The refund to the unit is a fund.payments payment (purpose `deposits.correction_refund`); what the pages
    # show of it (state, failure, bank serial, entry, who and when) is read from the payment below.
    payments = GenericRelation("payments.Payment", content_type_field="subject_type", object_id_field="subject_id")

    class Meta:
        verbose_name = verbose_name_plural = "错缴更正退款"
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="correction_amount_positive")]

    def __str__(self) -> str:
        return f"{self.bill.number} 更正 {self.amount}"

    @property
    def refund_payment(self) -> "Payment | None":
        """The refund's payment, if one was made (from `payments` as prefetched, when it was)."""
        return next((p for p in self.payments.all() if p.purpose == REFUND_PURPOSE), None)

    def _refund_attempts(self) -> "list[PaymentAttempt]":
        payment = self.refund_payment
        return sorted(payment.attempts.all(), key=lambda a: a.attempt) if payment is not None else []

    def _refund_paid(self) -> "PaymentAttempt | None":
        return next((a for a in self._refund_attempts() if a.status == "succeeded"), None)

    @property
    def refund_state(self) -> str:
        payment = self.refund_payment
        return RefundState.REFUNDED if payment is not None and payment.state == "paid" else RefundState.AWAITING

    def get_refund_state_display(self) -> str:
        return RefundState(self.refund_state).label

    @property
    def refund_attempt(self) -> int:
        """How many refund attempts the bank refused."""
        return sum(1 for a in self._refund_attempts() if a.status == "failed")

    @property
    def refund_failure(self) -> str:
        """Why the refund is not done: the bank's reason for the last refusal, or that the bank is still at it."""
        payment = self.refund_payment
        if payment is None or payment.state == "paid":
            return ""
        if payment.state == "pending":
            return "银行处理中，请稍后刷新或重试" if any(a.sent_at for a in self._refund_attempts()
                                                     if a.status == "pending") else ""
        return payment.failure

    @property
    def refund_bank_serial(self) -> str:
        paid = self._refund_paid()
        return paid.bank_serial if paid is not None else ""

    @property
    def refund_entry(self) -> "JournalEntry | None":
        paid = self._refund_paid()
        return paid.settle_entry if paid is not None else None

    @property
    def refunded_by(self) -> Any:
        paid = self._refund_paid()
        return paid.actor if paid is not None else None

    @property
    def refunded_at(self) -> "datetime | None":
        payment = self.refund_payment
        return payment.paid_at if payment is not None else None

    @property
    def refund_reference(self) -> str:
        """The bank reference of the latest refund attempt (the first one's before any is made)."""
        attempts = self._refund_attempts()
        return attempts[-1].reference if attempts else refund_reference(self.pk)


def refund_reference(correction_id: int) -> str:
    """The bank reference of a correction's first refund attempt; later ones add R01, R02 … (fund.payments)."""
    return f"TK{correction_id:010d}"
