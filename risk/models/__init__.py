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
from .dormant import (
    DORMANT_OUTCOME_MOVES,
    MANUAL_OUTCOMES,
    SETTLED_OUTCOMES,
    DormantAccount,
    DormantCampaign,
    DormantOutcome,
)
from .overdue import (
    CHANNEL_TASKS,
    STAGE_TASKS,
    CaseState,
    Channel,
    CollectionContact,
    CollectionTask,
    CollectorAssignment,
    OverdueCase,
    Stage,
    TaskKind,
)
from .rates import TIER_ORDER, LoanTier, OverdueRate, Scope, Tier, TierChange
from .rings import AppKind, LinkGraphRun, Ring, RingLink, RingMember, RingState, RunState, RunTrigger
from .screening import HIT_STANDING, FoundBy, HitState, ScreeningHit, ScreeningRecord, ScreeningRule
from .warnings import CreditNotice, StopKind, StoppedDeposit, StopScan

__all__ = [
    "BAN_FIELDS", "CATEGORY_PHRASES", "BlacklistEntry", "BlacklistEntryQuerySet", "Business", "Category", "DateRange",
    "EntryState", "SubjectKind",
    "CHANNEL_TASKS", "STAGE_TASKS", "CaseState", "Channel", "CollectionContact", "CollectionTask", "CollectorAssignment",
    "OverdueCase", "Stage", "TaskKind",
    "DORMANT_OUTCOME_MOVES", "MANUAL_OUTCOMES", "SETTLED_OUTCOMES", "DormantAccount", "DormantCampaign",
    "DormantOutcome",
    "TIER_ORDER", "LoanTier", "OverdueRate", "Scope", "Tier", "TierChange",
    "CreditNotice", "StopKind", "StoppedDeposit", "StopScan",
    "AppKind", "LinkGraphRun", "Ring", "RingLink", "RingMember", "RingState", "RunState", "RunTrigger",
    "HIT_STANDING", "FoundBy", "HitState", "ScreeningHit", "ScreeningRecord", "ScreeningRule",
]
