from django.urls import path

from . import views

public_patterns = [
    path("", views.public_home, name="home"),
]

urlpatterns = [path("home/", views.home, name="home")]
