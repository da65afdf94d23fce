"""Electronic audit (电子稽核): rules over the registered checks, the hits they find, and which subjects were
screened.

- `ScreeningRule` is data: one default rule per registered check (`rules_sync`), and any a centre adds over a
  registered check with its own params and level; in force while enabled and on/after `effective_from` (and
  before `effective_until`, when set).
- `ScreeningHit` is one finding of one rule on one subject, unique per rule + subject + finding key, so screening
  again (on commit, at night, at the payment gate) never makes a second row. Its state moves by HIT_MOVES
  (risk/services/screening.py): 待处理 → 已确认 / 已排除 / 整改中 → 已整改.
- `ScreeningRecord` says a subject was screened and when: the payment gate screens a withdrawal or a loan whose
  last screening is older than its payment before it lets the money go.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from risk.screening.registry import Category, Level


class ScreeningRule(models.Model):
    code = models.CharField("规则编号", max_length=60, unique=True)
    check_code = models.CharField("检查项", max_length=60, help_text="已登记的检查项代码，如 audit.withdrawal_four_eyes")
    label = models.CharField("规则名称", max_length=80)
    category = models.CharField("类别", max_length=8, choices=Category.choices)
    level = models.CharField("风险等级", max_length=1, choices=Level.choices)
    params = models.JSONField("参数", default=dict, blank=True, help_text="覆盖检查项默认参数，如 {\"amount\": \"50000\"}")
    enabled = models.BooleanField("启用", default=True)
    effective_from = models.DateField("生效日期")
    effective_until = models.DateField("停用日期", null=True, blank=True, help_text="自该日起不再生效；空：长期")
    description = models.TextField("规则说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("设置时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "稽核规则"
        ordering = ["category", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(effective_until__isnull=True) | Q(effective_until__gt=models.F("effective_from")),
                                   name="screeningrule_until_after_from"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def in_force(self, on: date) -> bool:
        return self.enabled and self.effective_from <= on and (self.effective_until is None or on < self.effective_until)


class HitState(models.TextChoices):
    OPEN = "open", "待处理"
    CONFIRMED = "confirmed", "已确认违规"
    DISMISSED = "dismissed", "已排除"
    RECTIFYING = "rectifying", "整改中"
    RECTIFIED = "rectified", "已整改"


# A hit in these states still stands: a red-line one holds its business's payment.
HIT_STANDING = (HitState.OPEN, HitState.CONFIRMED, HitState.RECTIFYING)


class FoundBy(models.TextChoices):
    COMMIT = "commit", "实时稽核"
    NIGHTLY = "nightly", "日终稽核"
    GATE = "gate", "付款前稽核"


class ScreeningHit(models.Model):
    rule = models.ForeignKey(ScreeningRule, verbose_name="规则", on_delete=models.PROTECT, related_name="hits")
    subject_type = models.ForeignKey(ContentType, verbose_name="业务类型", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("业务编号")
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField("业务", max_length=200)
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", help_text="空：全中心业务，仅全中心人员可见")
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    category = models.CharField("类别", max_length=8, choices=Category.choices)
    level = models.CharField("风险等级", max_length=1, choices=Level.choices)
    summary = models.CharField("问题摘要", max_length=300)
    evidence = models.JSONField("证据", default=dict, blank=True)
    key = models.CharField("发现标识", max_length=120, blank=True)
    found_by = models.CharField("发现方式", max_length=8, choices=FoundBy.choices)
    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    state = models.CharField("状态", max_length=12, choices=HitState.choices, default=HitState.OPEN)
    opinion = models.CharField("稽核意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="稽核人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("稽核时间", null=True, blank=True)
    rectify_request = models.CharField("整改要求", max_length=500, blank=True)
    rectify_due = models.DateField("整改期限", null=True, blank=True)
    rectify_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="下发人", on_delete=models.PROTECT,
                                             null=True, blank=True, related_name="+")
    rectification = models.CharField("整改情况", max_length=500, blank=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="整改登记人", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    rectified_at = models.DateTimeField("整改时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "稽核疑点"
        ordering = ["-level", "found_at", "id"]
        indexes = [
            models.Index(fields=["state", "level", "found_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject_type", "subject_id", "key"], name="screeninghit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label}：{self.summary}"[:200]

    def get_staff_url(self) -> str:
        return reverse("staff:risk-audit-hit", args=[self.pk])


class ScreeningRecord(models.Model):
    """The last time a subject was screened (one row per subject)."""

    subject_type = models.ForeignKey(ContentType, verbose_name="业务类型", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("业务编号")
    screened_at = models.DateTimeField("稽核时间")

    class Meta:
        verbose_name = verbose_name_plural = "业务稽核记录"
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"], name="screeningrecord_once")]

    def __str__(self) -> str:
        return f"{self.subject_type_id}:{self.subject_id} {self.screened_at:%Y-%m-%d %H:%M}"
