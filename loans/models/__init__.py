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
from .loans import IouDelivery, Loan, LoanStatus
from .projects import ConstructionState, Project, ProjectState

__all__ = [
    "ApplicationState", "Channel", "CoBorrower", "ConstructionState", "Disbursement", "DisbursementState", "HomeKind",
    "HomeOrder", "IouDelivery", "Loan", "LoanApplication", "LoanStatus", "PayeeKind", "Product", "Project", "ProjectState",
    "Relation", "RepaymentMethod",
]
