"""Developers' projects (楼盘) and their admission (楼盘准入): off-plan homes are lent on only in admitted projects."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
    payee_bank = models.CharField("监管账户开户银行", max_length=60, blank=True)
    # Why the project was refused or suspended, as the last such move said; shown to the developer and to
    # whoever is refused an off-plan loan in it.
    state_reason = models.CharField("暂停/未准入原因", max_length=200, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    admitted_at = models.DateTimeField("准入时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "楼盘项目"

    def __str__(self) -> str:
        return self.name

    @property
    def admitted(self) -> bool:
        return self.state == ProjectState.ADMITTED


class Building(models.Model):
    """楼栋: a building of a project as its presale permit lists it."""

    project = models.ForeignKey(Project, verbose_name="楼盘", on_delete=models.PROTECT, related_name="buildings")
    number = models.CharField("楼号", max_length=30, validators=[one_line_validator])
    floors = models.PositiveSmallIntegerField("层数")
    homes = models.PositiveIntegerField("套数")
    planned_completion = models.DateField("计划竣工日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "楼栋"
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="loans_building_one_number")]

    def __str__(self) -> str:
        return f"{self.project.name}{self.number}"


class InspectionResult(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class ProjectInspection(models.Model):
    """实地查验: 委贷管理科's visit to a project; admission needs a passing one (Liaoyuan)."""

    project = models.ForeignKey(Project, verbose_name="楼盘", on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField("查验日期")
    inspector = models.CharField("查验人", max_length=60, validators=[one_line_validator])
    findings = models.TextField("查验情况", max_length=1000)
    result = models.CharField("查验结论", max_length=10, choices=InspectionResult.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "楼盘查验记录"
        ordering = ["project", "-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project.name} {self.inspected_on:%Y-%m-%d} {self.get_result_display()}"

    @property
    def passed(self) -> bool:
        return self.result == InspectionResult.PASSED


class RegistrationState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REFUSED = "refused", "未通过"


class DeveloperRegistration(models.Model):
    """开发企业注册申请: a developer applies without a login; 委贷管理 approves (the Developer and its first
    operator's login are created then) or refuses with a reason. The login gets no password from here: its
    holder sets one by SMS code to the phone given, so no password travels in a message."""

    state = models.CharField("状态", max_length=10, choices=RegistrationState.choices,
                             default=RegistrationState.PENDING)
    name = models.CharField("企业名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    contact_name = models.CharField("联系人", max_length=60)
    contact_phone = models.CharField("联系电话", max_length=30)
    username = models.CharField("登录用户名", max_length=150)
    operator_name = models.CharField("经办人姓名", max_length=60)
    operator_phone = models.CharField("经办人手机号码", max_length=20)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    opinion = models.CharField("审核意见", max_length=200, blank=True)
    developer = models.OneToOneField(Developer, verbose_name="开发企业", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="registration")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人登录", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "开发企业注册申请"
        constraints = [
            # One pending application per credit code and per user name; the database settles races.
            models.UniqueConstraint(fields=["credit_code"], condition=Q(state="pending"),
                                    name="loans_registration_one_pending_code"),
            models.UniqueConstraint(fields=["username"], condition=Q(state="pending"),
                                    name="loans_registration_one_pending_username"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_state_display()}）"
