from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import AccountMerge, MemberAccount, MonthlyDeposit, OpeningNotice, UnitAccount, UnitRatioChange


@admin.register(UnitAccount)
class UnitAccountAdmin(ReadOnlyAdmin):
    list_display = ["number", "employer", "state", "unit_ratio", "member_ratio", "pay_day", "opened_on"]
    list_filter = ["state"]
    search_fields = ["number", "employer__name", "employer__credit_code"]


@admin.register(MemberAccount)
class MemberAccountAdmin(ReadOnlyAdmin):
    list_display = ["number", "person", "unit", "state", "base", "paid_up_to"]
    list_filter = ["state"]
    search_fields = ["number", "person__name"]
    list_select_related = ["person", "unit__employer"]
    exclude = ["bank_card"]


@admin.register(MonthlyDeposit)
class MonthlyDepositAdmin(ReadOnlyAdmin):
    list_display = ["account", "month", "unit_amount", "member_amount", "entry"]
    search_fields = ["account__number"]
    list_select_related = ["account__person", "entry"]


@admin.register(AccountMerge)
class AccountMergeAdmin(ReadOnlyAdmin):
    list_display = ["source", "target", "principal", "interest", "amount"]
    list_select_related = ["source__person", "target__person"]


@admin.register(OpeningNotice)
class OpeningNoticeAdmin(ReadOnlyAdmin):
    list_display = ["credit_code", "employer_name", "insured_count", "channel", "sent_by", "sent_at"]


@admin.register(UnitRatioChange)
class UnitRatioChangeAdmin(ReadOnlyAdmin):
    list_display = ["unit", "effective_month", "unit_ratio", "member_ratio", "source", "created_at"]
    list_filter = ["source"]
    list_select_related = ["unit__employer"]
