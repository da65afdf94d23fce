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
from .base_adjustment import BaseAdjustment, BaseAdjustmentBatch, BatchState
from .interest import InterestRun, InterestRunState
from .remittance import BILL_MOVES, BillKind, BillState, PaymentChannel, RemittanceBill, RemittanceBillLine

__all__ = [
    "ACTIVE_MEMBER_STATES", "BILL_MOVES", "MONEY", "RATIO", "BaseAdjustment", "BaseAdjustmentBatch", "BatchState",
    "BillKind", "BillState", "InterestRun", "InterestRunState", "MemberAccount", "MemberState", "MonthlyDeposit",
    "PaymentChannel", "RemittanceBill", "RemittanceBillLine", "UnitAccount", "UnitState",
]
