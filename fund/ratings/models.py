"""好差评: one rating per finished application (fund.tracking), the invitation that asked for it, and the
follow-up (差评整改) a bad rating opens for the application's branch.

Ratings read only the register of applications (`tracking.Application`) and their own tables: the item, the
branch and the staff member rated are the application's `item_code`, `branch` and `handled_by`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

COMMENT_MAX_LENGTH = 300


class RatingChannel(models.TextChoices):
    ONLINE = "online", "网厅评价"
    SMS = "sms", "短信链接评价"


class Rating(models.Model):
    application = models.OneToOneField(
        "tracking.Application", verbose_name="办件", on_delete=models.PROTECT, related_name="rating",
    )
    stars = models.PositiveSmallIntegerField("评价星级")
    comment = models.CharField("评价内容", max_length=COMMENT_MAX_LENGTH, blank=True)
    channel = models.CharField("评价方式", max_length=10, choices=RatingChannel.choices)
    # Who rated online (a member or a unit's operator); None through the SMS link, which needs no sign-in.
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    bad = models.BooleanField("差评", default=False, help_text="按评价当日的差评认定星级（政策参数）")
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件评价"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_one_to_five"),
        ]
        indexes = [models.Index(fields=["created_at"], name="rating_created_idx")]

    def __str__(self) -> str:
        return f"{self.application.number} {self.stars}星"


class RatingInvitation(models.Model):
    """The application was invited to be rated (once): when, and whether a text went out with the link."""

    application = models.OneToOneField(
        "tracking.Application", verbose_name="办件", on_delete=models.PROTECT, related_name="rating_invitation",
    )
    invited_at = models.DateTimeField("邀请时间", auto_now_add=True)
    texted = models.BooleanField("已发短信", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "评价邀请"

    def __str__(self) -> str:
        return f"{self.application.number} 评价邀请"


class FollowUpState(models.TextChoices):
    OPEN = "open", "待分派"
    ASSIGNED = "assigned", "整改中"
    DONE = "done", "已办结"


class FollowUpOutcome(models.TextChoices):
    RECTIFIED = "rectified", "已整改并回访"
    EXPLAINED = "explained", "已沟通解释"
    UNFOUNDED = "unfounded", "经核实非工作人员责任"


class FollowUp(models.Model):
    """差评整改: opened once per bad rating for the application's branch, assigned to a staff member, due in
    working days (policy rating_followup_days), closed with its outcome."""

    rating = models.OneToOneField(Rating, verbose_name="评价", on_delete=models.PROTECT, related_name="follow_up")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    opened_at = models.DateTimeField("生成时间", auto_now_add=True)
    due_on = models.DateField("整改时限")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="整改责任人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="分派人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField("分派时间", null=True, blank=True)
    outcome = models.CharField("整改结果", max_length=12, choices=FollowUpOutcome.choices, blank=True)
    outcome_note = models.CharField("整改情况", max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办结人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "差评整改"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["branch", "state"], name="followup_branch_state_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(state="done") | Q(outcome=""), name="followup_outcome_when_done"),
        ]

    def __str__(self) -> str:
        return f"差评整改 {self.rating.application.number}"

    def get_staff_url(self) -> str:
        from django.urls import reverse

        return reverse("staff:ratings_followup", args=[self.pk])
