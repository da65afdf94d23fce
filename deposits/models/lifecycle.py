"""The lives of unit and member accounts after opening: business records (封存, 启封, 内部转移, 冻结, 解冻,
缓缴处理, 变更) and a unit's applications for deferral (缓缴) or a lower ratio (降比例).

Money does not move in any of these; the ledger is untouched. Each move is a compare-and-set on the
account's state plus one `AccountEvent` (the account's business record) and one audit row.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .accounts import RATIO, MemberAccount, UnitAccount


class AccountBusiness(models.TextChoices):
    """The business record's type, in the standard's 归集和提取业务类型 (GJHTQYWLX) codes, prefixed GJ as in
    the ledger's BusinessType. These moves post no journal entry, so the ledger's list does not carry them."""

    UNSEAL = "GJ04", "启封"
    SEAL = "GJ05", "封存"
    TRANSFER_INTERNAL = "GJ06", "内部转移"
    CLOSING_WITHDRAWAL = "GJ12", "销户提取"
    DEFERRAL = "GJ13", "缓缴处理"
    FREEZE = "GJ14", "冻结"
    UNFREEZE = "GJ15", "解冻"
    OTHER = "GJ99", "其他"  # changes of contact, bank, pay day, ratio; unit sealing and closing


class AccountEvent(models.Model):
    """One business record of a unit account, or of a member account under it."""

    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="events")
    account = models.ForeignKey(
        MemberAccount, verbose_name="个人账户", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    business_type = models.CharField("业务类型", max_length=4, choices=AccountBusiness.choices)
    summary = models.CharField("摘要", max_length=60)
    old_state = models.CharField("原状态", max_length=2, blank=True)
    new_state = models.CharField("新状态", max_length=2, blank=True)
    from_unit = models.ForeignKey(
        UnitAccount, verbose_name="转出单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    detail = models.JSONField("变更内容", default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="空为系统（到期自动处理）",
    )
    at = models.DateTimeField("办理时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "账户业务记录"
        indexes = [models.Index(fields=["account", "-id"]), models.Index(fields=["unit", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_business_type_display()} {self.at:%Y-%m-%d}"

    def _state_label(self, code: str) -> str:
        from .accounts import MemberState, UnitState

        states = MemberState if self.account_id else UnitState
        return dict(states.choices).get(code, code)

    @property
    def old_state_label(self) -> str:
        return self._state_label(self.old_state)

    @property
    def new_state_label(self) -> str:
        return self._state_label(self.new_state)


class ApplicationKind(models.TextChoices):
    DEFERRAL = "deferral", "缓缴"
    RATIO_REDUCTION = "ratio", "降低缴存比例"


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "待初审"
    REVIEWED = "reviewed", "待审批"
    APPROVED = "approved", "已批准待生效"
    IN_EFFECT = "in_effect", "执行中"
    ENDED = "ended", "已到期"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_APPLICATION_STATES = ("submitted", "reviewed", "approved", "in_effect")


class BackPayState(models.TextChoices):
    NONE = "", "无"
    OWED = "owed", "待补缴"
    SETTLED = "settled", "已补缴"


class UnitApplication(models.Model):
    """A unit's application to defer (缓缴) or to lower its ratios (降比例) for a period of months. Staff
    approve it in two steps by two different people (初审, then 审批); neither may be the applicant."""

    number = models.CharField("申请编号", max_length=24, unique=True)
    unit = models.ForeignKey(UnitAccount, verbose_name="单位账户", on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField("申请类型", max_length=10, choices=ApplicationKind.choices)
    state = models.CharField("状态", max_length=10, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED)
    start_month = models.DateField("起始年月", help_text="存为该月1日")
    end_month = models.DateField("截止年月", help_text="存为该月1日，含该月")
    reason = models.CharField("申请理由", max_length=500)
    unit_ratio = models.DecimalField("申请单位缴存比例", **RATIO, null=True, blank=True)
    member_ratio = models.DecimalField("申请个人缴存比例", **RATIO, null=True, blank=True)
    previous_unit_ratio = models.DecimalField("原单位缴存比例", **RATIO, null=True, blank=True)
    previous_member_ratio = models.DecimalField("原个人缴存比例", **RATIO, null=True, blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("申请时间", auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="初审人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("初审时间", null=True, blank=True)
    review_opinion = models.CharField("初审意见", max_length=500, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approve_opinion = models.CharField("审批意见", max_length=500, blank=True)
    effective_at = models.DateTimeField("生效时间", null=True, blank=True)
    ended_at = models.DateTimeField("到期时间", null=True, blank=True)
    backpay_state = models.CharField(
        "补缴义务", max_length=8, choices=BackPayState.choices, default=BackPayState.NONE, blank=True,
        help_text="批准后记为待补缴：缓缴或降比例期间少缴的月份，须日后以补缴方式缴清",
    )
    backpay_settled_at = models.DateTimeField("补缴完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "缓缴/降比例申请"
        constraints = [
            # One application at a time per unit: a deferral and a ratio reduction never overlap.
            models.UniqueConstraint(
                fields=["unit"], condition=Q(state__in=OPEN_APPLICATION_STATES), name="one_open_application_per_unit"
            ),
            models.CheckConstraint(condition=Q(end_month__gte=models.F("start_month")), name="application_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def get_staff_url(self) -> str:
        return reverse("staff:application_detail", args=[self.pk])

    # What the staff inbox (fund.workflow) shows: the unit, and the months asked for.
    inbox_related = ("unit__employer",)

    def inbox_facts(self) -> dict[str, Any]:
        return {"name": self.unit.employer.name, "reason": f"{self.get_kind_display()} "
                f"{self.start_month:%Y-%m}至{self.end_month:%Y-%m}"}
