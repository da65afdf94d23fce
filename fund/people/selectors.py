"""Fetching parties for a user. Missing and forbidden both answer 404, so a probe learns nothing.

Staff see their branch, or everything when their post is centre-wide; an operator sees the employer or
developer they hold the guardian permission for; a member sees themself.
"""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Developer, Employer, Person
from .roles import roles_of

M = TypeVar("M", bound=Model)


def staff_scope(user: Any) -> tuple[bool, int | None]:
    """(is staff, branch id to restrict to — None when the post is centre-wide)."""
    roles = roles_of(user)
    if roles.staff is None:
        return False, None
    return True, None if roles.staff.centre_wide else roles.staff.branch_id


def scoped(
    queryset: QuerySet[M],
    user: Any,
    *,
    branch: str | None = None,
    employer: str | None = None,
    developer: str | None = None,
    person: str | None = None,
    bank: str | None = None,
) -> QuerySet[M]:
    """Restrict `queryset` to what `user` may see. Each keyword names the lookup path from the model to
    that party ("" when the model is that party: a Branch, Employer, Developer or Person); a role whose
    path is not given sees nothing through it."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    roles = roles_of(user)
    allowed = Q(pk__in=[])
    is_staff, branch_id = staff_scope(user)
    if is_staff and branch is not None:
        if branch_id is None:
            return queryset
        allowed |= Q(**{f"{branch}_id" if branch else "pk": branch_id})
    if employer is not None and roles.employers:
        allowed |= Q(**{f"{employer}__in" if employer else "pk__in": [e.pk for e in roles.employers]})
    if developer is not None and roles.developers:
        allowed |= Q(**{f"{developer}__in" if developer else "pk__in": [d.pk for d in roles.developers]})
    if bank is not None and roles.banks:
        allowed |= Q(**{f"{bank}__in" if bank else "pk__in": [b.pk for b in roles.banks]})
    if person is not None and user.person_id is not None:
        allowed |= Q(**{f"{person}_id" if person else "pk": user.person_id})
    return queryset.filter(allowed)


def get_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到，或您无权访问") from exc


def person_get_for_user(*, user: Any, pk: Any) -> Person:
    return get_or_404(scoped(Person.objects.all(), user, branch="branch", person=""), pk=pk)


def employer_get_for_user(*, user: Any, pk: Any) -> Employer:
    return get_or_404(scoped(Employer.objects.all(), user, branch="branch", employer=""), pk=pk)


def branch_get_for_user(*, user: Any, pk: Any) -> Any:
    from .models import Branch

    return get_or_404(scoped(Branch.objects.all(), user, branch=""), pk=pk)


def developer_get_for_user(*, user: Any, pk: Any) -> Developer:
    # Developers are centre-wide parties: any staff member may see them.
    roles = roles_of(user)
    queryset = Developer.objects.all() if roles.is_staff else scoped(Developer.objects.all(), user, developer="")
    return get_or_404(queryset, pk=pk)
