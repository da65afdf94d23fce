"""Routes of the loans line; fund/urls.py mounts each list in its portal (one module of views per topic adds its
patterns to these lists)."""

from django.urls import URLPattern, URLResolver, path

from .apis import disbursement as disbursement_api
from .views import disbursement, projects

Patterns = list[URLPattern | URLResolver]

public_patterns: Patterns = []
staff_patterns: Patterns = [
    path("loans/disbursements/", disbursement.staff_disbursements, name="loan-disbursements"),
    path("loans/applications/<int:pk>/disbursement-notice/", disbursement.staff_disbursement_notice,
         name="loan-disbursement-notice"),
    path("loans/disbursements/<int:pk>/release/", disbursement.staff_disbursement_release,
         name="loan-disbursement-release"),
    path("loans/<int:pk>/iou-delivery/", disbursement.staff_iou_delivery, name="loan-iou-delivery"),
]
member_patterns: Patterns = [
    path("loans/", disbursement.member_loans, name="loan-loans"),
]
developer_patterns: Patterns = [
    path("projects/", projects.developer_projects, name="projects"),
]
bank_patterns: Patterns = []
api_patterns: Patterns = [
    path("disbursements/", disbursement_api.DisbursementListApi.as_view(), name="loan-disbursements-api"),
    path("disbursements/awaiting-notice/", disbursement_api.AwaitingNoticeApi.as_view(),
         name="loan-disbursements-awaiting-api"),
    path("disbursements/liquidity/", disbursement_api.LiquidityApi.as_view(), name="loan-liquidity-api"),
    path("disbursements/<int:pk>/", disbursement_api.DisbursementDetailApi.as_view(), name="loan-disbursement-api"),
    path("disbursements/<int:pk>/release/", disbursement_api.DisbursementReleaseApi.as_view(),
         name="loan-disbursement-release-api"),
    path("applications/<int:pk>/disbursement-notice/", disbursement_api.DisbursementNoticeApi.as_view(),
         name="loan-disbursement-notice-api"),
    path("loans/<int:pk>/iou-delivery/", disbursement_api.IouDeliveryApi.as_view(), name="loan-iou-delivery-api"),
]
