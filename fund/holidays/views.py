"""节假日安排 pages: the years and their sources, every version, the entry form; one version with its holidays
and where it differs from chinesecalendar."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fund.portals.decorators import portal_required
from fund.views import form_submit

from .forms import HolidayScheduleForm
from .selectors import (
    holiday_may_enter,
    holiday_schedule_get,
    holiday_schedules,
    holiday_years,
    package_differences,
    schedule_lines,
    schedule_periods,
)
from .services import holiday_lines_parse, holiday_schedule_enter


def _enter(actor: Any, data: dict[str, Any]) -> Any:
    periods = holiday_lines_parse(data["lines"], year=data["year"])
    return holiday_schedule_enter(actor=actor, year=data["year"], periods=periods,
                                  effective_from=data.get("effective_from"), notice=data.get("notice", ""),
                                  note=data.get("note", ""))


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_holidays(request: HttpRequest) -> HttpResponse:
    may_enter = holiday_may_enter(request.user)
    today = timezone.localdate()
    years = holiday_years(today)
    initial: dict[str, Any] = {"effective_from": today}
    missing = next((row["year"] for row in years if row["missing"]), None)
    if missing is not None:
        initial["year"] = missing
    if (source := request.GET.get("from", "")).isdigit():
        base = holiday_schedule_get(source)
        initial.update(year=base.year, lines=schedule_lines(base))
    form = HolidayScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied("只有分管领导或全中心范围的受理岗可以录入节假日安排")
        if response := form_submit(
            request, form, lambda data: _enter(request.user, data),
            done=lambda s: f"已录入{s}，自 {s.effective_from:%Y-%m-%d} 起计算工作日按此安排",
            then=lambda s: redirect("staff:holidays_schedule", pk=s.pk),
        ):
            return response
    return render(request, "holidays/staff/holidays.html", {
        "years": years, "schedules": holiday_schedules()[:30], "form": form, "may_enter": may_enter,
    }, status=400 if form.is_bound else 200)


@portal_required("staff")
def staff_holiday_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = holiday_schedule_get(pk)
    return render(request, "holidays/staff/schedule.html", {
        "schedule": schedule, "periods": schedule_periods(schedule.days.all()),
        "differences": package_differences(schedule),
        "versions": holiday_schedules().filter(year=schedule.year).order_by("-version"),
        "may_enter": holiday_may_enter(request.user),
    })


staff_patterns = [
    path("holidays/", staff_holidays, name="holidays_list"),
    path("holidays/<int:pk>/", staff_holiday_schedule, name="holidays_schedule"),
]
