"""Documents the centre issues as PDF: certificates, receipts, notices.

A document is rendered from the data stored with it (never from live records), carries a verification code
and the SHA-256 of its bytes, and is never deleted: the public verify page must keep answering for it.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from .codes import CODE_PATTERN, format_code, new_verification_code


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    READY = "ready", "已生成"
    FAILED = "failed", "生成失败"


# The moves a document's status may make; every move is a compare-and-set on the old status.
ALLOWED_MOVES: dict[str, set[str]] = {
    DocumentStatus.PENDING: {DocumentStatus.READY, DocumentStatus.FAILED},
    DocumentStatus.FAILED: {DocumentStatus.PENDING},
    DocumentStatus.READY: set(),
}


class DocumentDeletionRefused(Exception):
    pass


class DocumentQuerySet(models.QuerySet):
    def delete(self) -> NoReturn:
        raise DocumentDeletionRefused("已开具的文件不得删除")


class Document(models.Model):
    kind = models.CharField("文件种类", max_length=60, db_index=True)
    title = models.CharField("标题", max_length=120)
    subject = models.ForeignKey(
        "people.Person", verbose_name="所涉人员", on_delete=models.PROTECT, null=True, blank=True,
        related_name="documents",
    )
    subject_label = models.CharField(
        "所涉对象（脱敏）", max_length=120, blank=True, help_text="验证页面显示的对象，已脱敏，如“张*（110101********1234）”"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="开具人", on_delete=models.PROTECT, related_name="requested_documents"
    )
    status = models.CharField("状态", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    context = models.JSONField("文件数据", default=dict, blank=True, encoder=DjangoJSONEncoder)
    file = models.FileField("PDF 文件", upload_to="documents/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256 指纹", max_length=64, blank=True)
    content_hash = models.CharField(
        "内容指纹", max_length=64, blank=True, db_index=True,
        help_text="种类、对象与文件数据的 SHA-256：同一天再次申请相同内容时直接给出这一份",
    )
    verification_code = models.CharField(
        "验证码", max_length=16, unique=True, default=new_verification_code, editable=False
    )
    public_base_url = models.CharField(
        "验证网址前缀", max_length=200, blank=True, editable=False,
        help_text="文件上验证网址与二维码的前缀，申请时按 FUND_PUBLIC_BASE_URL 或申请所用的网址确定",
    )
    created_at = models.DateTimeField("开具时间", auto_now_add=True, db_index=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "打印文件"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verification_code__regex=CODE_PATTERN), name="printing_document_code_format"
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.READY) | (~Q(sha256="") & ~Q(file="")),
                name="printing_document_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.code_display}）"

    @property
    def code_display(self) -> str:
        return format_code(self.verification_code)

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise DocumentDeletionRefused("已开具的文件不得删除")
