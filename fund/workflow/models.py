"""Work items: one row per step of a manual review, open until someone with the step's post decides it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class ItemState(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办"
    CANCELLED = "cancelled", "已撤销"


class Decision(models.TextChoices):
    PASS = "pass", "同意"
    REJECT = "reject", "不同意"


class WorkItem(models.Model):
    flow = models.CharField("流程", max_length=40)
    step = models.CharField("环节", max_length=20)
    step_label = models.CharField("环节名称", max_length=20)
    subject_type = models.ForeignKey(ContentType, verbose_name="业务类型", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("业务编号")
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField("业务", max_length=200)
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请/经办人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="提交申请的人：不能审核自己的申请",
    )
    state = models.CharField("状态", max_length=10, choices=ItemState.choices, default=ItemState.OPEN)
    opened_at = models.DateTimeField("到达时间", auto_now_add=True)
    due_on = models.DateField("办结时限")
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acted_at = models.DateTimeField("办理时间", null=True, blank=True)
    decision = models.CharField("意见", max_length=10, choices=Decision.choices, blank=True)
    opinion = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待办事项"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"]), models.Index(fields=["state", "branch"])]
        constraints = [
            # One step at a time: a subject has at most one open item.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], condition=Q(state="open"), name="workflow_one_open_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} · {self.step_label}"


class StatusChange(models.Model):
    """One move of one status field of any record, written by `fund.workflow.moves.move_status` beside the
    audit event: the record's history of states, read back by `status_history`."""

    subject_type = models.ForeignKey(ContentType, verbose_name="业务类型", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("业务编号")
    subject = GenericForeignKey("subject_type", "subject_id")
    field = models.CharField("状态字段", max_length=40)
    old = models.CharField("原状态", max_length=40)
    new = models.CharField("新状态", max_length=40)
    action = models.CharField("操作", max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "状态变更"
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"
