"""我的办件 pages: the member's and the unit's lists and details, the window's view of one person or unit,
and the public lookup by number and the last four characters of the ID. Every fetch goes through the
selectors; someone else's application is a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from fund.audit.services import person_viewed
from fund.filters import page_filtered
from fund.portals.decorators import portal_required

from .filters import ApplicationFilter
from .forms import LookupForm, WindowSearchForm
from .models import Application, Outcome
from .selectors import (
    application_get_for_user,
    application_line_url,
    application_steps,
    applications_for_portal,
    masked_name,
    public_lookup,
    window_party,
)
from .throttle import THROTTLED_MESSAGE, lookup_allowed

NOT_FOUND = "未查到该办件：请核对办件编号和证件号码后四位"
CHANNELS = {"window": "窗口办理", "online": "网上办理", "cross_province": "跨省通办"}


def step_rows(application: Application) -> list[dict[str, Any]]:
    """The steps in the shape of templates/includes/steps.html: done steps, then the current one (failed when
    the application ended refused)."""
    rows: list[dict[str, Any]] = []
    steps = list(application_steps(application))
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        if not last:
            state = "done"
        elif application.outcome == Outcome.OPEN:
            state = "current"
        elif application.outcome == Outcome.DONE:
            state = "done"
        else:
            state = "failed"
        rows.append({"label": step.label, "state": state, "when": step.entered_at, "left": step.left_at,
                     "due": step.deadline if state == "current" else None, "returned": step.returned,
                     "holder": ""})
    return rows


def _list_page(request: HttpRequest, portal: str) -> HttpResponse:
    filterset, rows = page_filtered(request, ApplicationFilter, applications_for_portal(request.user, portal))
    page = Paginator(rows.order_by("-submitted_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "tracking/list.html", {
        "portal": portal, "page_obj": page, "form": filterset.form, "base": f"{portal}/base.html",
        "channels": CHANNELS,
    })


def _detail_page(request: HttpRequest, portal: str, number: str) -> HttpResponse:
    application = application_get_for_user(user=request.user, number=number, portal=portal)
    if portal == "staff" and application.person is not None and application.person_id != getattr(request.user, "person_id", None):
        person_viewed(actor=request.user, person=application.person, context=f"综合窗口查看办件 {application.number}")
    return render(request, "tracking/detail.html", {
        "portal": portal, "application": application, "steps": step_rows(application),
        "history": list(application_steps(application)), "line_url": application_line_url(application, portal),
        "base": f"{portal}/base.html", "channels": CHANNELS,
        # Members and units see steps and posts, never the names of the staff who worked on them.
        "show_people": portal == "staff",
    })


@portal_required("member")
def member_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "member")


@portal_required("member")
def member_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail_page(request, "member", number)


@portal_required("unit")
def unit_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "unit")


@portal_required("unit")
def unit_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail_page(request, "unit", number)


@portal_required("staff")
def staff_window(request: HttpRequest) -> HttpResponse:
    """At the window: the applications of the person or unit in front of the clerk, by ID number or credit code."""
    form = WindowSearchForm(request.GET or None)
    party = None
    searched = False
    if form.is_valid():
        searched = True
        try:
            party = window_party(user=request.user, query=form.cleaned_data["q"])
        except ValidationError as exc:
            form.add_error("q", exc.message_dict.get("q", exc.messages))
            searched = False
        if party is not None and party.person is not None:
            person_viewed(actor=request.user, person=party.person, context="综合窗口查看办件")
    return render(request, "tracking/window.html", {
        "form": form, "party": party, "searched": searched, "channels": CHANNELS,
        "applications": list(party.applications.order_by("-submitted_at", "-id")[:100]) if party else [],
    })


@portal_required("staff")
def staff_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail_page(request, "staff", number)


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The public lookup (no login): the steps of one application, the applicant's name masked. A wrong suffix
    reads exactly as an unknown number; each address may try only so often (429)."""
    form = LookupForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        allowed, wait = lookup_allowed(request)
        if not allowed:
            context["error"] = f"{THROTTLED_MESSAGE}（约 {wait} 秒后）"
            response = render(request, "tracking/lookup.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        application = public_lookup(number=form.cleaned_data["number"], suffix=form.cleaned_data["suffix"])
        if application is None:
            context["error"] = NOT_FOUND
            return render(request, "tracking/lookup.html", context, status=404)
        context.update({"application": application, "steps": step_rows(application),
                        "name": masked_name(application), "channels": CHANNELS})
    return render(request, "tracking/lookup.html", context)


member_patterns = [
    path("tracking/", member_list, name="tracking_list"),
    path("tracking/<str:number>/", member_detail, name="tracking_detail"),
]
unit_patterns = [
    path("tracking/", unit_list, name="tracking_list"),
    path("tracking/<str:number>/", unit_detail, name="tracking_detail"),
]
staff_patterns = [
    path("tracking/", staff_window, name="tracking_window"),
    path("tracking/<str:number>/", staff_detail, name="tracking_detail"),
]
public_patterns = [path("lookup/", lookup, name="tracking_lookup")]
