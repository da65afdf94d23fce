"""The composition root: the only module that knows every app, and mounts each page in its portal."""

from importlib import import_module

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import deposits.urls
import deposits.views.opening
import loans.urls
import risk.urls
import withdrawals.urls
from fund import errors
from fund.audit import reveal as audit_reveal
from fund.catalogue import urls as catalogue_urls
from fund.close import views as close_views
from fund.integrations import views as integration_views
from fund.payments import views as payment_views
from fund.portals import urls as portal_urls
from fund.portals import views as portal_views
from fund.printing.views import document_download
from fund.workflow import views as workflow_views

# The service apps (便民服务, SPEC §2.5): each offers the same five lists of patterns.
SERVICE = [
    import_module(f"fund.{name}.urls")
    for name in ("tracking", "appointments", "tickets", "holidays", "ratings", "assessment", "measures", "bundles",
                 "whatif")
]


def _service(portal: str) -> list:
    return [pattern for module in SERVICE for pattern in getattr(module, f"{portal}_patterns")]


staff = (
    [path("", portal_views.staff_home, name="home"), path("audit/", portal_views.staff_audit, name="audit"),
     *deposits.urls.staff_patterns, *withdrawals.urls.staff_patterns, *risk.urls.staff_patterns,
     *catalogue_urls.staff_patterns, *workflow_views.staff_patterns, *integration_views.staff_patterns,
     *audit_reveal.staff_patterns, *payment_views.staff_patterns, *loans.urls.staff_patterns,
     *close_views.staff_patterns, *_service("staff")],
    "staff",
)
unit = ([path("", portal_views.unit_home, name="home"), *deposits.urls.unit_patterns, *_service("unit")], "unit")
member = (
    [path("", portal_views.member_home, name="home"), *deposits.urls.member_patterns, *withdrawals.urls.member_patterns,
     *loans.urls.member_patterns, *_service("member")],
    "member",
)
developer = ([path("", portal_views.developer_home, name="home"), *loans.urls.developer_patterns], "developer")
bank = ([path("", portal_views.bank_home, name="home"), *loans.urls.bank_patterns], "bank")

api_patterns = [
    path("", include("fund.people.apis")),
    path("", include("fund.policy.apis")),
    path("", include("fund.printing.apis")),
    path("", include("fund.integrations.apis")),
    path("", include("fund.payments.apis")),
    path("", include("fund.close.apis")),
    path("deposits/", include(deposits.urls.api_patterns)),
    path("withdrawals/", include(withdrawals.urls.api_patterns)),
    path("risk/", include(risk.urls.api_patterns)),
    path("loans/", include(loans.urls.api_patterns)),
    path("catalogue/", include(catalogue_urls.api_patterns)),
    path("service/", include(_service("api"))),
]

urlpatterns = [
    path("", include((portal_urls.public_patterns, "public"))),
    path("", include((portal_urls.urlpatterns, "portals"))),
    path("guide/", include((catalogue_urls.public_patterns, "guide"))),
    path("service/", include((_service("public"), "service"))),
    path("risk/", include((risk.urls.public_patterns, "risk"))),
    path("loans/", include((loans.urls.public_patterns, "loans"))),
    path("staff/", include(staff)),
    path("unit/", include(unit)),
    path("member/", include(member)),
    path("developer/", include(developer)),
    path("bank/", include(bank)),
    path("apply/unit/", include((deposits.views.opening.public_patterns, "apply"))),
    path("accounts/", include("fund.people.urls")),
    path("policy/", include("fund.policy.urls")),
    path("verify/", include("fund.printing.urls")),
    path("documents/<int:pk>/file", document_download, name="document_download"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
# No pattern serves MEDIA_ROOT, whatever DEBUG says: stored files are members' and units' records, streamed
# only by views that check who asks (document_download and the like; see fund.storage).

# Error pages in the site's look and in Chinese (JSON under /api/); DEBUG is off wherever people see them.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
