from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from fund.audit.admin_base import ReadOnlyAdmin
from fund.audit.masking import mask_id_number
from fund.audit.services import person_viewed

from .models import Branch, Developer, Employer, LoginAttempt, Person, StaffProfile, User


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "phone"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "masked_id", "sex", "birth_date", "branch"]
    masked_fields = ()  # the list masks through masked_id; opening a person is the logged full view
    search_fields = ["name", "id_number"]
    list_filter = ["branch", "sex"]

    @admin.display(description="身份证号码")
    def masked_id(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        person = Person.objects.filter(pk=object_id).first()
        if person is not None:
            person_viewed(actor=request.user, person=person, context="后台查看自然人完整信息")
        return super().change_view(request, object_id, form_url, extra_context)


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
