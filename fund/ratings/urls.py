"""Pages and API of 好差评, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver, path

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [
    path("ratings/", views.staff_ratings, name="ratings"),
    path("ratings/follow-ups/", views.staff_follow_ups, name="ratings_followups"),
    path("ratings/follow-ups/<int:pk>/", views.staff_follow_up, name="ratings_followup"),
    path("ratings/follow-ups/<int:pk>/assign/", views.staff_follow_up_assign, name="ratings_followup_assign"),
    path("ratings/follow-ups/<int:pk>/close/", views.staff_follow_up_close, name="ratings_followup_close"),
]
member_patterns: list[URLPattern | URLResolver] = [
    path("ratings/", views.member_pending, name="ratings_pending"),
    path("ratings/<str:number>/", views.member_rate, name="ratings_rate"),
]
unit_patterns: list[URLPattern | URLResolver] = [
    path("ratings/", views.unit_pending, name="ratings_pending"),
    path("ratings/<str:number>/", views.unit_rate, name="ratings_rate"),
]
public_patterns: list[URLPattern | URLResolver] = [
    path("ratings/r/<str:token>/", views.link_rate, name="ratings_link"),
]
api_patterns: list[URLPattern | URLResolver] = [
    path("ratings/", apis.RatingListApi.as_view(), name="ratings_api_list"),
    path("ratings/pending/", apis.RatingPendingApi.as_view(), name="ratings_api_pending"),
    path("ratings/link/", apis.RatingByLinkApi.as_view(), name="ratings_api_link"),
    path("ratings/rates/", apis.RatingRatesApi.as_view(), name="ratings_api_rates"),
    path("ratings/follow-ups/", apis.FollowUpListApi.as_view(), name="ratings_api_follow_ups"),
    path("ratings/follow-ups/<int:pk>/", apis.FollowUpDetailApi.as_view(), name="ratings_api_follow_up"),
    path("ratings/follow-ups/<int:pk>/assign/", apis.FollowUpAssignApi.as_view(), name="ratings_api_follow_up_assign"),
    path("ratings/follow-ups/<int:pk>/close/", apis.FollowUpCloseApi.as_view(), name="ratings_api_follow_up_close"),
]
