"""The composition root: the only module that knows every app, and mounts each page in its portal."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import deposits.urls
import loans.urls
from fund.portals import urls as portal_urls
from fund.portals import views as portal_views
from fund.printing.views import document_download

staff = (
    [path("", portal_views.staff_home, name="home"), path("audit/", portal_views.staff_audit, name="audit"),
     *deposits.urls.staff_patterns],
    "staff",
)
unit = ([path("", portal_views.unit_home, name="home"), *deposits.urls.unit_patterns], "unit")
member = ([path("", portal_views.member_home, name="home"), *deposits.urls.member_patterns], "member")
developer = ([path("", portal_views.developer_home, name="home"), *loans.urls.developer_patterns], "developer")

api_patterns = [
    path("", include("fund.people.apis")),
    path("", include("fund.policy.apis")),
    path("", include("fund.printing.apis")),
    path("", include("fund.integrations.apis")),
    path("deposits/", include(deposits.urls.api_patterns)),
]

urlpatterns = [
    path("", include((portal_urls.public_patterns, "public"))),
    path("", include((portal_urls.urlpatterns, "portals"))),
    path("staff/", include(staff)),
    path("unit/", include(unit)),
    path("member/", include(member)),
    path("developer/", include(developer)),
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
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
