"""Admin: every sandbox table is editable (that is how testers shape the outside world); the call log is read-only."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from fund.audit.admin_base import MaskedFieldsMixin, ReadOnlyAdmin

from . import models


@admin.register(models.IntegrationCall)
class IntegrationCallAdmin(ReadOnlyAdmin):
    """Read-only; the request and response read as 名称：值 lines with ID and card numbers masked."""

    list_display = ["at", "system", "operation_name", "backend", "reference", "ok", "latency_ms"]
    fields = ["at", "system", "operation_name", "backend", "reference", "request", "response", "ok", "error", "latency_ms"]

    @admin.display(description="操作", ordering="operation")
    def operation_name(self, obj: models.IntegrationCall) -> str:
        return obj.operation_name
    list_filter = ["system", "backend", "ok"]
    search_fields = ["reference", "operation", "error"]
    date_hierarchy = "at"


@admin.register(models.SandboxIdentity)
class SandboxIdentityAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["id_number", "name", "sex", "birth_date", "death_date", "hukou_city_name"]
    list_filter = ["hukou_city_name", "sex"]
    search_fields = ["id_number", "name"]


@admin.register(models.SandboxHouseholdRelation)
class SandboxHouseholdRelationAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["parent_id_number", "child_id_number"]
    search_fields = ["parent_id_number", "child_id_number"]


@admin.register(models.SandboxMarriage)
class SandboxMarriageAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["party_a", "party_b", "married_on", "ended_on", "ended_by"]
    list_filter = ["ended_by"]
    search_fields = ["party_a", "party_b"]


class SandboxMortgageInline(admin.TabularInline):
    model = models.SandboxMortgage
    extra = 0


@admin.register(models.SandboxHome)
class SandboxHomeAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["certificate_number", "purchase_contract", "address", "city_code", "area", "price", "registered_on"]
    list_filter = ["city_code"]
    search_fields = ["certificate_number", "purchase_contract", "address"]
    inlines = [SandboxMortgageInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[models.SandboxHome], search_term: str
    ) -> tuple[QuerySet[models.SandboxHome], bool]:
        # An owner's ID number is one element of the array: match it exactly as well as by text.
        results, distinct = super().get_search_results(request, queryset, search_term)
        if search_term:
            results |= queryset.filter(owner_id_numbers__contains=[search_term.strip().upper()])
        return results, distinct


@admin.register(models.SandboxMortgage)
class SandboxMortgageAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["mortgage_number", "home", "kind", "mortgagee", "amount", "registered_at", "released_at"]
    list_filter = ["kind"]
    search_fields = ["mortgage_number", "reference", "home__certificate_number"]


@admin.register(models.SandboxInvoice)
class SandboxInvoiceAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["invoice_number", "buyer_name", "buyer_id_number", "amount", "issued_on", "valid"]
    list_filter = ["valid"]
    search_fields = ["invoice_number", "buyer_id_number", "buyer_name"]


@admin.register(models.SandboxDeedTax)
class SandboxDeedTaxAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["voucher_number", "taxpayer_id_number", "address", "tax_base", "tax_amount", "paid_on"]
    search_fields = ["voucher_number", "taxpayer_id_number"]


@admin.register(models.SandboxSocialInsurance)
class SandboxSocialInsuranceAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["id_number", "months_local", "employer_name", "employer_credit_code", "retired_on"]
    search_fields = ["id_number", "employer_credit_code", "employer_name"]


class SandboxCreditLoanInline(admin.TabularInline):
    model = models.SandboxCreditLoan
    extra = 0


@admin.register(models.SandboxCreditReport)
class SandboxCreditReportAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["report_number", "id_number", "acceptable", "remark"]
    list_filter = ["acceptable"]
    search_fields = ["id_number", "report_number"]
    inlines = [SandboxCreditLoanInline]


@admin.register(models.SandboxCreditLoan)
class SandboxCreditLoanAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["report", "lender", "kind", "monthly_instalment", "balance", "overdue_count", "repayment_history",
                    "settled"]
    list_filter = ["kind", "settled"]
    search_fields = ["report__id_number", "lender"]


@admin.register(models.SandboxBankAccount)
class SandboxBankAccountAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["account_number", "name", "holder_id", "bank_name", "balance", "fail_payouts", "hold_payouts", "frozen"]
    list_filter = ["fail_payouts", "hold_payouts", "frozen", "bank_name"]
    search_fields = ["account_number", "name", "holder_id"]


@admin.register(models.SandboxBankPayment)
class SandboxBankPaymentAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["reference", "kind", "account_number", "name", "amount", "status", "reason", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "account_number", "name", "bank_serial"]


@admin.register(models.SandboxIncomingTransfer)
class SandboxIncomingTransferAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["received_at", "payer_name", "payer_account", "amount", "reference", "bank_serial"]
    search_fields = ["reference", "payer_name", "payer_account", "bank_serial"]


@admin.register(models.SandboxSms)
class SandboxSmsAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["sent_at", "phone", "text", "message_id"]
    search_fields = ["phone", "message_id"]


@admin.register(models.SandboxTransferLetter)
class SandboxTransferLetterAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["letter_number", "name", "id_number", "from_centre", "status", "sent_at", "funds_principal"]
    list_filter = ["status"]
    search_fields = ["letter_number", "reference", "id_number", "name"]


@admin.register(models.SandboxIncomingLetter)
class SandboxIncomingLetterAdmin(MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["letter_number", "name", "id_number", "to_centre", "status", "sent_at", "funds_principal"]
    list_filter = ["status"]
    search_fields = ["letter_number", "id_number", "name", "to_centre"]
