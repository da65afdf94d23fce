"""Deposit pages and APIs, assembled from the topic modules under views/ and apis/.

Each topic module may define `staff_patterns`, `unit_patterns`, `member_patterns` (pages, mounted by
fund/urls.py in the portal of that name) and, under apis/, `api_patterns` (mounted at /api/deposits/).
A topic is listed here once; its routes live beside its views.
"""

from importlib import import_module

TOPICS = [
    "accounts", "remittance", "interest", "base_adjustment", "statements", "lifecycle", "transfer", "opening",
    "merge", "arrears",
]


def _collect(package: str, attribute: str) -> list:
    patterns: list = []
    for topic in TOPICS:
        try:
            module = import_module(f"deposits.{package}.{topic}")
        except ModuleNotFoundError as exc:
            if exc.name != f"deposits.{package}.{topic}":
                raise  # a real import error inside an existing module
            continue
        patterns += getattr(module, attribute, [])
    return patterns


staff_patterns = _collect("views", "staff_patterns")
unit_patterns = _collect("views", "unit_patterns")
member_patterns = _collect("views", "member_patterns")
api_patterns = _collect("apis", "api_patterns")
urlpatterns: list = []
