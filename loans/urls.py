from django.urls import path

from . import views

developer_patterns = [
    path("projects/", views.developer_projects, name="projects"),
]
