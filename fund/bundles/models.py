"""A bundle's run (one application for the applicant, the parts' own applications listed under it), the
跨省通办 window queue, and the identity checks of the public 跨省通办 entry (counted to throttle guessing)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class BundleRun(models.Model):
    """One run of a bundle that committed: every part ran (a refused run leaves no row at all)."""

    number = models.CharField("一件事编号", max_length=24, unique=True)
    bundle = models.CharField("一件事", max_length=20)  # the bundle's code (its catalogue item)
    title = models.CharField("事项", max_length=200)
    channel = models.CharField("渠道", max_length=20)
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", verbose_name="申请人", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    employer = models.ForeignKey("people.Employer", verbose_name="申请单位", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    lookup_suffix = models.CharField("证件号后四位", max_length=4, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT,
                                     related_name="+")
    client_token = models.CharField("提交令牌", max_length=64, blank=True)
    identity_call_ids = models.JSONField("身份核验调用", default=list, blank=True)
    created_at = models.DateTimeField("办理时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "一件事办件"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submitted_by", "client_token"], condition=~models.Q(client_token=""),
                                    name="bundles_run_client_token"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class BundleRunPart(models.Model):
    """One part of a run, in order, with what it did and the record it made (its own application)."""

    run = models.ForeignKey(BundleRun, verbose_name="一件事办件", on_delete=models.PROTECT, related_name="parts")
    position = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("分项", max_length=60)
    label = models.CharField("分项名称", max_length=60)
    summary = models.CharField("办理结果", max_length=300)
    subject_type = models.ForeignKey(ContentType, verbose_name="业务表", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField("业务记录", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "一件事分项"
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="bundles_part_position")]

    def __str__(self) -> str:
        return f"{self.run.number} · {self.label}"


class CrossState(models.TextChoices):
    WAITING = "waiting", "待受理"
    TAKEN = "taken", "办理中"
    DONE = "done", "已办结"
    REFUSED = "refused", "不予办理"


class CrossProvinceRequest(models.Model):
    """A 跨省通办 request that needs a person at the 通办 window: the member's identity was verified online."""

    number = models.CharField("通办编号", max_length=24, unique=True)
    item_code = models.CharField("事项编码", max_length=20)
    item_name = models.CharField("事项", max_length=200)
    person = models.ForeignKey("people.Person", verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    phone = models.CharField("联系电话", max_length=20)
    province = models.CharField("现居省份", max_length=20, blank=True)
    note = models.CharField("诉求说明", max_length=300, blank=True)
    state = models.CharField("状态", max_length=10, choices=CrossState.choices, default=CrossState.WAITING)
    identity_call_id = models.PositiveBigIntegerField("身份核验调用", null=True, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受理人", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    taken_at = models.DateTimeField("受理时间", null=True, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    result = models.CharField("办理结果", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "跨省通办申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["branch", "state"], name="bundles_cross_queue_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.item_name}"


class IdentityCheck(models.Model):
    """One identity check at the public 跨省通办 entry: failures per ID number and per address are limited."""

    id_number = models.CharField("身份证号码", max_length=18)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    ok = models.BooleanField("核验通过")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "跨省通办身份核验"

    def __str__(self) -> str:
        return f"{self.id_number[-4:]} {'通过' if self.ok else '未通过'}"
