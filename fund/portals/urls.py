from django.urls import path

from . import views

public_patterns = [
    path("", views.public_home, name="home"),
    path("notices/", views.public_notices, name="notices"),
    path("notices/<slug:slug>/", views.public_notice, name="notice"),
]

urlpatterns = [path("home/", views.home, name="home")]
