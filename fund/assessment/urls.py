"""Pages and API of 窗口考核, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [
    path("assessment/", views.staff_assessment, name="assessment"),
    path("assessment/export/", views.staff_assessment_export, name="assessment_export"),
    path("assessment/weights/", views.staff_weights, name="assessment_weights"),
]
member_patterns: list[URLPattern | URLResolver] = []
unit_patterns: list[URLPattern | URLResolver] = []
public_patterns: list[URLPattern | URLResolver] = []
api_patterns: list[URLPattern | URLResolver] = [
    path("assessment/", apis.AssessmentApi.as_view(), name="assessment_api"),
    path("assessment.xlsx", apis.AssessmentExportApi.as_view(), name="assessment_api_xlsx"),
    path("assessment/weights/", apis.WeightsApi.as_view(), name="assessment_api_weights"),
]
