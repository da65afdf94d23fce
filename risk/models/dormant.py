"""Dormant accounts (呆滞账户, Zhuzhou): member accounts sealed (封存) for the policy's years with no movement,
worked through as a campaign (清理行动).

A campaign is started by a centre-wide officer on a date; it lists every account dormant on that date once,
with the unit it was sealed under (the last employer) and that unit's branch, which scopes who works it. Each
account's outcome moves through `DORMANT_OUTCOME_MOVES` (fund.workflow.moves): staff record 已联系 and 查无此人;
已提取 and 已转移 are detected by the nightly close from the account itself. A notice (SMS) goes once per
account and campaign, to the phone the person has when it is sent: `notified_at` is set in the transaction that
picks the row, so a second run finds it marked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fund.workflow.moves import MoveTable

MONEY = {"max_digits": 18, "decimal_places": 2}


class DormantCampaign(models.Model):
    name = models.CharField("行动名称", max_length=60)
    started_on = models.DateField("开始日期", help_text="按此日认定呆滞账户")
    ends_on = models.DateField("结束日期", help_text="此日（含）之前日终每晚识别已提取、已转移，并向新登记手机号码的职工发送通知")
    cutoff = models.DateField("认定基准日", help_text="封存且无资金变动早于（含）此日的账户为呆滞账户")
    years = models.PositiveSmallIntegerField("封存年限")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "呆滞账户清理行动"
        ordering = ["-started_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("started_on")),
                                              name="dormant_campaign_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class DormantOutcome(models.TextChoices):
    PENDING = "pending", "待联系"
    REACHED = "reached", "已联系"
    NOT_FOUND = "not_found", "查无此人"
    WITHDRAWN = "withdrawn", "已提取"
    TRANSFERRED = "transferred", "已转移"


# Outcomes staff record by hand; the other two are read from the account by the nightly close.
MANUAL_OUTCOMES = (DormantOutcome.REACHED, DormantOutcome.NOT_FOUND)
# The account has left the dormant pool: its money was withdrawn or it moved on (transfer, merge, unsealing).
SETTLED_OUTCOMES = (DormantOutcome.WITHDRAWN, DormantOutcome.TRANSFERRED)


class DormantAccount(models.Model):
    """One account listed by one campaign, with what was known of it on the campaign's date."""

    campaign = models.ForeignKey(DormantCampaign, verbose_name="清理行动", on_delete=models.PROTECT,
                                 related_name="accounts")
    account = models.ForeignKey("deposits.MemberAccount", verbose_name="个人账户", on_delete=models.PROTECT,
                                related_name="+")
    unit = models.ForeignKey("deposits.UnitAccount", verbose_name="最后所在单位", on_delete=models.PROTECT,
                             related_name="+")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    balance = models.DecimalField("认定时余额", **MONEY)
    sealed_on = models.DateField("封存日期", null=True, blank=True, help_text="无封存记录的（历史迁移数据）为空")
    last_movement_on = models.DateField("最后资金变动日期", null=True, blank=True, help_text="不含年度结息")
    outcome = models.CharField("清理结果", max_length=12, choices=DormantOutcome.choices,
                               default=DormantOutcome.PENDING)
    outcome_on = models.DateField("结果日期", null=True, blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+", help_text="空为日终自动识别")
    outcome_note = models.CharField("联系情况", max_length=200, blank=True)
    notified_at = models.DateTimeField("短信通知时间", null=True, blank=True)
    notified_phone = models.CharField("通知号码", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "呆滞账户"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="dormant_account_once_per_campaign"),
            models.CheckConstraint(condition=Q(notified_at__isnull=True) | ~Q(notified_phone=""),
                                   name="dormant_notice_has_phone"),
        ]
        indexes = [models.Index(fields=["campaign", "branch", "unit"]), models.Index(fields=["account"])]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.account_id}"


DORMANT_OUTCOME_MOVES = MoveTable(DormantAccount, noun="呆滞账户", field="outcome", moves={
    DormantOutcome.PENDING: {DormantOutcome.REACHED, DormantOutcome.NOT_FOUND, *SETTLED_OUTCOMES},
    DormantOutcome.REACHED: {DormantOutcome.NOT_FOUND, *SETTLED_OUTCOMES},  # NOT_FOUND: a wrong record corrected
    DormantOutcome.NOT_FOUND: {DormantOutcome.REACHED, *SETTLED_OUTCOMES},
})
