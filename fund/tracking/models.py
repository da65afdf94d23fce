"""The register of applications (办件) across lines, and each one's steps."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Outcome(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"
    REFUSED = "refused", "不予办理"
    WITHDRAWN = "withdrawn", "已撤回"


class Application(models.Model):
    """One application of any line, kept by `fund.tracking.services.track` from the line's `Tracked`."""

    number = models.CharField("办件编号", max_length=20, unique=True)
    kind = models.CharField("业务类别", max_length=40)  # the TrackedKind key
    item_code = models.CharField("事项编码", max_length=20)
    title = models.CharField("事项", max_length=200)
    subject_type = models.ForeignKey(ContentType, verbose_name="业务表", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("业务记录")
    source_number = models.CharField("业务编号", max_length=40, blank=True)
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", verbose_name="申请人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employer = models.ForeignKey(
        "people.Employer", verbose_name="申请单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lookup_suffix = models.CharField("证件号后四位", max_length=4, blank=True)
    channel = models.CharField("渠道", max_length=20)
    instant = models.BooleanField("秒批", default=False)
    submitted_at = models.DateTimeField("申请时间")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    step_code = models.CharField("当前环节", max_length=40)
    step_label = models.CharField("当前环节名称", max_length=40)
    step_deadline = models.DateField("环节时限", null=True, blank=True)
    step_since = models.DateTimeField("环节开始")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="受理人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    visits = models.PositiveSmallIntegerField("跑动次数", default=0)
    pages = models.PositiveSmallIntegerField("纸质材料页数", default=0)
    on_the_spot = models.BooleanField("当场办结", default=False)
    returns = models.PositiveSmallIntegerField("补正退回次数", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="tracking_one_per_subject"),
        ]
        indexes = [
            models.Index(fields=["person", "-submitted_at"], name="tracking_person_idx"),
            models.Index(fields=["employer", "-submitted_at"], name="tracking_employer_idx"),
            models.Index(fields=["submitted_at"], name="tracking_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ApplicationStep(models.Model):
    """One step an application went through: entered when its line's step changed, left at the next one."""

    application = models.ForeignKey(Application, verbose_name="办件", on_delete=models.PROTECT, related_name="steps")
    code = models.CharField("环节", max_length=40)
    label = models.CharField("环节名称", max_length=40)
    entered_at = models.DateTimeField("开始时间")
    left_at = models.DateTimeField("结束时间", null=True, blank=True)
    deadline = models.DateField("时限", null=True, blank=True)
    # Who moved it into this step (None: the system — 秒批, a worker, the nightly close).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # Who finished it (moved it on); the window assessment counts steps by this person.
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    returned = models.BooleanField("补正退回", default=False)
    # When the applicant was texted about this step: claimed by compare-and-set, so a retried task never texts twice.
    texted_at = models.DateTimeField("短信通知时间", null=True, blank=True)
    # The line texts this step itself (Tracked.texted_by_line): the register does not text it again.
    texted_by_line = models.BooleanField("业务自行短信通知", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "办件环节"
        ordering = ["application", "entered_at", "id"]
        indexes = [models.Index(fields=["done_by", "left_at"], name="tracking_step_done_idx")]

    def __str__(self) -> str:
        return f"{self.application.number} · {self.label}"
