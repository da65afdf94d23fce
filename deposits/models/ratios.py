"""The history of a unit's deposit ratios (单位/个人缴存比例).

`UnitAccount` holds only the ratios in force now. Every amount for a past month (a 补缴 bill, a back-paid
month at the window) must use the ratios in force in THAT month, so each change of the unit's ratios leaves a
row here, written in the same transaction as the change: opening (开户), the start of a ratio reduction
(降比例) and its end (降比例到期), and any other change (变更). The ratios for a month are those of the latest
row effective on or before it (`deposits.selectors.unit_ratios_on`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from .accounts import RATIO, UnitAccount


class RatioSource(models.TextChoices):
    OPENING = "opening", "开户"
    REDUCTION = "reduction", "降比例"
    REDUCTION_END = "reduction_end", "降比例到期"
    CHANGE = "change", "变更"


class UnitRatioChange(models.Model):
    """The unit's ratios from `effective_month` (the 1st of the month) until the next row."""

    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="ratio_changes")
    effective_month = models.DateField("生效年月", help_text="存为该月1日")
    unit_ratio = models.DecimalField("单位缴存比例", **RATIO)
    member_ratio = models.DecimalField("个人缴存比例", **RATIO)
    source = models.CharField("来源", max_length=16, choices=RatioSource.choices)
    application = models.ForeignKey(
        "deposits.UnitApplication", verbose_name="降比例申请", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # A default rather than auto_now_add: rows rebuilt from history (the backfill) carry the time of the
    # change they stand for, which decides a tie with a base adjustment effective in the same month.
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="空为系统（到期自动处理）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位缴存比例变动"
        ordering = ["unit", "effective_month", "created_at", "id"]
        indexes = [models.Index(fields=["unit", "effective_month"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(effective_month__day=1), name="unit_ratio_change_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.effective_month:%Y-%m} {self.unit_ratio}/{self.member_ratio}"


def unit_ratio_history_backfill(*, unit_model: Any, change_model: Any, application_model: Any) -> int:
    """Give every unit that has no ratio history one, rebuilt from what is on record (the data migration
    `unit_ratio_history` calls this with its historical models; tests with the real ones). Idempotent.

    The opening row takes the unit's current ratios from its opening month, unless a ratio reduction has
    started: then the ratios before the earliest reduction, followed by a row for each reduction's start and,
    once it has ended, its end. Returns the number of units given a history."""
    from datetime import date, datetime, time

    from fund.dates import add_months, first_of_month

    def at(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    reductions: dict[int, list[Any]] = {}
    started = application_model.objects.filter(
        kind="ratio", state__in=["in_effect", "ended"], previous_unit_ratio__isnull=False,
        previous_member_ratio__isnull=False,
    ).order_by("start_month", "id")
    for application in started:
        reductions.setdefault(application.unit_id, []).append(application)
    rows = []
    count = 0
    for unit in unit_model.objects.filter(ratio_changes__isnull=True).order_by("pk").iterator():
        history = reductions.get(unit.pk, [])
        first = history[0] if history else None
        opening = (first.previous_unit_ratio, first.previous_member_ratio) if first else (unit.unit_ratio, unit.member_ratio)
        rows.append(change_model(
            unit_id=unit.pk, effective_month=first_of_month(unit.opened_on), unit_ratio=opening[0], member_ratio=opening[1],
            source="opening", created_at=at(unit.opened_on), actor_id=unit.opened_by_id,
        ))
        for application in history:
            rows.append(change_model(
                unit_id=unit.pk, effective_month=application.start_month, unit_ratio=application.unit_ratio,
                member_ratio=application.member_ratio, source="reduction", application_id=application.pk,
                created_at=application.effective_at or at(application.start_month), actor_id=None,
            ))
            if application.state == "ended":
                rows.append(change_model(
                    unit_id=unit.pk, effective_month=add_months(application.end_month, 1),
                    unit_ratio=application.previous_unit_ratio, member_ratio=application.previous_member_ratio,
                    source="reduction_end", application_id=application.pk,
                    created_at=application.ended_at or at(add_months(application.end_month, 1)), actor_id=None,
                ))
        count += 1
    change_model.objects.bulk_create(rows, batch_size=1000)
    return count
