"""The risk line's models, one module per topic; imported here so Django finds them and callers import
`risk.models`."""

from .blacklist import (
    BAN_FIELDS,
    CATEGORY_PHRASES,
    BlacklistEntry,
    BlacklistEntryQuerySet,
    Business,
    Category,
    DateRange,
    EntryState,
    SubjectKind,
)
from .screening import HIT_STANDING, FoundBy, HitState, ScreeningHit, ScreeningRecord, ScreeningRule

__all__ = [
    "BAN_FIELDS", "CATEGORY_PHRASES", "BlacklistEntry", "BlacklistEntryQuerySet", "Business", "Category", "DateRange",
    "EntryState", "SubjectKind",
    "HIT_STANDING", "FoundBy", "HitState", "ScreeningHit", "ScreeningRecord", "ScreeningRule",
]
