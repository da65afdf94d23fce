from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_patterns = [
    path("", include("fund.people.apis")),
    path("", include("fund.policy.apis")),
    path("", include("fund.printing.apis")),
    path("", include("fund.integrations.apis")),
    path("deposits/", include("deposits.apis")),
]

urlpatterns = [
    path("", include("fund.portals.urls")),
    path("accounts/", include("fund.people.urls")),
    path("policy/", include("fund.policy.urls")),
    path("verify/", include("fund.printing.urls")),
    path("deposits/", include("deposits.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
