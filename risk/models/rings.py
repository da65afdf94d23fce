"""The link graph (关联图谱) and its suspected rings (疑似团伙).

A run reads every withdrawal and loan application, takes each one's keys (person, phone, bank card,
certificate, invoice, contract, home place, medical record, agent, seller's account), links applications that
share a key, and keeps the connected groups that look like a ring: more people than the policy allows, or a
card or phone shared by unrelated people. A ring keeps its identity from run to run while its members are the
same (or mostly the same), so staff notes stay; a ring no longer found is closed, and opens again when it
comes back.

Members and links are the evidence of the latest run that found the ring: rebuilt by each run (derived data,
not records of anyone's act), while the ring row itself, its note and its status history stay.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse


class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class RunTrigger(models.TextChoices):
    CLOSE = "close", "日终处理"
    MANUAL = "manual", "手工运行"


class LinkGraphRun(models.Model):
    trigger = models.CharField("触发方式", max_length=8, choices=RunTrigger.choices)
    business_date = models.DateField("业务日期")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    state = models.CharField("状态", max_length=8, choices=RunState.choices, default=RunState.QUEUED)
    stage = models.CharField("当前阶段", max_length=40, blank=True)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    applications = models.PositiveIntegerField("申请笔数", default=0)
    shared_keys = models.PositiveIntegerField("共享标识数", default=0)
    hub_keys = models.PositiveIntegerField("高频标识数", default=0, help_text="共用人数超过上限、不参与连通的标识")
    components = models.PositiveIntegerField("关联群组数", default=0)
    rings = models.PositiveIntegerField("疑似团伙数", default=0)
    rings_new = models.PositiveIntegerField("新发现", default=0)
    rings_closed = models.PositiveIntegerField("已消失", default=0)
    error = models.CharField("错误", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "关联图谱计算"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"关联图谱计算 {self.pk}（{self.business_date}）"

    @property
    def live(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)


class RingState(models.TextChoices):
    OPEN = "open", "疑似"
    CLOSED = "closed", "已消失"


class Ring(models.Model):
    fingerprint = models.CharField("成员指纹", max_length=40, db_index=True, help_text="成员申请编号排序后的 SHA-1")
    digest = models.CharField("证据摘要", max_length=40, blank=True, help_text="成员、疑点与证据的 SHA-1：未变化时不重写")
    state = models.CharField("状态", max_length=8, choices=RingState.choices, default=RingState.OPEN)
    reasons = models.JSONField("疑点", default=list, help_text="[{rule, summary}]：触发的识别规则及说明")
    applications = models.PositiveIntegerField("申请笔数")
    people = models.PositiveIntegerField("涉及人数")
    first_run = models.ForeignKey(LinkGraphRun, verbose_name="首次发现", on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(LinkGraphRun, verbose_name="最近发现", on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    closed_at = models.DateTimeField("消失时间", null=True, blank=True)
    note = models.TextField("核查备注", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "疑似团伙"
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "-id"])]

    def __str__(self) -> str:
        return f"疑似团伙 {self.number}"

    @property
    def number(self) -> str:
        return f"TH{self.pk:06d}"

    def get_staff_url(self) -> str:
        return reverse("staff:risk-ring", args=[self.pk])


class AppKind(models.TextChoices):
    WITHDRAWAL = "withdrawal", "提取"
    LOAN = "loan", "贷款申请"


class RingMember(models.Model):
    """One application of a ring, as the latest run found it."""

    ring = models.ForeignKey(Ring, verbose_name="疑似团伙", on_delete=models.CASCADE, related_name="members")
    app_kind = models.CharField("业务", max_length=10, choices=AppKind.choices)
    app_id = models.BigIntegerField("申请ID")
    number = models.CharField("业务编号", max_length=20)
    person = models.ForeignKey("people.Person", verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("people.Branch", verbose_name="管理部", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("申请状态", max_length=40, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "团伙成员申请"
        ordering = ["ring", "submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["ring", "app_kind", "app_id"], name="ring_member_once")]
        indexes = [models.Index(fields=["branch", "ring"])]

    def __str__(self) -> str:
        return self.number


class RingLink(models.Model):
    """One key shared by two or more of a ring's applications: the evidence of a link."""

    ring = models.ForeignKey(Ring, verbose_name="疑似团伙", on_delete=models.CASCADE, related_name="links")
    kind = models.CharField("标识类型", max_length=12)
    value = models.CharField("标识", max_length=240)
    members = models.JSONField("共享的申请", default=list, help_text="[\"withdrawal:12\", \"loan:3\"]")
    links = models.BooleanField("参与连通", default=True, help_text="否：单位等背景信息，仅展示")

    class Meta:
        verbose_name = verbose_name_plural = "关联证据"
        ordering = ["ring", "kind", "value"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
