"""Reading the register: each user's own applications, one application for a user, the window's view of one
person or unit, and the public lookup. Forbidden and missing both answer 404 (`get_or_404`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from fund.people.models import Employer, Person
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped, staff_scope
from fund.validation import clean_credit_code, clean_resident_id

from .models import Application, ApplicationStep
from .registry import tracked_kind

PORTALS = ("member", "unit", "staff")


def _base() -> QuerySet[Application]:
    return Application.objects.select_related("branch", "person", "employer", "handled_by")


def applications_for_user(user: Any) -> QuerySet[Application]:
    """Every application `user` may see, whatever their roles: staff their branch (or all when centre-wide),
    an operator their units', a member their own."""
    return scoped(_base(), user, branch="branch", employer="employer", person="person")


def applications_for_portal(user: Any, portal: str) -> QuerySet[Application]:
    """What one portal lists: a member's own, a unit's own (each unit the operator acts for), the staff
    member's branch. A staff member who is also a member sees only their own in the member hall."""
    if portal == "member":
        if getattr(user, "person_id", None) is None:
            return Application.objects.none()
        return _base().filter(person_id=user.person_id)
    if portal == "unit":
        return _base().filter(employer__in=[e.pk for e in roles_of(user).employers])
    if portal == "staff":
        return scoped(_base(), user, branch="branch")
    raise ValueError(portal)


def application_get_for_user(*, user: Any, number: str, portal: str | None = None) -> Application:
    queryset = applications_for_user(user) if portal is None else applications_for_portal(user, portal)
    return get_or_404(queryset, number=str(number or "").strip().upper())


def application_steps(application: Application) -> QuerySet[ApplicationStep]:
    return application.steps.select_related("actor", "done_by").order_by("entered_at", "id")


def application_subject(application: Application) -> Model | None:
    model = application.subject_type.model_class()
    return model._default_manager.filter(pk=application.subject_id).first() if model is not None else None


def application_line_url(application: Application, portal: str) -> str:
    """The line's own page of the application in `portal` ("" when the line has none there)."""
    kind = tracked_kind(application.kind)
    url_of = getattr(kind, f"{portal}_url", None) if kind is not None else None
    if url_of is None:
        return ""
    subject = application_subject(application)
    return url_of(subject) if subject is not None else ""


@dataclass(frozen=True)
class WindowParty:
    """The person or unit the window searched for, and their applications the clerk may see."""

    person: Person | None
    employer: Employer | None
    applications: QuerySet[Application]

    @property
    def name(self) -> str:
        return self.person.name if self.person is not None else self.employer.name if self.employer else ""


def window_party(*, user: Any, query: str) -> WindowParty | None:
    """A person by resident ID number, or a unit by unified social credit code, with their applications in
    the clerk's branch (all, for a centre-wide post). None when no such party exists or none of theirs is in
    the clerk's scope: a clerk of another branch learns nothing. ValidationError: not a valid number of
    either kind."""
    is_staff, branch_id = staff_scope(user)
    if not is_staff:
        return None
    raw = (query or "").strip().upper()
    try:
        id_number = clean_resident_id(raw).number
    except ValidationError:
        id_number = ""
    person = employer = None
    if id_number:
        person = Person.objects.filter(id_number=id_number).first()
        if person is None:
            return None
        found = _base().filter(person=person)
        own = branch_id is None or person.branch_id == branch_id
    else:
        try:
            code = clean_credit_code(raw)
        except ValidationError as exc:
            raise ValidationError({"q": ["请输入18位居民身份证号码或统一社会信用代码"]}) from exc
        employer = Employer.objects.filter(credit_code=code).first()
        if employer is None:
            return None
        found = _base().filter(employer=employer)
        own = branch_id is None or employer.branch_id == branch_id
    applications = found if branch_id is None else found.filter(branch_id=branch_id)
    if not own and not applications.exists():
        return None
    return WindowParty(person=person, employer=employer, applications=applications)


def public_lookup(*, number: str, suffix: str) -> Application | None:
    """The application with this number whose applicant's ID number (or credit code) ends in `suffix`; None
    for an unknown number and a wrong suffix alike, so a guess learns nothing about which was wrong."""
    number = str(number or "").strip().upper()
    suffix = str(suffix or "").strip().upper()
    if not number or len(suffix) != 4:
        return None
    app = _base().filter(number=number).first()
    if app is None or not app.lookup_suffix or app.lookup_suffix.upper() != suffix:
        return None
    return app


def masked_name(application: Application) -> str:
    """The applicant's name as the public lookup shows it: 张*明, 示范市****医院."""
    if application.person is not None:
        name = application.person.name
        if len(name) <= 1:
            return name
        if len(name) == 2:
            return name[0] + "*"
        return name[0] + "*" * (len(name) - 2) + name[-1]
    if application.employer is not None:
        name = application.employer.name
        keep = 2 if len(name) > 6 else 1
        return name[:keep] + "*" * max(len(name) - 2 * keep, 1) + name[-keep:]
    return ""
