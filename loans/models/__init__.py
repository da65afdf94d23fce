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
from .projects import ConstructionState, Project, ProjectState

__all__ = [
    "ApplicationState", "Channel", "CoBorrower", "ConstructionState", "HomeKind", "HomeOrder", "IouDelivery", "Loan",
    "LoanApplication", "LoanDocument", "LoanStatus", "Product", "Project", "ProjectState", "Relation", "RepaymentMethod",
]
