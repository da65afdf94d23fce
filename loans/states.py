"""The move tables of the loans line's status fields. Every change of them goes through
`fund.workflow.moves.move_status` with its table; services import these, never each other's helpers."""

from fund.workflow.moves import MoveTable

from .models import (
    ApplicationState,
    BatchState,
    CollectionBatch,
    ConstructionState,
    DeveloperRegistration,
    Disbursement,
    DisbursementState,
    Loan,
    LoanApplication,
    LoanStatus,
    MortgageRequest,
    MortgageRequestState,
    Project,
    ProjectState,
    RegistrationState,
    SubsidyRefund,
    SubsidyState,
)

A = ApplicationState

APPLICATION_MOVES = MoveTable(LoanApplication, noun="贷款申请", moves={
    # A developer's entry waits for the buyer to confirm it (or withdraw it).
    A.DRAFT: {A.SUBMITTED, A.WITHDRAWN},
    A.SUBMITTED: {A.REVIEWING, A.REJECTED, A.WITHDRAWN},
    A.REVIEWING: {A.APPROVED, A.REJECTED, A.WITHDRAWN},
    A.APPROVED: {A.SIGNED, A.WITHDRAWN},
    A.SIGNED: {A.MORTGAGED},
    A.MORTGAGED: {A.DISBURSING},
    A.DISBURSING: {A.DISBURSED},
})

LOAN_MOVES = MoveTable(Loan, field="status", noun="贷款", moves={
    LoanStatus.PENDING: {LoanStatus.ACTIVE},
    LoanStatus.ACTIVE: {LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF},
})

PROJECT_MOVES = MoveTable(Project, noun="楼盘", moves={
    ProjectState.PENDING: {ProjectState.ADMITTED, ProjectState.REFUSED},
    ProjectState.REFUSED: {ProjectState.ADMITTED},
    ProjectState.ADMITTED: {ProjectState.SUSPENDED},
    ProjectState.SUSPENDED: {ProjectState.ADMITTED},
})

# 建设状态 only goes forward; each step is a StatusChange row, so the project keeps its construction history.
CONSTRUCTION_MOVES = MoveTable(Project, field="construction", noun="楼盘建设", moves={
    ConstructionState.UNBUILT: {ConstructionState.BUILDING, ConstructionState.BUILT},
    ConstructionState.BUILDING: {ConstructionState.BUILT},
})

REGISTRATION_MOVES = MoveTable(DeveloperRegistration, noun="开发企业注册申请", moves={
    RegistrationState.PENDING: {RegistrationState.APPROVED, RegistrationState.REFUSED},
})

DISBURSEMENT_MOVES = MoveTable(Disbursement, noun="放款", moves={
    # 财务's release pays at once when the fund's liquidity allows, or queues (轮候) in order of approval.
    DisbursementState.NOTICED: {DisbursementState.PAYING, DisbursementState.QUEUED},
    DisbursementState.QUEUED: {DisbursementState.PAYING},
    DisbursementState.PAYING: {DisbursementState.PAID},
})

BATCH_MOVES = MoveTable(CollectionBatch, noun="批量扣款批次", moves={
    BatchState.BUILT: {BatchState.SENT},
    BatchState.SENT: {BatchState.APPLIED},
})

SUBSIDY_MOVES = MoveTable(SubsidyRefund, noun="贴息退付", moves={
    SubsidyState.PAYING: {SubsidyState.PAID},
})

# A bundle's mortgage registration request: sent once, answered once (registered, or refused by the registry);
# cancelled unsent, or released once registered, when its application is refused or withdrawn.
MORTGAGE_REQUEST_MOVES = MoveTable(MortgageRequest, noun="抵押登记申请", moves={
    MortgageRequestState.PENDING: {MortgageRequestState.REGISTERED, MortgageRequestState.REFUSED,
                                   MortgageRequestState.CANCELLED},
    MortgageRequestState.REGISTERED: {MortgageRequestState.RELEASED},
})
