"""Who acts in the system: branches, staff and their posts, people, employers and developers.

One `User` model for every login. A user's roles come from what hangs off it: a `StaffProfile` makes a
clerk, a `person` link makes a member, and guardian object permissions bind an operator to the employer
or developer they act for. A person may hold several roles (a member who is also a unit's operator).
"""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from fund.validation import (
    address_validator,
    credit_code_validator,
    one_line_validator,
    org_name_validator,
    resident_id_validator,
)


class Branch(models.Model):
    """管理部: a branch office of the centre; staff and units belong to one."""

    code = models.CharField("编号", max_length=8, unique=True)
    # Editable in the admin; the validators hold the admin's form to the rules the services keep.
    name = models.CharField("名称", max_length=60, unique=True, validators=[org_name_validator])
    address = models.CharField("地址", max_length=200, blank=True, validators=[address_validator])
    phone = models.CharField("电话", max_length=30, blank=True, validators=[one_line_validator])

    class Meta:
        verbose_name = verbose_name_plural = "管理部"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "1", "男"
    FEMALE = "2", "女"


class Person(models.Model):
    """A natural person known to the centre by their resident ID number (GB 11643)."""

    id_number = models.CharField("身份证号码", max_length=18, unique=True, validators=[resident_id_validator])
    name = models.CharField("姓名", max_length=60)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    phone = models.CharField("手机号码", max_length=20, blank=True)
    branch = models.ForeignKey(
        Branch, verbose_name="所属管理部", on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "自然人"
        permissions = [("view_full_person", "查看完整个人信息")]

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    """单位: an employer, identified by its unified social credit code (GB 32100)."""

    name = models.CharField("单位名称", max_length=120)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[credit_code_validator]
    )
    branch = models.ForeignKey(Branch, verbose_name="所属管理部", on_delete=models.PROTECT, related_name="employers")
    address = models.CharField("单位地址", max_length=200, blank=True)
    contact_name = models.CharField("经办人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_special = models.BooleanField("灵活就业专户", default=False, help_text="管理部为个体工商户、自由职业者设立的专户")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        permissions = [("act_for_employer", "代表单位办理业务")]

    def __str__(self) -> str:
        return self.name


class Developer(models.Model):
    """开发企业: a real-estate developer that submits loan applications for buyers."""

    name = models.CharField("企业名称", max_length=120)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[credit_code_validator]
    )
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "开发企业"
        permissions = [("act_for_developer", "代表开发企业办理业务")]

    def __str__(self) -> str:
        return self.name


class EntrustedBank(models.Model):
    """受托银行: a bank the centre entrusts with loans (its outlets take applications, Linyi) and payments.

    A bank's operators hold the guardian object permission `act_for_bank` on it, as a developer's operators
    hold `act_for_developer`: they see the loan applications taken at this bank and nothing else."""

    code = models.CharField("银行代码", max_length=12, unique=True, validators=[one_line_validator])
    name = models.CharField("银行名称", max_length=120, validators=[one_line_validator])
    outlet = models.CharField("网点", max_length=120, blank=True, validators=[one_line_validator])
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    active = models.BooleanField("合作中", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "受托银行"
        ordering = ["code"]
        permissions = [("act_for_bank", "代表受托银行办理业务")]

    def __str__(self) -> str:
        return f"{self.name}{self.outlet}"


class FundUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # Members sign in with their resident ID number, others with their user name. A user name may equal
        # another user's ID number: the exact user name wins, so the lookup never finds two.
        try:
            return self.get(username=username)
        except self.model.DoesNotExist:
            return self.get(person__id_number=(username or "").upper())


class User(AbstractUser):
    person = models.OneToOneField(
        Person, verbose_name="本人", on_delete=models.PROTECT, null=True, blank=True, related_name="user"
    )
    phone = models.CharField("手机号码", max_length=20, blank=True)

    objects: ClassVar[FundUserManager] = FundUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Post(models.TextChoices):
    """岗位: the posts of the three-level approval and the back offices."""

    ACCEPT = "accept", "受理"
    REVIEW = "review", "初审"
    APPROVE = "approve", "审批"
    DIRECTOR = "director", "分管副主任/主任"
    FINANCE = "finance", "财务"
    LOAN_ADMIN = "loan_admin", "委贷管理"
    RISK = "risk", "风控/清收"
    AUDIT = "audit", "稽核"


class StaffProfile(models.Model):
    """Makes a user a member of staff, with posts and a scope (one branch, or the whole centre)."""

    user = models.OneToOneField(User, verbose_name="用户", on_delete=models.CASCADE, related_name="staff_profile")
    branch = models.ForeignKey(Branch, verbose_name="管理部", on_delete=models.PROTECT, related_name="staff")
    posts = ArrayField(models.CharField(max_length=16, choices=Post.choices), verbose_name="岗位", default=list)
    centre_wide = models.BooleanField("全中心范围", default=False)
    employee_number = models.CharField("工号", max_length=20, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.user} ({self.branch})"


class LoginAttempt(models.Model):
    """Failed and successful sign-ins, for throttling and for the audit trail."""

    username = models.CharField("登录名", max_length=150, db_index=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    succeeded = models.BooleanField("成功")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录记录"
        indexes = [models.Index(fields=["ip", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} 登录{'成功' if self.succeeded else '失败'}" if self.at else "登录记录"


class PasswordResetRequest(models.Model):
    """Every request for a reset code, matched or not: for the limit per address and the audit trail."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    sent = models.BooleanField("已发送验证码", default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "重置密码申请记录"
        indexes = [models.Index(fields=["ip", "at"])]


class OneTimeCode(models.Model):
    """An SMS one-time code for password reset; stored hashed, single use, short-lived."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(max_length=30)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"


class ApiToken(models.Model):
    """An API token of one device or client (a phone app, an integrator's system), named by its user.

    A user holds several at once, so signing in on one device never signs another out; each expires on its
    own and is listed and revoked by its user. Only the SHA-256 of the key is stored: the key is shown once,
    when it is issued, and a copy of this table gives no one a working token.
    """

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("设备或客户端名称", max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("令牌前几位", max_length=8, help_text="用于辨认令牌，不能用于登录")
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    created_ip = models.GenericIPAddressField("签发地址", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        indexes = [models.Index(fields=["user", "expires_at"], condition=models.Q(revoked_at__isnull=True),
                                name="people_apitoken_active")]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
