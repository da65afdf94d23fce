from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import (
    BlacklistEntry,
    CollectionContact,
    CollectionTask,
    OverdueCase,
    ScreeningHit,
    ScreeningRule,
)


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(ReadOnlyAdmin):
    """Read-only: entries are listed and lifted only through risk.services (four-eyes, audited)."""

    list_display = ["name", "subject_kind", "category", "listed_on", "until", "lifted_at", "public", "listed_by"]
    list_filter = ["subject_kind", "category", "public", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "id_number", "credit_code"]
    date_hierarchy = "listed_on"


@admin.register(OverdueCase)
class OverdueCaseAdmin(ReadOnlyAdmin):
    """Read-only: the nightly close keeps the ledger; staff work it on the 逾期台账 pages (audited)."""

    list_display = ["loan", "branch", "bank", "collector", "state", "stage", "periods_overdue", "days_overdue",
                    "opened_on", "cleared_on"]
    list_filter = ["state", "stage", "branch"]
    date_hierarchy = "opened_on"


@admin.register(CollectionTask)
class CollectionTaskAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "stage", "opened_on", "due_on", "done_at", "done_by"]
    list_filter = ["kind", "stage"]


@admin.register(CollectionContact)
class CollectionContactAdmin(ReadOnlyAdmin):
    list_display = ["case", "channel", "contacted_on", "by", "promise_on", "promise_kept"]
    list_filter = ["channel"]
# The close keeps these (risk.services.rates, risk.services.warnings); the auditor reads them here.
from .models import CreditNotice, LoanTier, OverdueRate, StoppedDeposit, TierChange  # noqa: E402


@admin.register(LoanTier)
class LoanTierAdmin(ReadOnlyAdmin):
    list_display = ["loan", "tier", "since", "days_overdue"]
    list_filter = ["tier"]


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdmin):
    list_display = ["loan", "on", "old_tier", "new_tier", "days_overdue"]
    list_filter = ["new_tier"]
    date_hierarchy = "on"


@admin.register(OverdueRate)
class OverdueRateAdmin(ReadOnlyAdmin):
    list_display = ["on", "scope", "scope_id", "loans", "loan_balance", "overdue_balance", "borrowers", "rate"]
    list_filter = ["scope"]
    date_hierarchy = "on"


@admin.register(CreditNotice)
class CreditNoticeAdmin(ReadOnlyAdmin):
    list_display = ["loan", "borrower", "branch", "episode_since", "noticed_on", "days_overdue", "cleared_on"]
    date_hierarchy = "noticed_on"


@admin.register(StoppedDeposit)
class StoppedDepositAdmin(ReadOnlyAdmin):
    list_display = ["month", "kind", "employer", "borrower", "loan", "branch", "last_month"]
    list_filter = ["kind", "month"]
from .models import LinkGraphRun, Ring  # noqa: E402  (the link graph's, kept apart from the blacklist's)


@admin.register(Ring)
class RingAdmin(ReadOnlyAdmin):
    """Read-only: rings are found by the link graph's runs; their evidence (masked) and notes are on the staff
    page /staff/risk/rings/<id>/."""

    list_display = ["number", "state", "applications", "people", "found_at", "closed_at"]
    list_filter = ["state"]
    exclude = ["fingerprint", "digest"]


@admin.register(LinkGraphRun)
class LinkGraphRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "business_date", "trigger", "state", "applications", "rings", "rings_new", "rings_closed",
                    "started_at", "finished_at"]
    list_filter = ["trigger", "state"]
@admin.register(ScreeningRule)
class ScreeningRuleAdmin(ReadOnlyAdmin):
    """Read-only: rules are added and switched on the 稽核规则 page (audited)."""

    list_display = ["code", "label", "check_code", "category", "level", "enabled", "effective_from", "effective_until"]
    list_filter = ["category", "level", "enabled"]
    search_fields = ["code", "label", "check_code"]


@admin.register(ScreeningHit)
class ScreeningHitAdmin(ReadOnlyAdmin):
    """Read-only: hits are worked in 稽核工作台 (moves with history)."""

    list_display = ["subject_label", "rule", "level", "state", "branch", "found_by", "found_at"]
    list_filter = ["level", "state", "category", "found_by"]
    search_fields = ["subject_label", "summary", "id_number"]
    date_hierarchy = "found_at"
