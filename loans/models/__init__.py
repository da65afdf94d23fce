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
from .disbursement import Disbursement, DisbursementState, PayeeKind
from .documents import LoanDocument
from .loans import IouDelivery, Loan, LoanStatus
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

__all__ = [
    "ApplicationState", "Building", "Channel", "CoBorrower", "ConstructionState", "DeveloperRegistration",
    "Disbursement", "DisbursementState", "HomeKind", "HomeOrder", "InspectionResult", "IouDelivery", "Loan",
    "LoanApplication", "LoanDocument", "LoanStatus", "PayeeKind", "Product", "Project", "ProjectInspection",
    "ProjectState", "RegistrationState", "Relation", "RepaymentMethod",
]
