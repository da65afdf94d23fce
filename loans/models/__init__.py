"""Loans (贷款): projects and their admission, applications from every channel, and the loan accounts."""

from .applications import (
    ApplicationState,
    Channel,
    CoBorrower,
    HomeKind,
    HomeOrder,
    LoanApplication,
    Product,
    Relation,
    RepaymentMethod,
)
from .collection import BatchState, CollectionBatch, CollectionItem, ItemState
from .disbursement import Disbursement, DisbursementState, PayeeKind
from .documents import LoanDocument
from .loans import IouDelivery, Loan, LoanStatus
from .mortgage_requests import MortgageRequest, MortgageRequestState
from .projects import (
    Building,
    ConstructionState,
    DeveloperRegistration,
    InspectionResult,
    Project,
    ProjectInspection,
    ProjectState,
    RegistrationState,
)
from .repayment import (
    OPEN_STATES,
    Instalment,
    InstalmentState,
    Repayment,
    RepaymentAgreement,
    RepaymentChannel,
    RepaymentKind,
    ScheduleSegment,
    SegmentReason,
)
from .subsidy import SubsidyRefund, SubsidyState

__all__ = [
    "OPEN_STATES", "BatchState", "CollectionBatch", "CollectionItem", "Instalment", "InstalmentState", "ItemState",
    "Repayment", "RepaymentAgreement", "RepaymentChannel", "RepaymentKind", "ScheduleSegment", "SegmentReason",
    "SubsidyRefund", "SubsidyState",
    "ApplicationState", "Building", "Channel", "CoBorrower", "ConstructionState", "DeveloperRegistration",
    "Disbursement", "DisbursementState", "HomeKind", "HomeOrder", "InspectionResult", "IouDelivery", "Loan",
    "LoanApplication", "LoanDocument", "LoanStatus", "PayeeKind", "Product", "Project", "ProjectInspection",
    "ProjectState", "RegistrationState", "Relation", "RepaymentMethod",
    "MortgageRequest", "MortgageRequestState",
]
