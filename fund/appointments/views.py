"""预约服务's pages: 预约办事 and 我的预约 (member and unit halls), 上门服务 (members and staff), 预约管理 (the
branch's day) and 服务时间 (the editor) for staff, and the public hours page. Each calls one service."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fund.catalogue.registry import catalogue_item
from fund.people.models import Branch
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped
from fund.portals.decorators import portal_required
from fund.views import attempt, form_submit

from . import selectors as sel
from .forms import (
    AssignForm,
    ExceptionForm,
    FinishForm,
    PeriodForm,
    ScheduleForm,
    VisitRequestForm,
    item_choices,
)
from .hours import day_kind
from .models import WEEKDAYS, BookingState, HoursException, ServicePeriod, VisitState
from .services.booking import booking_cancel, booking_create, booking_mark, booking_move
from .services.hours import (
    hours_exception_add,
    hours_exception_remove,
    service_period_add,
    service_period_remove,
)
from .services.visits import (
    home_visit_assign,
    home_visit_cancel,
    home_visit_finish,
    home_visit_request,
    home_visit_schedule,
)


def _day(raw: Any, default: date | None = None) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else default
    except ValueError:
        return default


def _int(raw: Any) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


def _days(portal_days: list[date]) -> list[tuple[str, str]]:
    return [(d.isoformat(), f"{d:%m-%d} {WEEKDAYS[d.weekday()]}{'（' + day_kind(d).label + '）' if d.weekday() >= 5 or day_kind(d).value in ('holiday', 'makeup') else ''}")
            for d in portal_days]


# ---- 预约办事 / 我的预约 (member and unit) -------------------------------------------------------------------

def _book_page(request: HttpRequest, portal: str) -> HttpResponse:
    user = request.user
    unit = roles_of(user).employer if portal == "unit" else None
    employer_id = unit.pk if unit is not None else None
    source = request.POST if request.method == "POST" else request.GET
    moving = sel.own_booking_get(user, source["move"]) if source.get("move") else None
    branch_id, item = _int(source.get("branch") or ""), source.get("item") or (moving.item_code if moving else "")
    day = _day(source.get("day"))
    branch = Branch.objects.filter(pk=branch_id).first() if branch_id else None
    status = 200
    if request.method == "POST" and branch is not None:
        start = time.fromisoformat(source["start"]) if source.get("start", "").count(":") == 1 else None
        try:
            if moving is not None:
                new = booking_move(actor=user, booking=moving, branch=branch, day=day, start=start)
                messages.success(request, f"已改约：{new.day:%Y-%m-%d} {new.start:%H:%M}，预约号 {new.number}，短信已发送")
            else:
                new = booking_create(actor=user, branch=branch, item_code=item, day=day, start=start,
                                     employer_id=employer_id)
                messages.success(request, f"预约成功：{new.day:%Y-%m-%d} {new.start:%H:%M} {new.branch.name}，"
                                          f"预约号 {new.number}，短信已发送")
            return redirect(f"{portal}:appointments_mine")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status = 400
    slots = sel.day_slots(branch.pk, day) if branch is not None and day is not None and item else None
    item_obj = None
    if item:
        try:
            item_obj = catalogue_item(item)
        except KeyError:
            item_obj = None
    return render(request, "appointments/book.html", {
        "portal": portal, "base": f"{portal}/base.html", "branches": sel.branches_public(), "items": item_choices(),
        "days": _days(sel.bookable_days()), "branch": branch, "item": item, "item_obj": item_obj, "day": day,
        "slots": slots, "moving": moving,
    }, status=status)


def _mine_page(request: HttpRequest, portal: str) -> HttpResponse:
    rows = list(sel.own_bookings(request.user)[:100])
    today = timezone.localdate()
    roles = roles_of(request.user)
    until = sel.booking_blocked_until(
        person_id=request.user.person_id if portal == "member" else None,  # type: ignore[union-attr]
        employer_id=roles.employer.pk if portal == "unit" and roles.employer else None, on=today)
    return render(request, "appointments/mine.html", {
        "portal": portal, "base": f"{portal}/base.html", "rows": rows, "blocked_until": until,
        "no_shows": sum(1 for b in rows if b.state == BookingState.NO_SHOW), "now": timezone.localtime(),
    })


@require_POST
def _cancel(request: HttpRequest, portal: str, pk: int) -> HttpResponse:
    booking = sel.own_booking_get(request.user, pk)
    attempt(request, lambda: booking_cancel(actor=request.user, booking=booking), f"已取消预约 {booking.number}")
    return redirect(f"{portal}:appointments_mine")


@require_http_methods(["GET", "POST"])
@portal_required("member")
def member_book(request: HttpRequest) -> HttpResponse:
    return _book_page(request, "member")


@require_http_methods(["GET", "POST"])
@portal_required("unit")
def unit_book(request: HttpRequest) -> HttpResponse:
    return _book_page(request, "unit")


@portal_required("member")
def member_mine(request: HttpRequest) -> HttpResponse:
    return _mine_page(request, "member")


@portal_required("unit")
def unit_mine(request: HttpRequest) -> HttpResponse:
    return _mine_page(request, "unit")


@portal_required("member")
def member_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, "member", pk)


@portal_required("unit")
def unit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, "unit", pk)


# ---- public hours ------------------------------------------------------------------------------------------

def public_hours(request: HttpRequest) -> HttpResponse:
    branches = [(b, sel.hours_of(b.pk)) for b in sel.branches_public()]
    return render(request, "appointments/public_hours.html", {"branches": branches, "weekdays": WEEKDAYS})


# ---- staff: the branch's day and the hours editor ------------------------------------------------------------

def _staff_branch(request: HttpRequest) -> Branch:
    raw = request.GET.get("branch") or request.POST.get("branch")
    if raw:
        return sel.staff_branch_get(request.user, raw)
    branch = sel.staff_default_branch(request.user)
    assert branch is not None  # portal_required("staff")
    return branch


@portal_required("staff")
def staff_day(request: HttpRequest) -> HttpResponse:
    branch = _staff_branch(request)
    day = _day(request.GET.get("day"), timezone.localdate()) or timezone.localdate()
    return render(request, "appointments/staff_day.html", {
        "branch": branch, "day": day, "data": sel.branch_day(branch, day),
        "branches": scoped(Branch.objects.order_by("code"), request.user, branch=""),
        "summary": sel.no_show_summary(request.user, day), "may_mark": roles_of(request.user).can_accept,
        "today": timezone.localdate(),
    })


@require_POST
@portal_required("staff")
def staff_mark(request: HttpRequest, pk: int) -> HttpResponse:
    booking = sel.booking_get_for_user(request.user, pk)
    state = request.POST.get("state", "")
    attempt(request, lambda: booking_mark(actor=request.user, booking=booking, state=state),
            f"{booking.number} 已{'签到' if state == BookingState.ARRIVED else '登记办理'}")
    return redirect(f"{_url('staff:appointments_day')}?branch={booking.branch_id}&day={booking.day:%Y-%m-%d}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_hours(request: HttpRequest) -> HttpResponse:
    branch = _staff_branch(request)
    may_edit = sel.hours_may_edit(request.user, branch.pk)
    period_form = PeriodForm(request.POST if request.POST.get("form") == "period" else None)
    exception_form = ExceptionForm(request.POST if request.POST.get("form") == "exception" else None)
    back = f"{_url('staff:appointments_hours')}?branch={branch.pk}"
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有本管理部负责人（审批岗）或全中心范围的工作人员可以设置服务时间")
        if request.POST.get("form") == "period" and (response := form_submit(
                request, period_form, lambda data: service_period_add(actor=request.user, branch=branch, **data),
                done="已新增服务时间", then=lambda _: redirect(back))):
            return response
        if request.POST.get("form") == "exception" and (response := form_submit(
                request, exception_form, lambda data: hours_exception_add(actor=request.user, branch=branch, **data),
                done="已新增服务时间例外", then=lambda _: redirect(back))):
            return response
    return render(request, "appointments/staff_hours.html", {
        "branch": branch, "hours": sel.hours_of(branch.pk), "may_edit": may_edit, "period_form": period_form,
        "exception_form": exception_form, "weekdays": WEEKDAYS,
        "branches": scoped(Branch.objects.order_by("code"), request.user, branch=""),
    }, status=400 if request.method == "POST" else 200)


@require_POST
@portal_required("staff")
def staff_period_remove(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_or_404(scoped(ServicePeriod.objects.select_related("branch"), request.user, branch="branch"), pk=pk)
    service_period_remove(actor=request.user, period=period)
    messages.success(request, "已删除该服务时间")
    return redirect(f"{_url('staff:appointments_hours')}?branch={period.branch_id}")


@require_POST
@portal_required("staff")
def staff_exception_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_or_404(scoped(HoursException.objects.select_related("branch"), request.user, branch="branch"), pk=pk)
    hours_exception_remove(actor=request.user, exception=row)
    messages.success(request, "已删除该例外")
    return redirect(f"{_url('staff:appointments_hours')}?branch={row.branch_id}")


# ---- 上门服务 -------------------------------------------------------------------------------------------------

def _visits_page(request: HttpRequest, portal: str) -> HttpResponse:
    staff = portal == "staff"
    form = VisitRequestForm(request.POST or None, staff=staff)
    if request.method == "POST" and (response := form_submit(
            request, form, lambda data: home_visit_request(actor=request.user, **data),
            done=lambda v: f"已登记上门服务申请 {v.number}，管理部将尽快联系",
            then=lambda _: redirect(f"{portal}:appointments_visits"))):
        return response
    state = request.GET.get("state", "")
    rows = sel.home_visits_for_user(request.user)
    if state in VisitState.values:
        rows = rows.filter(state=state)
    return render(request, "appointments/visits.html", {
        "portal": portal, "base": f"{portal}/base.html", "rows": rows[:100], "form": form, "states": VisitState.choices,
        "state": state,
    }, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@portal_required("member")
def member_visits(request: HttpRequest) -> HttpResponse:
    return _visits_page(request, "member")


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_visits(request: HttpRequest) -> HttpResponse:
    return _visits_page(request, "staff")


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = sel.home_visit_get_for_user(request.user, pk)
    action = request.POST.get("action", "")
    staff = sel.branch_staff(visit.branch_id)
    forms_ = {
        "assign": AssignForm(request.POST if action == "assign" else None, staff=staff),
        "schedule": ScheduleForm(request.POST if action == "schedule" else None),
        "finish": FinishForm(request.POST if action == "finish" else None),
    }
    runs = {
        "assign": lambda data: home_visit_assign(actor=request.user, visit=visit, assignee=int(data["assignee"])),
        "schedule": lambda data: home_visit_schedule(actor=request.user, visit=visit, **data),
        "finish": lambda data: home_visit_finish(actor=request.user, visit=visit, **data),
    }
    if request.method == "POST":
        if action == "cancel":
            attempt(request, lambda: home_visit_cancel(actor=request.user, visit=visit,
                                                       reason=request.POST.get("reason", "")), "已取消")
            return redirect("staff:appointments_visit", pk=visit.pk)
        if action in runs and (response := form_submit(request, forms_[action], runs[action], done="已保存",
                                                       then=lambda _: redirect("staff:appointments_visit", pk=visit.pk))):
            return response
    from fund.workflow.moves import status_history

    from .models import HOME_VISIT_MOVES

    history = [(h, HOME_VISIT_MOVES.label(h.old), HOME_VISIT_MOVES.label(h.new)) for h in status_history(visit)]
    return render(request, "appointments/visit.html", {
        "visit": visit, "forms": forms_, "history": history,
    }, status=400 if request.method == "POST" else 200)
