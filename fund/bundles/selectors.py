"""Reads of 一件事 runs and the 通办 queue, each scoped: staff their branch (centre-wide: all), a unit its own
runs, a member their own; anything else is 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped
from fund.tracking.models import Application

from .models import BundleRun, BundleRunPart, CrossProvinceRequest
from .registry import cross_province_entry


def bundle_runs_for_user(user: Any) -> QuerySet[BundleRun]:
    queryset = BundleRun.objects.select_related("branch", "person", "employer", "submitted_by")
    return scoped(queryset, user, branch="branch", employer="employer", person="person")


def bundle_run_get_for_user(user: Any, number: str) -> BundleRun:
    return get_or_404(bundle_runs_for_user(user), number=number)


@dataclass(frozen=True)
class PartRow:
    part: BundleRunPart
    application: Application | None  # the part's own application on the register, if its line tracks it


def bundle_run_parts(run: BundleRun) -> list[PartRow]:
    """The run's parts in order, each with its own application on fund.tracking's register (its live step)."""
    parts = list(run.parts.all())
    keys = [(p.subject_type_id, p.subject_id) for p in parts if p.subject_type_id and p.subject_id]
    apps: dict[tuple[int, int], Application] = {}
    if keys:
        for app in Application.objects.filter(subject_type_id__in={k[0] for k in keys},
                                              subject_id__in={k[1] for k in keys}):
            apps[(app.subject_type_id, app.subject_id)] = app
    return [PartRow(p, apps.get((p.subject_type_id, p.subject_id)) if p.subject_type_id and p.subject_id else None)
            for p in parts]


def cross_may_work(user: Any) -> bool:
    """Window staff work the 通办 queue (受理, or a director)."""
    roles = roles_of(user)
    return roles.is_staff and roles.can_accept


def cross_requests_for_user(user: Any) -> QuerySet[CrossProvinceRequest]:
    """The 通办 queue of the staff member's branch (centre-wide: every branch); nobody else's."""
    if not cross_may_work(user):
        return CrossProvinceRequest.objects.none()
    queryset = CrossProvinceRequest.objects.select_related("person", "branch", "taken_by")
    return scoped(queryset, user, branch="branch")


def cross_request_get_for_user(user: Any, pk: Any) -> CrossProvinceRequest:
    return get_or_404(cross_requests_for_user(user), pk=pk)


def cross_sign_in_url(item_code: str) -> str:
    """The sign-in page, then the item in the personal hall: the member signs in as members always do."""
    entry = cross_province_entry(item_code)
    target = reverse(entry[0], args=entry[1]) if entry else reverse("member:home")
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': target})}"
