"""Routes of this app; fund/urls.py mounts each list in its portal."""

from django.urls import path

from . import apis, views

staff_patterns: list = [
    path("guide/", views.staff_guide, name="guide-index"),
    path("guide/<str:code>/", views.staff_guide_item, name="guide-item"),
    path("guide/<str:code>/notice/", views.staff_guide_notice, name="guide-notice"),
]
public_patterns: list = [
    path("", views.guide_index, name="index"),
    path("<str:code>/", views.guide_item, name="item"),
    path("<str:code>/notice/", views.guide_notice, name="notice"),
]
api_patterns: list = [
    path("", apis.CatalogueListApi.as_view(), name="catalogue-api-list"),
    path("<str:code>/", apis.CatalogueDetailApi.as_view(), name="catalogue-api-detail"),
]
