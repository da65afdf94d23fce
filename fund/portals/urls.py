from django.urls import path

from . import views

public_patterns = [
    path("", views.public_home, name="home"),
    path("guide/", views.guide, name="guide"),
]

urlpatterns = [path("home/", views.home, name="home")]
