"""Routes of this app; fund/urls.py mounts each list in its portal.

staff_patterns under /staff/ (namespace "staff"), public_patterns under /risk/ (namespace "risk"),
api_patterns under /api/risk/.
"""

from django.urls import path

from .apis import blacklist as blacklist_apis
from .apis import rings as rings_apis
from .views import blacklist as blacklist_views
from .views import rings as rings_views

staff_patterns: list = [
    path("risk/blacklist/", blacklist_views.staff_blacklist, name="risk-blacklist"),
    path("risk/blacklist/new/", blacklist_views.staff_blacklist_add, name="risk-blacklist-add"),
    path("risk/blacklist/<int:pk>/", blacklist_views.staff_blacklist_detail, name="risk-blacklist-detail"),
    path("risk/blacklist/<int:pk>/lift/", blacklist_views.staff_blacklist_lift, name="risk-blacklist-lift"),
    path("risk/blacklist/<int:pk>/lift-request/", blacklist_views.staff_blacklist_lift_request, name="risk-blacklist-lift-request"),
    path("risk/rings/", rings_views.staff_rings, name="risk-rings"),
    path("risk/rings/run/", rings_views.staff_rings_run, name="risk-rings-run-start"),
    path("risk/rings/runs/<int:pk>/", rings_views.staff_rings_run_progress, name="risk-rings-run"),
    path("risk/rings/<int:pk>/", rings_views.staff_ring, name="risk-ring"),
]
public_patterns: list = [
    path("units/", blacklist_views.public_blacklisted_units, name="units"),
]
api_patterns: list = [
    path("blacklist/", blacklist_apis.BlacklistListApi.as_view(), name="api-risk-blacklist"),
    path("blacklist/<int:pk>/", blacklist_apis.BlacklistDetailApi.as_view(), name="api-risk-blacklist-detail"),
    path("blacklist/<int:pk>/lift/", blacklist_apis.BlacklistLiftApi.as_view(), name="api-risk-blacklist-lift"),
    path("blacklist/<int:pk>/lift-request/", blacklist_apis.BlacklistLiftRequestApi.as_view(), name="api-risk-blacklist-lift-request"),
    path("rings/", rings_apis.RingListApi.as_view(), name="api-risk-rings"),
    path("rings/<int:pk>/", rings_apis.RingDetailApi.as_view(), name="api-risk-ring"),
    path("rings/runs/", rings_apis.RingRunApi.as_view(), name="api-risk-rings-runs"),
    path("rings/runs/<int:pk>/", rings_apis.RingRunDetailApi.as_view(), name="api-risk-rings-run"),
]
