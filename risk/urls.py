"""Routes of this app; fund/urls.py mounts each list in its portal.

staff_patterns under /staff/ (namespace "staff"), public_patterns under /risk/ (namespace "risk"),
api_patterns under /api/risk/.
"""

from django.urls import path

from .apis import blacklist as blacklist_apis
from .apis import dashboard as dashboard_apis
from .apis import dormant as dormant_apis
from .apis import overdue as overdue_apis
from .apis import rates as rates_apis
from .apis import rings as rings_apis
from .apis import screening as screening_apis
from .apis import warnings as warnings_apis
from .views import blacklist as blacklist_views
from .views import dashboard as dashboard_views
from .views import dormant as dormant_views
from .views import overdue as overdue_views
from .views import rates as rates_views
from .views import rings as rings_views
from .views import screening as screening_views
from .views import warnings as warnings_views

staff_patterns: list = [
    path("risk/blacklist/", blacklist_views.staff_blacklist, name="risk-blacklist"),
    path("risk/blacklist/new/", blacklist_views.staff_blacklist_add, name="risk-blacklist-add"),
    path("risk/blacklist/<int:pk>/", blacklist_views.staff_blacklist_detail, name="risk-blacklist-detail"),
    path("risk/blacklist/<int:pk>/lift/", blacklist_views.staff_blacklist_lift, name="risk-blacklist-lift"),
    path("risk/blacklist/<int:pk>/lift-request/", blacklist_views.staff_blacklist_lift_request, name="risk-blacklist-lift-request"),
    path("risk/overdue/", overdue_views.staff_overdue, name="risk-overdue"),
    path("risk/overdue/cleared/", overdue_views.staff_overdue_cleared, name="risk-overdue-cleared"),
    path("risk/overdue/<int:pk>/", overdue_views.staff_overdue_case, name="risk-overdue-case"),
    path("risk/overdue/<int:pk>/contacts/", overdue_views.staff_overdue_contact, name="risk-overdue-contact"),
    path("risk/overdue/<int:pk>/reassign/", overdue_views.staff_overdue_reassign, name="risk-overdue-reassign"),
    path("risk/overdue/<int:pk>/notice/", overdue_views.staff_overdue_notice, name="risk-overdue-notice"),
    path("risk/dashboard/", dashboard_views.staff_risk_dashboard, name="risk-dashboard"),
    path("risk/dormant/", dormant_views.staff_dormant, name="risk-dormant"),
    path("risk/dormant/<int:pk>/", dormant_views.staff_dormant_campaign, name="risk-dormant-campaign"),
    path("risk/dormant/accounts/<int:pk>/outcome/", dormant_views.staff_dormant_outcome, name="risk-dormant-outcome"),
    path("risk/rates/", rates_views.staff_rates, name="risk-rates"),
    path("risk/tiers/", rates_views.staff_tiers, name="risk-tiers"),
    path("risk/tiers/<int:pk>/", rates_views.staff_tier_history, name="risk-tier-history"),
    path("risk/warnings/", warnings_views.staff_warnings, name="risk-warnings"),
    path("risk/rings/", rings_views.staff_rings, name="risk-rings"),
    path("risk/rings/run/", rings_views.staff_rings_run, name="risk-rings-run-start"),
    path("risk/rings/runs/<int:pk>/", rings_views.staff_rings_run_progress, name="risk-rings-run"),
    path("risk/rings/<int:pk>/", rings_views.staff_ring, name="risk-ring"),
    path("risk/audit/", screening_views.staff_audit_queue, name="risk-audit"),
    path("risk/audit/<int:pk>/", screening_views.staff_audit_hit, name="risk-audit-hit"),
    path("risk/audit/<int:pk>/confirm/", screening_views.staff_audit_hit_confirm, name="risk-audit-hit-confirm"),
    path("risk/audit/<int:pk>/dismiss/", screening_views.staff_audit_hit_dismiss, name="risk-audit-hit-dismiss"),
    path("risk/audit/<int:pk>/rectify-request/", screening_views.staff_audit_hit_rectify_request,
         name="risk-audit-hit-rectify-request"),
    path("risk/audit/<int:pk>/rectified/", screening_views.staff_audit_hit_rectified, name="risk-audit-hit-rectified"),
    path("risk/audit/rules/", screening_views.staff_audit_rules, name="risk-audit-rules"),
    path("risk/audit/rules/<int:pk>/switch/", screening_views.staff_audit_rule_switch, name="risk-audit-rule-switch"),
]
public_patterns: list = [
    path("units/", blacklist_views.public_blacklisted_units, name="units"),
]
api_patterns: list = [
    path("blacklist/", blacklist_apis.BlacklistListApi.as_view(), name="api-risk-blacklist"),
    path("blacklist/<int:pk>/", blacklist_apis.BlacklistDetailApi.as_view(), name="api-risk-blacklist-detail"),
    path("blacklist/<int:pk>/lift/", blacklist_apis.BlacklistLiftApi.as_view(), name="api-risk-blacklist-lift"),
    path("blacklist/<int:pk>/lift-request/", blacklist_apis.BlacklistLiftRequestApi.as_view(), name="api-risk-blacklist-lift-request"),
    path("overdue/", overdue_apis.OverdueListApi.as_view(), name="api-risk-overdue"),
    path("overdue/cleared/", overdue_apis.OverdueClearedApi.as_view(), name="api-risk-overdue-cleared"),
    path("overdue/<int:pk>/", overdue_apis.OverdueCaseApi.as_view(), name="api-risk-overdue-case"),
    path("overdue/<int:pk>/contacts/", overdue_apis.OverdueContactApi.as_view(), name="api-risk-overdue-contact"),
    path("overdue/<int:pk>/reassign/", overdue_apis.OverdueReassignApi.as_view(), name="api-risk-overdue-reassign"),
    path("overdue/<int:pk>/notice/", overdue_apis.OverdueNoticeApi.as_view(), name="api-risk-overdue-notice"),
    path("dashboard/", dashboard_apis.RiskDashboardApi.as_view(), name="api-risk-dashboard"),
    path("dormant/", dormant_apis.DormantCampaignListApi.as_view(), name="api-risk-dormant"),
    path("dormant/<int:pk>/", dormant_apis.DormantCampaignDetailApi.as_view(), name="api-risk-dormant-campaign"),
    path("dormant/<int:pk>/accounts/", dormant_apis.DormantCampaignAccountsApi.as_view(), name="api-risk-dormant-accounts"),
    path("dormant/accounts/<int:pk>/outcome/", dormant_apis.DormantAccountOutcomeApi.as_view(), name="api-risk-dormant-outcome"),
    path("rates/", rates_apis.RateSeriesApi.as_view(), name="api-risk-rates"),
    path("rates/breakdown/", rates_apis.RateBreakdownApi.as_view(), name="api-risk-rates-breakdown"),
    path("tiers/", rates_apis.TierCountsApi.as_view(), name="api-risk-tiers"),
    path("tiers/loans/", rates_apis.ClassifiedLoansApi.as_view(), name="api-risk-tier-loans"),
    path("tiers/loans/<int:pk>/", rates_apis.TierHistoryApi.as_view(), name="api-risk-tier-history"),
    path("credit-notices/", warnings_apis.CreditNoticeListApi.as_view(), name="api-risk-credit-notices"),
    path("stopped-deposits/", warnings_apis.StoppedDepositListApi.as_view(), name="api-risk-stopped-deposits"),
    path("rings/", rings_apis.RingListApi.as_view(), name="api-risk-rings"),
    path("rings/<int:pk>/", rings_apis.RingDetailApi.as_view(), name="api-risk-ring"),
    path("rings/runs/", rings_apis.RingRunApi.as_view(), name="api-risk-rings-runs"),
    path("rings/runs/<int:pk>/", rings_apis.RingRunDetailApi.as_view(), name="api-risk-rings-run"),
    path("audit/hits/", screening_apis.HitListApi.as_view(), name="api-risk-audit-hits"),
    path("audit/hits/summary/", screening_apis.HitSummaryApi.as_view(), name="api-risk-audit-summary"),
    path("audit/hits/<int:pk>/", screening_apis.HitDetailApi.as_view(), name="api-risk-audit-hit"),
    path("audit/hits/<int:pk>/action/", screening_apis.HitActionApi.as_view(), name="api-risk-audit-hit-action"),
    path("audit/rules/", screening_apis.RuleListApi.as_view(), name="api-risk-audit-rules"),
    path("audit/rules/<int:pk>/switch/", screening_apis.RuleSwitchApi.as_view(), name="api-risk-audit-rule-switch"),
]
