"""The nightly bank debit (批量扣款): one batch per business date, one item per loan with something owed.

Each item's `reference` is the bank's idempotency key, so a batch sent again is the same batch at the bank,
and an item's result is applied once: the item moves sent → paid or failed by compare-and-set, and only the
rows that moved post. A failed item leaves its instalments owed; the next days' batches ask again, within the
policy's retry days.
"""

from typing import Any

from django.db import models

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class BatchState(models.TextChoices):
    BUILT = "built", "已生成"
    SENT = "sent", "已发送银行"
    APPLIED = "applied", "已入账"


class CollectionBatch(models.Model):
    business_date = models.DateField("业务日期", unique=True)
    reference = models.CharField("批次号", max_length=32, unique=True)
    state = models.CharField("状态", max_length=10, choices=BatchState.choices, default=BatchState.BUILT)
    items_count = models.PositiveIntegerField("笔数", default=0)
    amount = models.DecimalField("扣款总额", **MONEY, default=0)
    paid_count = models.PositiveIntegerField("成功笔数", default=0)
    paid_amount = models.DecimalField("成功金额", **MONEY, default=0)
    failed_count = models.PositiveIntegerField("失败笔数", default=0)
    call_id = models.BigIntegerField("银行调用记录", null=True, blank=True)
    entry = models.ForeignKey("ledger.JournalEntry", verbose_name="记账凭证", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    applied_at = models.DateTimeField("入账时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "批量扣款批次"
        ordering = ["-business_date"]

    def __str__(self) -> str:
        return f"批量扣款 {self.business_date}"


class ItemState(models.TextChoices):
    SENT = "sent", "扣款中"
    PAID = "paid", "扣款成功"
    FAILED = "failed", "扣款失败"


class CollectionItem(models.Model):
    # No single-column indexes on the two keys: the unique (batch, loan) and the (loan, batch) index below lead
    # with each, and the nightly close inserts and updates 20,000 items at once, paying for every index.
    batch = models.ForeignKey(CollectionBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="items",
                              db_index=False)
    loan = models.ForeignKey("loans.Loan", verbose_name="贷款", on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    # Unique by a constraint below rather than unique=True, which on PostgreSQL adds a second (pattern) index.
    reference = models.CharField("业务编号", max_length=40)
    account_number = models.CharField("扣款账号", max_length=40)
    name = models.CharField("户名", max_length=120)
    amount = models.DecimalField("扣款金额", **MONEY)
    state = models.CharField("状态", max_length=8, choices=ItemState.choices, default=ItemState.SENT)
    reason = models.CharField("失败原因", max_length=200, blank=True)
    bank_serial = models.CharField("银行流水号", max_length=40, blank=True)
    # No column pointing at the 还款明细: the repayment a paid item made is keyed by the item's reference
    # (`repayment_key`), unique, so the link is already there. A stored link made the answers' update change an
    # indexed column (no HOT update: every index of 20,000 items written again) and added a key check per item.

    class Meta:
        verbose_name = verbose_name_plural = "批量扣款明细"
        constraints = [models.UniqueConstraint(fields=["batch", "loan"], name="collection_item_once_per_batch"),
                       models.UniqueConstraint(fields=["reference"], name="collection_item_reference_unique")]
        indexes = [models.Index(fields=["loan", "batch"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"

    @property
    def repayment_key(self) -> str:
        """The idempotency key of the 还款明细 this item's money made, once the bank has answered it paid."""
        return repayment_key(self.reference)

    @property
    def repayment(self) -> Any:
        """The 还款明细 this item's money made; None while unanswered, failed, or credited to 暂收款."""
        from .repayment import Repayment

        return Repayment.objects.filter(idempotency_key=self.repayment_key).first()


def repayment_key(reference: str) -> str:
    """A batch debit item's 还款明细 key, from the item's reference (the bank's idempotency key)."""
    return f"loans.debit:{reference}"
