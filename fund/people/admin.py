from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from fund.audit.admin_base import ReadOnlyAdmin
from fund.audit.masking import mask_id_number

from .models import Branch, Developer, Employer, LoginAttempt, Person, StaffProfile, User


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "phone"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "masked_id", "sex", "birth_date", "branch"]
    # The record's page shows the ID masked with a link that reveals it (checked and logged by the staff view).
    masked_fields = ("phone",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["id_number_reveal" if f == "id_number" else f for f in super().get_fields(request, obj)]
        return list(dict.fromkeys(fields))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "id_number_reveal"]

    @admin.display(description="身份证号码")
    def id_number_reveal(self, obj: Person) -> str:
        url = reverse("staff:person_id_reveal", args=[obj.pk])
        back = reverse("admin:people_person_change", args=[obj.pk])
        return format_html('{} <a href="{}?where=后台自然人记录&amp;back={}">显示完整号码</a>',
                           mask_id_number(obj.id_number), url, back)
    search_fields = ["name", "id_number"]
    list_filter = ["branch", "sex"]

    @admin.display(description="身份证号码")
    def masked_id(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)



@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "branch", "is_special"]
    search_fields = ["name", "credit_code"]
    list_filter = ["branch"]


@admin.register(Developer)
class DeveloperAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "contact_name"]
    search_fields = ["name", "credit_code"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username_masked", "first_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "first_name"]
    exclude = ["password"]

    @admin.display(description="用户名")
    def username_masked(self, obj: User) -> str:
        return mask_id_number(obj.username) if obj.person_id else obj.username


@admin.register(StaffProfile)
class StaffProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "employee_number", "branch", "posts", "centre_wide"]
    list_filter = ["branch", "centre_wide"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    """Members sign in with their ID number: the name tried is masked like one."""

    list_display = ["at", "username", "ip", "succeeded"]
    list_filter = ["succeeded"]
    search_fields = ["username", "ip"]


# API tokens (ApiToken) are credentials and have no admin: a user lists and revokes theirs on
# /accounts/tokens/ or through /api/auth/tokens/.
