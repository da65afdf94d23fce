"""Routes of this app; fund/urls.py mounts each list in its portal.

staff_patterns under /staff/ (namespace "staff"), public_patterns under /risk/ (namespace "risk"),
api_patterns under /api/risk/.
"""

from django.urls import path

from .apis import blacklist as blacklist_apis
from .apis import screening as screening_apis
from .views import blacklist as blacklist_views
from .views import screening as screening_views

staff_patterns: list = [
    path("risk/blacklist/", blacklist_views.staff_blacklist, name="risk-blacklist"),
    path("risk/blacklist/new/", blacklist_views.staff_blacklist_add, name="risk-blacklist-add"),
    path("risk/blacklist/<int:pk>/", blacklist_views.staff_blacklist_detail, name="risk-blacklist-detail"),
    path("risk/blacklist/<int:pk>/lift/", blacklist_views.staff_blacklist_lift, name="risk-blacklist-lift"),
    path("risk/blacklist/<int:pk>/lift-request/", blacklist_views.staff_blacklist_lift_request, name="risk-blacklist-lift-request"),
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
    path("audit/hits/", screening_apis.HitListApi.as_view(), name="api-risk-audit-hits"),
    path("audit/hits/summary/", screening_apis.HitSummaryApi.as_view(), name="api-risk-audit-summary"),
    path("audit/hits/<int:pk>/", screening_apis.HitDetailApi.as_view(), name="api-risk-audit-hit"),
    path("audit/hits/<int:pk>/action/", screening_apis.HitActionApi.as_view(), name="api-risk-audit-hit-action"),
    path("audit/rules/", screening_apis.RuleListApi.as_view(), name="api-risk-audit-rules"),
    path("audit/rules/<int:pk>/switch/", screening_apis.RuleSwitchApi.as_view(), name="api-risk-audit-rule-switch"),
]
