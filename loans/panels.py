from typing import Any

from django.http import HttpRequest

from fund.people.selectors import scoped
from fund.portals.panels import register_panel

from .models import Project, ProjectState


@register_panel("developer", order=10, template="loans/panels/developer_projects.html")
def developer_projects(request: HttpRequest) -> dict[str, Any]:
    projects = scoped(Project.objects.all(), request.user, developer="developer").order_by("name")
    return {"developer": request.roles.developer, "projects": projects}


@register_panel("bank", order=10, template="loans/panels/bank_outlet.html")
def bank_outlet(request: HttpRequest) -> dict[str, Any]:
    # The outlet takes applications for off-plan homes only in admitted projects: it sees the public list.
    projects = Project.objects.filter(state=ProjectState.ADMITTED).select_related("developer").order_by("name")
    return {"bank": request.roles.bank, "projects": projects}
