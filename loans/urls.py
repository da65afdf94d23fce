"""Routes of the loans line; fund/urls.py mounts each list in its portal (one module of views per topic adds its
patterns to these lists)."""

from django.urls import URLPattern, URLResolver, path

from .apis import signing as signing_api
from .views import projects, signing

Patterns = list[URLPattern | URLResolver]

public_patterns: Patterns = []
staff_patterns: Patterns = [*signing.staff_patterns]
member_patterns: Patterns = []
developer_patterns: Patterns = [
    path("projects/", projects.developer_projects, name="projects"),
]
bank_patterns: Patterns = []
api_patterns: Patterns = [*signing_api.api_patterns]
