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
