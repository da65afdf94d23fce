"""Developers' projects (楼盘) and their admission (楼盘准入): off-plan homes are lent on only in admitted projects."""

from django.db import models

from fund.people.models import Developer
from fund.validation import address_validator, one_line_validator


class ProjectState(models.TextChoices):
    """准入状态."""

    PENDING = "pending", "待准入"
    ADMITTED = "admitted", "已准入"
    SUSPENDED = "suspended", "已暂停"
    REFUSED = "refused", "未准入"


class ConstructionState(models.TextChoices):
    """建设状态: off-plan (未建/在建) homes get a pre-mortgage; built (已建) ones a mortgage."""

    UNBUILT = "unbuilt", "未建"
    BUILDING = "building", "在建"
    BUILT = "built", "已建"


class Project(models.Model):
    """楼盘: a housing project; off-plan homes are lent on only in admitted projects (楼盘准入)."""

    developer = models.ForeignKey(Developer, verbose_name="开发企业", on_delete=models.PROTECT, related_name="projects")
    # Editable in the admin; the validators hold the admin's form to the rules the services keep.
    name = models.CharField("楼盘名称", max_length=120, validators=[one_line_validator])
    address = models.CharField("地址", max_length=200, validators=[address_validator])
    presale_permit = models.CharField("预售许可证号", max_length=60, blank=True, validators=[one_line_validator])
    state = models.CharField("准入状态", max_length=10, choices=ProjectState.choices, default=ProjectState.PENDING)
    construction = models.CharField(
        "建设状态", max_length=10, choices=ConstructionState.choices, default=ConstructionState.BUILDING
    )
    payee_account = models.CharField("购房款监管账号", max_length=40, blank=True,
                                     help_text="贷款发放至此账户（开发企业的预售资金监管账户）")
    payee_name = models.CharField("监管账户户名", max_length=120, blank=True)
    admitted_at = models.DateTimeField("准入时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "楼盘项目"

    def __str__(self) -> str:
        return self.name

    @property
    def admitted(self) -> bool:
        return self.state == ProjectState.ADMITTED
