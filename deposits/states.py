"""The move tables of deposits' status fields: which state each record may go to from each state. Every
change of these fields goes through `fund.workflow.moves.move_status` with its table."""

from fund.workflow.moves import MoveTable

from .models import (
    ApplicationState,
    BackPayState,
    BaseAdjustmentBatch,
    BatchState,
    BillState,
    MemberAccount,
    MemberState,
    OpeningRequestState,
    RemittanceBill,
    UnitAccount,
    UnitApplication,
    UnitOpeningRequest,
    UnitState,
)

_OPEN_TO = {MemberState.MERGED, MemberState.TRANSFERRED_OUT, MemberState.WITHDRAWN}

MEMBER_ACCOUNT_MOVES = MoveTable(MemberAccount, noun="个人账户", moves={
    MemberState.NORMAL: {MemberState.SEALED, MemberState.FROZEN, *_OPEN_TO},
    MemberState.SEALED: {MemberState.NORMAL, MemberState.FROZEN, *_OPEN_TO},
    MemberState.FROZEN: {MemberState.NORMAL, MemberState.SEALED},
    # A closing withdrawal whose payout the bank refused: the account is restored as it was.
    MemberState.WITHDRAWN: {MemberState.NORMAL, MemberState.SEALED},
    # A duplicate account migrated from the old system as 其他 is closed by merging it into the person's
    # live account (deposits.services.merge).
    MemberState.OTHER: {MemberState.MERGED},
})

UNIT_ACCOUNT_MOVES = MoveTable(UnitAccount, noun="单位账户", moves={
    UnitState.NORMAL: {UnitState.DEFERRED, UnitState.SEALED, UnitState.CLOSED},
    UnitState.DEFERRED: {UnitState.NORMAL},
    UnitState.SEALED: {UnitState.NORMAL, UnitState.CLOSED},
})

# A unit's deferral or ratio-reduction application: 初审 and 审批 (through fund.workflow), then in effect
# for its months. Rejected, withdrawn and ended are final.
APPLICATION_MOVES = MoveTable(UnitApplication, noun="申请", moves={
    ApplicationState.SUBMITTED: {ApplicationState.REVIEWED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN},
    ApplicationState.REVIEWED: {ApplicationState.APPROVED, ApplicationState.REJECTED},
    ApplicationState.APPROVED: {ApplicationState.IN_EFFECT},
    ApplicationState.IN_EFFECT: {ApplicationState.ENDED},
})

BILL_MOVES = MoveTable(RemittanceBill, noun="缴款单", moves={
    BillState.DRAFT: {BillState.CONFIRMED, BillState.CANCELLED},
    BillState.CONFIRMED: {BillState.PAID, BillState.CANCELLED},
})

# A batch checking when its worker died is checked again from the start (nothing was written: the check
# applies in one transaction).
BATCH_MOVES = MoveTable(BaseAdjustmentBatch, noun="调基名单", moves={
    BatchState.QUEUED: {BatchState.CHECKING, BatchState.FAILED},
    BatchState.CHECKING: {BatchState.REJECTED, BatchState.APPLIED, BatchState.FAILED},
})

OPENING_REQUEST_MOVES = MoveTable(UnitOpeningRequest, noun="开户申请", moves={
    OpeningRequestState.PENDING: {OpeningRequestState.APPROVED, OpeningRequestState.REJECTED},
})

# The back-pay obligation an approved application records, settled once the months are paid.
BACKPAY_MOVES = MoveTable(UnitApplication, noun="补缴义务", field="backpay_state", moves={
    BackPayState.OWED: {BackPayState.SETTLED},
})
