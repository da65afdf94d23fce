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
from .rings import AppKind, LinkGraphRun, Ring, RingLink, RingMember, RingState, RunState, RunTrigger

__all__ = [
    "BAN_FIELDS", "CATEGORY_PHRASES", "BlacklistEntry", "BlacklistEntryQuerySet", "Business", "Category", "DateRange",
    "EntryState", "SubjectKind",
    "AppKind", "LinkGraphRun", "Ring", "RingLink", "RingMember", "RingState", "RunState", "RunTrigger",
]
