"""Pages: the staff blacklist (list, add, detail with lift) and the public disclosure of listed units."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fund.audit.services import person_viewed
from fund.filters import page_filtered
from fund.people.models import Person
from fund.portals.decorators import portal_required
from fund.views import form_submit
from fund.workflow.services import work_refusal

from .. import services
from ..filters import BlacklistFilter
from ..forms import BlacklistAddForm, BlacklistLiftForm
from ..models import SubjectKind
from ..selectors import (
    blacklist_can_manage,
    blacklist_entries_for_user,
    blacklist_entry_get_for_user,
    blacklist_lift_request_open,
    blacklist_sees_full_ids,
    public_units,
)


@portal_required("staff")
def staff_blacklist(request: HttpRequest) -> HttpResponse:
    filters, entries = page_filtered(request, BlacklistFilter, blacklist_entries_for_user(request.user))
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    return render(
        request, "risk/staff/blacklist.html",
        {"page_obj": page, "filter_form": filters.form, "can_manage": blacklist_can_manage(request.user),
         "full_ids": blacklist_sees_full_ids(request.user), "today": timezone.localdate()},
    )


PREFILL_FIELDS = ("subject_kind", "name", "id_number", "credit_code", "category", "reason")


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_blacklist_add(request: HttpRequest) -> HttpResponse:
    if not blacklist_can_manage(request.user):
        raise PermissionDenied("只有风控岗或分管领导可以列入黑名单")
    # A page that finds a candidate (贷后停缴) links here with the unit's fields in the query string; the officer
    # still reads, completes and submits the form.
    prefill = {k: request.GET[k] for k in PREFILL_FIELDS if request.GET.get(k)}
    form = BlacklistAddForm(request.POST or None, initial=prefill)
    if response := form_submit(request, form, lambda data: services.blacklist_add(actor=request.user, **data),
                           done=lambda entry: f"已将 {entry.name} 列入诚信黑名单，至 {entry.until:%Y-%m-%d} 止",
                           then=lambda entry: redirect("staff:risk-blacklist-detail", pk=entry.pk)):
        return response
    return render(request, "risk/staff/blacklist_add.html", {"form": form})


@portal_required("staff")
def staff_blacklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = blacklist_entry_get_for_user(request.user, pk)
    full_ids = blacklist_sees_full_ids(request.user)
    if full_ids and entry.subject_kind == SubjectKind.PERSON:
        person = Person.objects.filter(id_number=entry.id_number).first()
        if person is not None:
            person_viewed(actor=request.user, person=person, context=f"查看诚信黑名单记录 {entry.pk}")
    return render(request, "risk/staff/blacklist_detail.html", _detail_context(request, entry, BlacklistLiftForm()))


def _detail_context(request: HttpRequest, entry: Any, lift_form: BlacklistLiftForm) -> dict[str, Any]:
    """What the detail page offers a manager (风控岗, 分管领导) while the entry is in force: another manager than
    the lister lifts it (or decides the lift request waiting in the 待办); the lister, who may not, asks for it
    (申请解除), and the request waits in the other managers' 待办 — fund.workflow's four-eyes rule."""
    manages = blacklist_can_manage(request.user) and entry.state == "in_force"
    pending = blacklist_lift_request_open(entry) if entry.state == "in_force" else None
    may_decide = manages and entry.listed_by_id != request.user.pk and (
        pending is None or work_refusal(actor=request.user, item=pending.item) is None)
    return {"entry": entry, "full_ids": blacklist_sees_full_ids(request.user), "pending": pending,
            "can_lift": may_decide, "can_request": manages and pending is None and not may_decide,
            "lift_form": lift_form}


@require_POST
@portal_required("staff")
def staff_blacklist_lift_request(request: HttpRequest, pk: int) -> HttpResponse:
    entry = blacklist_entry_get_for_user(request.user, pk)
    form = BlacklistLiftForm(request.POST)
    if response := form_submit(
        request, form, lambda data: services.blacklist_lift_request(actor=request.user, entry=entry, reason=data["reason"]),
        done=lambda item: f"已提交解除申请，待另一名风控岗人员或分管领导于 {item.due_on:%Y-%m-%d} 前审批",
        then=lambda _: redirect("staff:risk-blacklist-detail", pk=entry.pk),
    ):
        return response
    return render(request, "risk/staff/blacklist_detail.html", _detail_context(request, entry, form), status=400)


@require_POST
@portal_required("staff")
def staff_blacklist_lift(request: HttpRequest, pk: int) -> HttpResponse:
    entry = blacklist_entry_get_for_user(request.user, pk)
    form = BlacklistLiftForm(request.POST)
    if response := form_submit(request, form,
                           lambda data: services.blacklist_lift(actor=request.user, entry=entry, reason=data["reason"]),
                           done=f"已解除 {entry.name} 的黑名单记录",
                           then=lambda _: redirect("staff:risk-blacklist-detail", pk=entry.pk)):
        return response
    return render(request, "risk/staff/blacklist_detail.html", _detail_context(request, entry, form), status=400)


def public_blacklisted_units(request: HttpRequest) -> HttpResponse:
    """诚信黑名单单位公示 (Jining): units in force and marked public. Persons never appear here."""
    page = Paginator(public_units(), 30).get_page(request.GET.get("page"))
    return render(request, "risk/public/units.html", {"page_obj": page, "today": timezone.localdate()})
