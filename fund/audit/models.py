"""The audit trail: who changed what, when, from what to what — and who looked at whose full record."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state change or money movement. Rows are never updated or deleted (a trigger refuses it)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    action = models.CharField("操作", max_length=80, db_index=True, help_text="带点号的操作代码，如 deposits.member.opened")
    target_type = models.CharField("对象类型", max_length=80)
    target_id = models.CharField("对象编号", max_length=64)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    old = models.JSONField("原值", null=True, blank=True)
    new = models.JSONField("新值", null=True, blank=True)
    reason = models.CharField("原因", max_length=500, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        from .actions import action_label

        return f"{action_label(self.action)} {self.target_repr}".strip()


class PersonView(models.Model):
    """Each display of a person's full (unmasked) record."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    person = models.ForeignKey("people.Person", verbose_name="被查看人", on_delete=models.PROTECT, related_name="+")
    context = models.CharField("场景", max_length=120)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息查看记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.context}" if self.at else self.context
