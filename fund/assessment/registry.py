"""What other apps add to the window assessment (窗口考核): a count per staff member and month.

A source is `fn(month_start, month_end) -> {staff user id: count}`, where `month_start` is the month's first day
and `month_end` its last day (both included, dates in Shanghai). The risk line registers confirmed audit hits
("audit_hits"), the tickets app complaints ("complaints"); each gets a weight in the assessment's weights, and
its count × weight is one term of the score. fund never imports the apps that register here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

Source = Callable[[date, date], dict[int, int]]


@dataclass(frozen=True)
class AssessmentSource:
    code: str
    label: str
    fn: Source


_SOURCES: dict[str, AssessmentSource] = {}


def register_source(code: str, label: str, fn: Source) -> None:
    _SOURCES[code] = AssessmentSource(code, label, fn)


def assessment_sources() -> list[AssessmentSource]:
    return list(_SOURCES.values())
