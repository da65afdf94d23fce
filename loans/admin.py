"""The loans line in the admin: the auditor reads every record the services write (applications, loans and
their schedules, disbursements, repayments, the nightly debit, mortgage registrations, subsidy refunds), with
ID and card numbers masked, and changes nothing. Projects stay editable by the superuser (their names and
addresses keep the forms' rules, tests/test_free_text.py)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fund.audit.admin_base import ReadOnlyAdmin

from .models import (
    CoBorrower,
    CollectionBatch,
    CollectionItem,
    Disbursement,
    Instalment,
    Loan,
    LoanApplication,
    MortgageRequest,
    Project,
    Repayment,
    RepaymentAgreement,
    ScheduleSegment,
    SubsidyRefund,
)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "developer", "presale_permit", "state", "construction"]
    list_filter = ["state", "construction"]
    search_fields = ["name", "developer__name"]


class CoBorrowerInline(admin.TabularInline):
    model = CoBorrower
    extra = 0
    can_delete = False
    fields = ["person", "relation", "monthly_income"]
    readonly_fields = ["person", "relation", "monthly_income"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LoanApplication)
class LoanApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "borrower", "channel", "branch", "amount_requested", "approved_amount", "state",
                    "created_at", "decided_at"]
    list_filter = ["state", "channel", "home_order", "product", "branch"]
    search_fields = ["number", "borrower__name"]
    date_hierarchy = "created_at"
    inlines = [CoBorrowerInline]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["contract_number", "borrower", "principal", "rate", "term_months", "status", "disbursed_on",
                    "periods_overdue"]
    list_filter = ["status", "method", "subsidy", "branch"]
    search_fields = ["contract_number", "iou_number", "borrower__name"]


@admin.register(ScheduleSegment)
class ScheduleSegmentAdmin(ReadOnlyAdmin):
    list_display = ["loan", "reason", "effective_on", "balance", "rate", "method", "first_number", "last_number",
                    "payment"]
    list_filter = ["reason", "method"]
    search_fields = ["loan__contract_number"]


@admin.register(Instalment)
class InstalmentAdmin(ReadOnlyAdmin):
    list_display = ["loan", "number", "due_on", "principal", "interest", "principal_paid", "interest_paid",
                    "penalty", "state", "paid_on"]
    list_filter = ["state"]
    search_fields = ["loan__contract_number"]
    # 2.4 million rows at 200,000 loans: no COUNT(*) of the whole table for the paginator, and no date facets.
    show_full_result_count = False


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["number", "loan", "branch", "amount", "payee_kind", "state", "noticed_at", "paid_at"]
    list_filter = ["state", "payee_kind", "branch"]
    search_fields = ["number", "loan__contract_number"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    list_display = ["number", "loan", "kind", "channel", "value_date", "amount", "principal", "interest",
                    "penalty", "balance_after"]
    list_filter = ["kind", "channel"]
    search_fields = ["number", "loan__contract_number", "bank_reference"]
    date_hierarchy = "value_date"
    show_full_result_count = False


@admin.register(RepaymentAgreement)
class RepaymentAgreementAdmin(ReadOnlyAdmin):
    list_display = ["loan", "account", "position", "active", "signed_at", "ended_at"]
    list_filter = ["active"]
    search_fields = ["loan__contract_number"]


@admin.register(CollectionBatch)
class CollectionBatchAdmin(ReadOnlyAdmin):
    list_display = ["reference", "business_date", "state", "items_count", "amount", "paid_count", "paid_amount",
                    "failed_count", "applied_at"]
    list_filter = ["state"]
    date_hierarchy = "business_date"


@admin.register(CollectionItem)
class CollectionItemAdmin(ReadOnlyAdmin):
    list_display = ["reference", "batch", "loan", "account_number", "amount", "state", "reason"]
    list_filter = ["state"]
    search_fields = ["reference", "loan__contract_number"]
    list_select_related = ["batch", "loan"]
    show_full_result_count = False


@admin.register(MortgageRequest)
class MortgageRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "application", "kind", "amount", "state", "attempts", "mortgage_number",
                    "registered_at"]
    list_filter = ["state", "kind"]
    search_fields = ["reference", "application__number", "mortgage_number"]


@admin.register(SubsidyRefund)
class SubsidyRefundAdmin(ReadOnlyAdmin):
    list_display = ["loan", "year", "interest_paid", "ratio", "amount", "card", "state", "paid_at"]
    list_filter = ["state", "year"]
    search_fields = ["loan__contract_number"]
