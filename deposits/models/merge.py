"""合并销户: one person's duplicate account (the source) merged into the account they keep (the target).

The record is the merge's receipt and its idempotency anchor: a source is merged at most once (one row
per source), so a replayed request finds the row and posts nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .accounts import MONEY, MemberAccount, MemberState


class AccountMerge(models.Model):
    source = models.OneToOneField(
        MemberAccount, verbose_name="并出账户（合并销户）", on_delete=models.PROTECT, related_name="merged_into"
    )
    target = models.ForeignKey(
        MemberAccount, verbose_name="并入账户", on_delete=models.PROTECT, related_name="merges_in"
    )
    source_state = models.CharField("并出账户原状态", max_length=2, choices=MemberState.choices)
    principal = models.DecimalField("并出余额（结息前）", **MONEY)
    interest = models.DecimalField("结息", **MONEY)
    amount = models.DecimalField("转入金额", **MONEY)
    current_year = models.DecimalField("转入当年归集", **MONEY)
    prior_year = models.DecimalField("转入上年结转", **MONEY)
    interest_entry = models.OneToOneField(
        "ledger.JournalEntry", verbose_name="结息凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.OneToOneField(
        "ledger.JournalEntry", verbose_name="转移凭证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    merged_on = models.DateField("办理日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("办理时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "合并销户"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="merge_source_is_not_target"),
            models.CheckConstraint(condition=Q(amount=F("current_year") + F("prior_year")), name="merge_amount_is_split"),
        ]

    def __str__(self) -> str:
        return f"合并销户 {self.source_id} → {self.target_id}"
