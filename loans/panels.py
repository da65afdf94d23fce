from typing import Any

from django.http import HttpRequest

from fund.people.selectors import scoped
from fund.portals.panels import register_panel

from .models import Loan, LoanStatus, Project
from .selectors.projects import projects_public


@register_panel("developer", order=10, template="loans/panels/developer_projects.html")
def developer_projects(request: HttpRequest) -> dict[str, Any]:
    projects = scoped(Project.objects.all(), request.user, developer="developer").order_by("name")
    return {"developer": request.roles.developer, "projects": projects}


@register_panel("bank", order=10, template="loans/panels/bank_outlet.html")
def bank_outlet(request: HttpRequest) -> dict[str, Any]:
    # The outlet takes applications for off-plan homes only in admitted projects: it sees the public list.
    projects = projects_public()
    return {"bank": request.roles.bank, "projects": projects}


@register_panel("member", order=30, template="loans/member/panel.html")
def member_loan(request: HttpRequest) -> dict[str, Any]:
    """The member's latest loan here with what is due next and its progress (nothing when they have none)."""
    from .views.loan import loan_card

    loan = (scoped(Loan.objects.select_related("sub_account"), request.user, person="borrower")
            .exclude(status=LoanStatus.CLOSED).order_by("-id").first())
    return {"item": loan_card(loan, request.user) if loan is not None else None}
