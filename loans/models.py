"""Loans. For now only what the developer portal needs: a developer's projects (楼盘)."""

from django.db import models

from fund.people.models import Developer
from fund.validation import address_validator, one_line_validator


class Project(models.Model):
    """楼盘: a housing project; off-plan homes are lent on only in admitted projects (楼盘准入)."""

    developer = models.ForeignKey(Developer, verbose_name="开发企业", on_delete=models.PROTECT, related_name="projects")
    # Editable in the admin; the validators hold the admin's form to the rules the services keep.
    name = models.CharField("楼盘名称", max_length=120, validators=[one_line_validator])
    address = models.CharField("地址", max_length=200, validators=[address_validator])
    presale_permit = models.CharField("预售许可证号", max_length=60, blank=True, validators=[one_line_validator])
    admitted = models.BooleanField("已准入", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "楼盘项目"

    def __str__(self) -> str:
        return self.name
