"""Routes of the loans line; fund/urls.py mounts each list in its portal (one module of views per topic adds its
patterns to these lists)."""

from django.urls import URLPattern, URLResolver, path

from .apis import quota as quota_api
from .views import estimate, projects

Patterns = list[URLPattern | URLResolver]

public_patterns: Patterns = [
    path("estimate/", estimate.public_estimate, name="estimate"),
]
staff_patterns: Patterns = []
member_patterns: Patterns = [
    path("loans/estimate/", estimate.member_estimate_page, name="loan-estimate"),
]
developer_patterns: Patterns = [
    path("projects/", projects.developer_projects, name="projects"),
    path("loans/estimate/", estimate.developer_estimate, name="loan-estimate"),
]
bank_patterns: Patterns = []
api_patterns: Patterns = [*quota_api.api_patterns]
