from django.contrib import admin

from .models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "developer", "presale_permit", "state", "construction"]
    list_filter = ["state", "construction"]
    search_fields = ["name", "developer__name"]
