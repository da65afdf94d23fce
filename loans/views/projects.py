from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fund.people.selectors import scoped
from fund.portals.decorators import portal_required

from ..models import Project


@portal_required("developer")
def developer_projects(request: HttpRequest) -> HttpResponse:
    projects = scoped(Project.objects.select_related("developer"), request.user, developer="developer").order_by("name")
    return render(request, "loans/developer/projects.html", {"projects": projects})
