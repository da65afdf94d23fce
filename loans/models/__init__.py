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
    "ApplicationState", "Building", "Channel", "DeveloperRegistration", "InspectionResult", "ProjectInspection",
    "RegistrationState", "CoBorrower", "ConstructionState", "HomeKind", "HomeOrder", "IouDelivery", "Loan",
    "LoanApplication", "LoanDocument", "LoanStatus", "Product", "Project", "ProjectState", "Relation", "RepaymentMethod",
]
