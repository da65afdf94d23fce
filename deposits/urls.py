"""Deposit pages, grouped by the portal they belong to; fund/urls.py mounts each group in its portal."""

from django.urls import path

from . import views

staff_patterns = [
    path("units/", views.staff_units, name="units"),
    path("units/open/", views.staff_unit_open, name="open_unit"),
    path("units/<int:pk>/", views.staff_unit_detail, name="unit_detail"),
    path("members/", views.staff_members, name="members"),
    path("members/open/", views.staff_member_open, name="open_member"),
    path("members/<int:pk>/", views.staff_member_detail, name="member_detail"),
    path("members/<int:pk>/deposit/", views.staff_member_deposit, name="member_deposit"),
    path("members/<int:pk>/sheet/", views.staff_member_sheet, name="member_sheet"),
]

unit_patterns = [
    path("members/", views.unit_members, name="members"),
    path("profile/", views.unit_profile, name="profile"),
]

member_patterns = [
    path("statement/", views.member_statement_page, name="statement"),
    path("certificates/", views.member_certificates, name="certificates"),
]

urlpatterns: list = []
