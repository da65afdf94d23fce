"""Pages and API of 服务效能, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [
    path("measures/", views.staff_measures, name="measures_dashboard"),
    path("measures/export/", views.staff_measures_export, name="measures_export"),
]
member_patterns: list[URLPattern | URLResolver] = []
unit_patterns: list[URLPattern | URLResolver] = []
public_patterns: list[URLPattern | URLResolver] = []
api_patterns: list[URLPattern | URLResolver] = [
    path("measures/", apis.MeasuresApi.as_view(), name="measures_api"),
    path("measures/rows/", apis.MeasureRowsApi.as_view(), name="measures_api_rows"),
    path("measures/export.xlsx", apis.MeasuresExportApi.as_view(), name="measures_api_xlsx"),
]
