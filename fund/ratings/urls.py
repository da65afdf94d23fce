"""Pages and API of 好差评, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver

staff_patterns: list[URLPattern | URLResolver] = []
member_patterns: list[URLPattern | URLResolver] = []
unit_patterns: list[URLPattern | URLResolver] = []
public_patterns: list[URLPattern | URLResolver] = []
api_patterns: list[URLPattern | URLResolver] = []
