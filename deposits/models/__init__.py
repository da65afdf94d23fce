from .accounts import (
    ACTIVE_MEMBER_STATES,
    MONEY,
    RATIO,
    MemberAccount,
    MemberState,
    MonthlyDeposit,
    UnitAccount,
    UnitState,
)
from .arrears import ArrearsReminder, OpeningNotice, OpeningNoticeChannel, ReminderState  # noqa: F401
from .base_adjustment import BATCH_LIVE_STATES, BaseAdjustment, BaseAdjustmentBatch, BatchState
from .interest import InterestRun, InterestRunState
from .lifecycle import (  # noqa: F401
    AccountBusiness,
    AccountEvent,
    ApplicationKind,
    ApplicationState,
    BackPayState,
    UnitApplication,
)
from .merge import AccountMerge  # noqa: F401
from .opening import OpeningRequestState, UnitOpeningRequest  # noqa: F401
from .ratios import RatioSource, UnitRatioChange  # noqa: F401
from .remittance import (  # noqa: F401
    BillKind,
    BillState,
    PaymentChannel,
    RefundState,
    RemittanceBill,
    RemittanceBillLine,
    RemittanceCorrection,
)
from .transfer import FINISHED_STATUSES, CrossRegionTransfer, TransferDirection

__all__ = [
    "FINISHED_STATUSES", "CrossRegionTransfer", "TransferDirection",
    "ACTIVE_MEMBER_STATES", "ArrearsReminder", "BATCH_LIVE_STATES", "MONEY", "RATIO", "BaseAdjustment", "BaseAdjustmentBatch", "BatchState",
    "BillKind", "BillState", "InterestRun", "InterestRunState", "MemberAccount", "MemberState", "MonthlyDeposit",
    "PaymentChannel", "RemittanceBill", "RemittanceBillLine", "ReminderState", "UnitAccount", "UnitState",
]
