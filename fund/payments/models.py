"""A payment out of the fund to one payee's account, and its attempts at the bank.

A payment's life: 付款中 (pending: an attempt is at the bank or about to be) → 已付款 (paid). A gate (risk's
red-line screening, `fund.payments.gates`) may stop a first send: 暂停付款 (held) until released, then pending. A refusal puts it
in 待重试 (refused) with the time of its next attempt, or, after the last attempt the policy allows (or at once
for a purpose that never retries by itself), 转人工处理 (handed_off) until someone retries it.
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class PaymentState(models.TextChoices):
    PENDING = "pending", "付款中"
    PAID = "paid", "已付款"
    REFUSED = "refused", "付款失败待重试"
    HANDED_OFF = "handed_off", "转人工处理"
    HELD = "held", "暂停付款（稽核）"


class AttemptStatus(models.TextChoices):
    PENDING = "pending", "处理中"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败"


class Payment(models.Model):
    purpose = models.CharField("付款用途", max_length=40, help_text="业务登记的用途代码，如 withdrawals.payout")
    subject_type = models.ForeignKey(ContentType, verbose_name="业务类型", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("业务编号")
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField("业务", max_length=200)
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", help_text="空：全中心业务，仅全中心人员可见")
    payee_account = models.CharField("收款账号", max_length=40)
    payee_name = models.CharField("收款人", max_length=120)
    amount = models.DecimalField("金额", **MONEY)
    debit_account = models.CharField("借方科目", max_length=10, help_text="付款成功时借记的科目，如 221")
    credit_account = models.CharField("贷方科目", max_length=10, help_text="付款成功时贷记的科目，通常为 101")
    business_type = models.CharField("业务类型", max_length=4)
    ledger_reference = models.CharField("凭证业务参考", max_length=80)
    memo = models.CharField("付款摘要", max_length=200, help_text="告诉银行的用途，也是付款凭证的摘要")
    state = models.CharField("状态", max_length=12, choices=PaymentState.choices, default=PaymentState.PENDING)
    retry_after = models.DateTimeField("下次重试时间", null=True, blank=True)
    failure = models.CharField("最近失败原因", max_length=200, blank=True)
    paid_at = models.DateTimeField("付款时间", null=True, blank=True)
    handed_off_at = models.DateTimeField("转人工时间", null=True, blank=True)
    hold_reason = models.CharField("暂停原因", max_length=200, blank=True,
                                   help_text="付款闸口（如稽核底线红线）暂停付款的原因；解除后清空")
    created_at = models.DateTimeField("指令时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "付款"
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "retry_after"]), models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "purpose"], name="payment_one_per_subject"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} 付款"


class PaymentAttempt(models.Model):
    """One try at the bank. Its reference is the bank's idempotency key: sending it again returns the first
    answer and pays nothing more, so a task may run any number of times."""

    payment = models.ForeignKey(Payment, verbose_name="付款", on_delete=models.PROTECT, related_name="attempts")
    attempt = models.PositiveSmallIntegerField("第几次付款")
    reference = models.CharField("付款业务编号", max_length=40, unique=True)
    amount = models.DecimalField("金额", **MONEY)
    payee_account = models.CharField("收款账号", max_length=40)
    payee_name = models.CharField("收款人", max_length=120)
    status = models.CharField("状态", max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.PENDING)
    bank_serial = models.CharField("银行流水号", max_length=40, blank=True)
    reason = models.CharField("失败原因", max_length=200, blank=True)
    hold_entry = models.ForeignKey(
        "ledger.JournalEntry", verbose_name="备付凭证", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="业务为本次付款划出款项的凭证（如提取从个人账户转入提取待付款），失败时由业务冲回",
    )
    settle_entry = models.ForeignKey(
        "ledger.JournalEntry", verbose_name="付款/退回凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    requested_at = models.DateTimeField("指令时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送银行时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "付款尝试"
        ordering = ["payment", "attempt"]
        indexes = [models.Index(fields=["status", "requested_at"])]
        constraints = [
            models.UniqueConstraint(fields=["payment", "attempt"], name="payment_attempt_once"),
            models.UniqueConstraint(fields=["payment"], condition=Q(status="pending"), name="payment_one_pending_attempt"),
        ]

    def __str__(self) -> str:
        return self.reference
