"""Pages and API of 投诉与12329工单, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [
    path("tickets/", views.staff_tickets, name="tickets_list"),
    path("tickets/new/", views.staff_ticket_new, name="tickets_new"),
    path("tickets/rates/", views.staff_ticket_rates, name="tickets_rates"),
    path("tickets/<int:pk>/", views.staff_ticket, name="tickets_detail"),
    path("tickets/<int:pk>/assign/", views.staff_ticket_assign, name="tickets_assign"),
    path("tickets/<int:pk>/reply/", views.staff_ticket_reply, name="tickets_reply"),
    path("tickets/<int:pk>/callback/", views.staff_ticket_callback, name="tickets_callback"),
    path("tickets/<int:pk>/close/", views.staff_ticket_close, name="tickets_close"),
]
member_patterns: list[URLPattern | URLResolver] = [
    path("tickets/", views.member_tickets, name="tickets_list"),
    path("tickets/<int:pk>/", views.member_ticket, name="tickets_detail"),
]
unit_patterns: list[URLPattern | URLResolver] = [
    path("tickets/", views.unit_tickets, name="tickets_list"),
    path("tickets/<int:pk>/", views.unit_ticket, name="tickets_detail"),
]
public_patterns: list[URLPattern | URLResolver] = [
    path("tickets/new/", views.public_ticket_new, name="tickets_new"),
    path("tickets/rate/<str:token>/", views.public_ticket_rate, name="tickets_rate"),
]
api_patterns: list[URLPattern | URLResolver] = [
    path("tickets/", apis.TicketListApi.as_view(), name="tickets_api_list"),
    path("tickets/public/", apis.TicketPublicApi.as_view(), name="tickets_api_public"),
    path("tickets/rate-by-link/", apis.TicketRateByLinkApi.as_view(), name="tickets_api_rate_link"),
    path("tickets/rates/", apis.TicketRatesApi.as_view(), name="tickets_api_rates"),
    path("tickets/<int:pk>/", apis.TicketDetailApi.as_view(), name="tickets_api_detail"),
    path("tickets/<int:pk>/assign/", apis.TicketAssignApi.as_view(), name="tickets_api_assign"),
    path("tickets/<int:pk>/reply/", apis.TicketReplyApi.as_view(), name="tickets_api_reply"),
    path("tickets/<int:pk>/rate/", apis.TicketRateApi.as_view(), name="tickets_api_rate"),
    path("tickets/<int:pk>/close/", apis.TicketCloseApi.as_view(), name="tickets_api_close"),
]
