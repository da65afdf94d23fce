"""Reading projects and developer registrations. Missing and forbidden both answer 404.

Staff see every project (developers and their projects are centre-wide, as developers are in fund.people);
a developer's operator sees only its own; anyone sees the admitted ones in the public list."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from ..models import DeveloperRegistration, Project, ProjectState


def projects_for_user(user: Any) -> QuerySet[Project]:
    projects = Project.objects.select_related("developer").annotate(building_count=Count("buildings"))
    if roles_of(user).is_staff:
        return projects
    return scoped(projects, user, developer="developer")


def project_get_for_user(user: Any, pk: Any) -> Project:
    return get_or_404(projects_for_user(user), pk=pk)


def projects_public(search: str = "") -> QuerySet[Project]:
    """The admitted projects, as the public list shows them: off-plan homes may be bought with a loan there."""
    projects = (Project.objects.filter(state=ProjectState.ADMITTED).select_related("developer")
                .annotate(building_count=Count("buildings")).order_by("name", "id"))
    search = search.strip()
    if search:
        projects = projects.filter(Q(name__icontains=search) | Q(address__icontains=search)
                                   | Q(developer__name__icontains=search))
    return projects


def may_admit_projects(roles: Any) -> bool:
    """委贷管理 (or the director): registrations, inspections and admission of projects."""
    return roles.has_post(Post.LOAN_ADMIN) or roles.has_post(Post.DIRECTOR)


def registrations_for_user(user: Any) -> QuerySet[DeveloperRegistration]:
    """委贷管理 (and the director) review developer registrations; no one else sees them."""
    if not may_admit_projects(roles_of(user)):
        return DeveloperRegistration.objects.none()
    return DeveloperRegistration.objects.select_related("reviewed_by", "developer")


def registration_get_for_user(user: Any, pk: Any) -> DeveloperRegistration:
    return get_or_404(registrations_for_user(user), pk=pk)
