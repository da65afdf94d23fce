"""The site's URLs plus one view that fails, so a test can see the 500 page the way a person would.
Used only through override_settings(ROOT_URLCONF="tests.error_urls")."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from fund.urls import handler400, handler403, handler404, handler500  # noqa: F401  (the resolver reads them here)
from fund.urls import urlpatterns as site_patterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("test-broken/", broken), path("api/test-broken/", broken), *site_patterns]
