"""Routes of this app; fund/urls.py mounts each list in its portal.

staff_patterns under /staff/ (namespace "staff"), public_patterns under /risk/ (namespace "risk"),
api_patterns under /api/risk/.
"""

from django.urls import path

from .apis import blacklist as blacklist_apis
from .apis import rates as rates_apis
from .apis import warnings as warnings_apis
from .views import blacklist as blacklist_views
from .views import rates as rates_views
from .views import warnings as warnings_views

staff_patterns: list = [
    path("risk/blacklist/", blacklist_views.staff_blacklist, name="risk-blacklist"),
    path("risk/blacklist/new/", blacklist_views.staff_blacklist_add, name="risk-blacklist-add"),
    path("risk/blacklist/<int:pk>/", blacklist_views.staff_blacklist_detail, name="risk-blacklist-detail"),
    path("risk/blacklist/<int:pk>/lift/", blacklist_views.staff_blacklist_lift, name="risk-blacklist-lift"),
    path("risk/blacklist/<int:pk>/lift-request/", blacklist_views.staff_blacklist_lift_request, name="risk-blacklist-lift-request"),
    path("risk/rates/", rates_views.staff_rates, name="risk-rates"),
    path("risk/tiers/", rates_views.staff_tiers, name="risk-tiers"),
    path("risk/tiers/<int:pk>/", rates_views.staff_tier_history, name="risk-tier-history"),
    path("risk/warnings/", warnings_views.staff_warnings, name="risk-warnings"),
]
public_patterns: list = [
    path("units/", blacklist_views.public_blacklisted_units, name="units"),
]
api_patterns: list = [
    path("blacklist/", blacklist_apis.BlacklistListApi.as_view(), name="api-risk-blacklist"),
    path("blacklist/<int:pk>/", blacklist_apis.BlacklistDetailApi.as_view(), name="api-risk-blacklist-detail"),
    path("blacklist/<int:pk>/lift/", blacklist_apis.BlacklistLiftApi.as_view(), name="api-risk-blacklist-lift"),
    path("blacklist/<int:pk>/lift-request/", blacklist_apis.BlacklistLiftRequestApi.as_view(), name="api-risk-blacklist-lift-request"),
    path("rates/", rates_apis.RateSeriesApi.as_view(), name="api-risk-rates"),
    path("rates/breakdown/", rates_apis.RateBreakdownApi.as_view(), name="api-risk-rates-breakdown"),
    path("tiers/", rates_apis.TierCountsApi.as_view(), name="api-risk-tiers"),
    path("tiers/loans/", rates_apis.ClassifiedLoansApi.as_view(), name="api-risk-tier-loans"),
    path("tiers/loans/<int:pk>/", rates_apis.TierHistoryApi.as_view(), name="api-risk-tier-history"),
    path("credit-notices/", warnings_apis.CreditNoticeListApi.as_view(), name="api-risk-credit-notices"),
    path("stopped-deposits/", warnings_apis.StoppedDepositListApi.as_view(), name="api-risk-stopped-deposits"),
]
