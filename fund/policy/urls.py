from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("", views.policy_table_view, name="table"),
    path("<slug:name>/", views.policy_detail_view, name="detail"),
    path("<slug:name>/<int:pk>/withdraw/", views.policy_withdraw_view, name="withdraw"),
]
