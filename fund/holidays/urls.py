"""Pages and API of 节假日安排, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = list(views.staff_patterns)
member_patterns: list[URLPattern | URLResolver] = []
unit_patterns: list[URLPattern | URLResolver] = []
public_patterns: list[URLPattern | URLResolver] = []
api_patterns: list[URLPattern | URLResolver] = [
    path("holidays/years/", apis.HolidayYearsApi.as_view(), name="holidays_years"),
    path("holidays/", apis.HolidayScheduleListApi.as_view(), name="holidays_schedules"),
    path("holidays/<int:pk>/", apis.HolidayScheduleDetailApi.as_view(), name="holidays_schedule"),
]
