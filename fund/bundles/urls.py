"""Pages and API of 一件事与跨省通办, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [
    path("bundles/", views.staff_index, name="bundles_index"),
    path("bundles/cross/", views.staff_cross_queue, name="bundles_cross_queue"),
    path("bundles/cross/<int:pk>/", views.staff_cross_detail, name="bundles_cross_detail"),
    path("bundles/cross/<int:pk>/take/", views.staff_cross_take, name="bundles_cross_take"),
    path("bundles/runs/<str:number>/", views.staff_detail, name="bundles_run_detail"),
    path("bundles/<str:code>/", views.staff_run, name="bundles_run"),
]
member_patterns: list[URLPattern | URLResolver] = [
    path("bundles/", views.member_index, name="bundles_index"),
    path("bundles/runs/<str:number>/", views.member_detail, name="bundles_run_detail"),
    path("bundles/<str:code>/", views.member_run, name="bundles_run"),
]
unit_patterns: list[URLPattern | URLResolver] = [
    path("bundles/", views.unit_index, name="bundles_index"),
    path("bundles/runs/<str:number>/", views.unit_detail, name="bundles_run_detail"),
    path("bundles/<str:code>/", views.unit_run, name="bundles_run"),
]
public_patterns: list[URLPattern | URLResolver] = [
    path("kuasheng/", views.cross_province, name="bundles_cross"),
]
api_patterns: list[URLPattern | URLResolver] = [
    path("bundles/", apis.BundleListApi.as_view(), name="bundles-api-list"),
    path("bundles/runs/", apis.BundleRunListApi.as_view(), name="bundles-api-runs"),
    path("bundles/runs/<str:number>/", apis.BundleRunDetailApi.as_view(), name="bundles-api-run"),
    path("bundles/cross/", apis.CrossProvinceApi.as_view(), name="bundles-api-cross"),
    path("bundles/cross/requests/", apis.CrossRequestListApi.as_view(), name="bundles-api-cross-requests"),
    path("bundles/cross/requests/<int:pk>/", apis.CrossRequestDetailApi.as_view(), name="bundles-api-cross-request"),
    path("bundles/cross/requests/<int:pk>/take/", apis.CrossRequestTakeApi.as_view(), name="bundles-api-cross-take"),
    path("bundles/cross/requests/<int:pk>/finish/", apis.CrossRequestFinishApi.as_view(),
         name="bundles-api-cross-finish"),
    path("bundles/<str:code>/runs/", apis.BundleRunCreateApi.as_view(), name="bundles-api-run-create"),
]
