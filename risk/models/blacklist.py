"""The integrity blacklist (住房公积金诚信黑名单).

A person or a unit is listed for a reason and a period; while an entry is in force it bars the businesses
it names (withdrawals, loans). Nothing is ever deleted: an entry ends by expiring (`until`) or by being
lifted (解除), which is a state change with its own who, when and why.

Invariants the database keeps:
- a person entry carries a resident ID and no credit code, a unit entry the reverse;
- only unit entries are disclosed publicly;
- `until` is after `listed_on`; a lifted entry has a lifter and a reason;
- no two unlifted entries for the same subject and category overlap in time (an exclusion constraint,
  so two officers listing the same person at once cannot both succeed).
"""

from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class SubjectKind(models.TextChoices):
    PERSON = "person", "个人"
    UNIT = "unit", "单位"


class Category(models.TextChoices):
    FRAUD_WITHDRAWAL = "fraud_withdrawal", "骗提"
    FRAUD_LOAN = "fraud_loan", "骗贷"
    STOPPED_AFTER_LOAN = "stopped_after_loan", "贷后停缴"
    MALICIOUS_OVERDUE = "malicious_overdue", "恶意逾期"
    OTHER = "other", "其他"


# How the category reads inside the refusal sentence shown to an applicant.
CATEGORY_PHRASES = {
    Category.FRAUD_WITHDRAWAL: "骗提住房公积金",
    Category.FRAUD_LOAN: "骗取住房公积金贷款",
    Category.STOPPED_AFTER_LOAN: "职工贷款后停缴住房公积金",
    Category.MALICIOUS_OVERDUE: "恶意逾期不还住房公积金贷款",
    Category.OTHER: "住房公积金失信行为",
}


class Business(models.TextChoices):
    """The businesses an entry may bar; the values are what business lines pass to `blacklist_check`."""

    WITHDRAWAL = "withdrawal", "提取"
    LOAN = "loan", "贷款"


BAN_FIELDS = {Business.WITHDRAWAL: "bans_withdrawal", Business.LOAN: "bans_loan"}


class EntryState(models.TextChoices):
    """Derived, never stored: lifting is recorded by lifted_at, expiry by the calendar."""

    IN_FORCE = "in_force", "生效中"
    PENDING = "pending", "待生效"
    EXPIRED = "expired", "已到期"
    LIFTED = "lifted", "已解除"


class DateRange(models.Func):
    """daterange(lower, upper): half-open [listed_on, until), the days an entry is in force."""

    function = "daterange"
    output_field = DateRangeField()


class BlacklistEntryQuerySet(models.QuerySet):
    def in_force(self, on: date) -> "BlacklistEntryQuerySet":
        return self.filter(listed_on__lte=on, until__gt=on, lifted_at__isnull=True)

    def in_state(self, state: str, on: date) -> "BlacklistEntryQuerySet":
        if state == EntryState.IN_FORCE:
            return self.in_force(on)
        if state == EntryState.LIFTED:
            return self.filter(lifted_at__isnull=False)
        if state == EntryState.EXPIRED:
            return self.filter(lifted_at__isnull=True, until__lte=on)
        if state == EntryState.PENDING:
            return self.filter(lifted_at__isnull=True, listed_on__gt=on)
        return self


class BlacklistEntry(models.Model):
    subject_kind = models.CharField("对象类型", max_length=8, choices=SubjectKind.choices)
    id_number = models.CharField("身份证号码", max_length=18, blank=True, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    name = models.CharField("姓名/单位名称", max_length=120)
    category = models.CharField("失信类别", max_length=24, choices=Category.choices)
    reason = models.TextField("列入事由")
    bans_withdrawal = models.BooleanField("限制提取", default=True)
    bans_loan = models.BooleanField("限制贷款", default=True)
    listed_on = models.DateField("列入日期")
    until = models.DateField("限制截止日期", help_text="当日起不再限制")
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="列入人", on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField("解除时间", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="解除人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    lift_reason = models.TextField("解除原因", blank=True)
    public = models.BooleanField("对外公示", default=False, help_text="只公示单位，个人从不公示")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = BlacklistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "诚信黑名单"
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="risk_blacklist_subject_identifier",
                condition=(
                    Q(subject_kind=SubjectKind.PERSON, credit_code="") & ~Q(id_number="")
                    | Q(subject_kind=SubjectKind.UNIT, id_number="") & ~Q(credit_code="")
                ),
            ),
            models.CheckConstraint(
                name="risk_blacklist_only_units_public", condition=Q(public=False) | Q(subject_kind=SubjectKind.UNIT)
            ),
            models.CheckConstraint(name="risk_blacklist_until_after_listed", condition=Q(until__gt=F("listed_on"))),
            models.CheckConstraint(
                name="risk_blacklist_lift_complete",
                condition=(
                    Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                    | Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason="")
                ),
            ),
            ExclusionConstraint(
                name="risk_blacklist_no_overlap",
                expressions=[
                    ("subject_kind", RangeOperators.EQUAL),
                    ("id_number", RangeOperators.EQUAL),
                    ("credit_code", RangeOperators.EQUAL),
                    ("category", RangeOperators.EQUAL),
                    (DateRange("listed_on", "until"), RangeOperators.OVERLAPS),
                ],
                condition=Q(lifted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_category_display()}）"

    def get_staff_url(self) -> str:
        return reverse("staff:risk-blacklist-detail", args=[self.pk])

    @property
    def subject_identifier(self) -> str:
        return self.id_number if self.subject_kind == SubjectKind.PERSON else self.credit_code

    def state_on(self, on: date) -> str:
        if self.lifted_at is not None:
            return EntryState.LIFTED
        if on < self.listed_on:
            return EntryState.PENDING
        if on >= self.until:
            return EntryState.EXPIRED
        return EntryState.IN_FORCE

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    @property
    def state_label(self) -> str:
        return EntryState(self.state).label

    def is_in_force(self, on: date) -> bool:
        return self.state_on(on) == EntryState.IN_FORCE

    @property
    def banned_businesses(self) -> list[str]:
        return [b for b, f in BAN_FIELDS.items() if getattr(self, f)]

    @property
    def bans_label(self) -> str:
        return "、".join(Business(b).label for b in self.banned_businesses) or "不限制业务"

    @property
    def refusal_message(self) -> str:
        """The plain sentence a business line shows the applicant it refuses.

        Names the business the check was made for (set by `blacklist_check`), else every business barred.
        `until` is the first day the bar no longer applies, hence “…前”.
        """
        checked = getattr(self, "checked_business", None)
        businesses = [checked] if checked else self.banned_businesses
        what = "和".join(Business(b).label for b in businesses)
        who = "您" if self.subject_kind == SubjectKind.PERSON else "该单位"
        phrase = CATEGORY_PHRASES[Category(self.category)]
        u = self.until
        return f"{who}已被列入住房公积金诚信黑名单（{phrase}），{u.year}年{u.month}月{u.day}日前不能办理{what}业务"
