from django.http import HttpResponse
from django.urls import path


def _placeholder(request, pk):  # replaced by the staff pages
    return HttpResponse(status=404)


staff_patterns: list = [path("withdrawals/<int:pk>/", _placeholder, name="withdrawal")]
