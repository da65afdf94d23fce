"""Pages and API of 政策调整模拟, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [
    path("whatif/", views.whatif_runs, name="whatif_runs"),
    path("whatif/<int:pk>/", views.whatif_run, name="whatif_run"),
    path("whatif/<int:pk>/progress/", views.whatif_run_progress, name="whatif_run_progress"),
    path("whatif/<int:pk>/export/", views.whatif_run_export, name="whatif_run_export"),
]
member_patterns: list[URLPattern | URLResolver] = []
unit_patterns: list[URLPattern | URLResolver] = []
public_patterns: list[URLPattern | URLResolver] = []
api_patterns: list[URLPattern | URLResolver] = [
    path("whatif/runs/", apis.WhatIfRunListApi.as_view(), name="whatif_api_runs"),
    path("whatif/runs/<int:pk>/", apis.WhatIfRunDetailApi.as_view(), name="whatif_api_run"),
    path("whatif/runs/<int:pk>/changes/", apis.WhatIfChangesApi.as_view(), name="whatif_api_changes"),
]
