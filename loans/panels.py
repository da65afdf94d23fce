from typing import Any

from django.http import HttpRequest

from fund.people.selectors import scoped
from fund.portals.panels import register_panel

from .models import Project


@register_panel("developer", order=10, template="loans/panels/developer_projects.html")
def developer_projects(request: HttpRequest) -> dict[str, Any]:
    projects = scoped(Project.objects.all(), request.user, developer="developer").order_by("name")
    return {"developer": request.roles.developer, "projects": projects}
