"""Pages and API of 我的办件, mounted by fund/urls.py in each portal."""

from django.urls import URLPattern, URLResolver

from . import apis, views

staff_patterns: list[URLPattern | URLResolver] = [*views.staff_patterns]
member_patterns: list[URLPattern | URLResolver] = [*views.member_patterns]
unit_patterns: list[URLPattern | URLResolver] = [*views.unit_patterns]
public_patterns: list[URLPattern | URLResolver] = [*views.public_patterns]
api_patterns: list[URLPattern | URLResolver] = [*apis.api_patterns]
