"""Pages and API of 预约服务, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [
    path("appointments/", views.staff_day, name="appointments_day"),
    path("appointments/<int:pk>/mark/", views.staff_mark, name="appointments_mark"),
    path("appointments/hours/", views.staff_hours, name="appointments_hours"),
    path("appointments/hours/periods/<int:pk>/remove/", views.staff_period_remove, name="appointments_period_remove"),
    path("appointments/hours/exceptions/<int:pk>/remove/", views.staff_exception_remove,
         name="appointments_exception_remove"),
    path("home-visits/", views.staff_visits, name="appointments_visits"),
    path("home-visits/<int:pk>/", views.staff_visit, name="appointments_visit"),
]
member_patterns: list[URLPattern | URLResolver] = [
    path("appointments/book/", views.member_book, name="appointments_book"),
    path("appointments/", views.member_mine, name="appointments_mine"),
    path("appointments/<int:pk>/cancel/", views.member_cancel, name="appointments_cancel"),
    path("home-visits/", views.member_visits, name="appointments_visits"),
]
unit_patterns: list[URLPattern | URLResolver] = [
    path("appointments/book/", views.unit_book, name="appointments_book"),
    path("appointments/", views.unit_mine, name="appointments_mine"),
    path("appointments/<int:pk>/cancel/", views.unit_cancel, name="appointments_cancel"),
]
public_patterns: list[URLPattern | URLResolver] = [
    path("appointments/hours/", views.public_hours, name="appointments_hours"),
]
api_patterns: list[URLPattern | URLResolver] = [
    path("appointments/hours/", apis.HoursApi.as_view(), name="api-appointments-hours"),
    path("appointments/slots/", apis.SlotsApi.as_view(), name="api-appointments-slots"),
    path("appointments/", apis.BookingListApi.as_view(), name="api-appointments"),
    path("appointments/<int:pk>/", apis.BookingDetailApi.as_view(), name="api-appointments-detail"),
    path("appointments/<int:pk>/cancel/", apis.BookingCancelApi.as_view(), name="api-appointments-cancel"),
    path("appointments/<int:pk>/move/", apis.BookingMoveApi.as_view(), name="api-appointments-move"),
    path("appointments/<int:pk>/mark/", apis.BookingMarkApi.as_view(), name="api-appointments-mark"),
    path("appointments/day/", apis.BranchDayApi.as_view(), name="api-appointments-day"),
    path("appointments/no-shows/", apis.NoShowsApi.as_view(), name="api-appointments-no-shows"),
    path("appointments/periods/", apis.PeriodCreateApi.as_view(), name="api-appointments-periods"),
    path("appointments/periods/<int:pk>/", apis.PeriodDeleteApi.as_view(), name="api-appointments-period"),
    path("appointments/exceptions/", apis.ExceptionCreateApi.as_view(), name="api-appointments-exceptions"),
    path("appointments/exceptions/<int:pk>/", apis.ExceptionDeleteApi.as_view(), name="api-appointments-exception"),
    path("home-visits/", apis.VisitListApi.as_view(), name="api-appointments-visits"),
    path("home-visits/<int:pk>/", apis.VisitDetailApi.as_view(), name="api-appointments-visit"),
    path("home-visits/<int:pk>/action/", apis.VisitActionApi.as_view(), name="api-appointments-visit-action"),
]
