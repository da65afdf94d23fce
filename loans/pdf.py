"""The approval opinion (审批意见) of a decided loan application, printed with the centre's seal and a
verification code (Linyi); its context is fixed when it is requested."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.audit.masking import mask_id_number
from fund.money import amount_in_capitals, format_money
from fund.printing.models import Document
from fund.printing.services import document_request, register_document_kind
from fund.workflow.services import work_history

from .models import ApplicationState, LoanApplication

OPINION = "loans.approval_opinion"

register_document_kind(OPINION, title="住房公积金贷款审批意见", template="loans/pdf/approval_opinion.html")

DECIDED = (ApplicationState.APPROVED, ApplicationState.SIGNED, ApplicationState.MORTGAGED,
           ApplicationState.DISBURSING, ApplicationState.DISBURSED, ApplicationState.REJECTED)


def opinion_context(application: LoanApplication) -> dict[str, Any]:
    approved = application.approved_amount
    return {
        "number": application.number, "name": application.borrower.name,
        "id_number": mask_id_number(application.borrower.id_number), "channel": application.get_channel_display(),
        "home_kind": application.get_home_kind_display(), "home_order": application.get_home_order_display(),
        "home_address": application.home_address, "price": format_money(application.price),
        "amount_requested": format_money(application.amount_requested), "term_months": application.term_months,
        "quota": format_money(application.quota or 0), "approved": application.state != ApplicationState.REJECTED,
        "approved_amount": format_money(approved) if approved else "", "rate": str(application.rate or ""),
        "approved_capitals": amount_in_capitals(approved) if approved else "",
        "steps": [{"step": h.step_label, "decision": h.get_decision_display(), "opinion": h.opinion,
                   "at": f"{timezone.localtime(h.acted_at):%Y-%m-%d %H:%M}" if h.acted_at else ""}
                  for h in work_history(application) if h.decision],
        "decided_at": f"{timezone.localtime(application.decided_at):%Y-%m-%d %H:%M}" if application.decided_at else "",
        "note": application.decision_note,
    }


def opinion_request(*, application: LoanApplication, requested_by: Any) -> Document:
    if application.state not in DECIDED:
        raise ValidationError({"state": ["审批结束后才能打印审批意见"]})
    return document_request(kind=OPINION, context=opinion_context(application), requested_by=requested_by,
                            subject=application.borrower)
