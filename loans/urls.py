"""Routes of the loans line; fund/urls.py mounts each list in its portal (one module of views per topic adds its
patterns to these lists)."""

from django.urls import URLPattern, URLResolver, path

from .apis import applications as application_apis
from .views import applications as application_views
from .views import projects

Patterns = list[URLPattern | URLResolver]

public_patterns: Patterns = []
staff_patterns: Patterns = [*application_views.staff_patterns]
member_patterns: Patterns = []
developer_patterns: Patterns = [
    path("projects/", projects.developer_projects, name="projects"),
]
bank_patterns: Patterns = []
api_patterns: Patterns = [*application_apis.api_patterns]
