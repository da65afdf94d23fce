"""The documents of 合同面签: the loan contract (借款合同), the IOU (借据) and each borrower's credit report as it was
read at signing (征信报告, kept with the loan's file). Each is a fund.printing document rendered from the data
stored with it, with a verification code; the contexts are fixed here, at signing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from fund.audit.masking import mask_id_number
from fund.integrations.credit import CreditReport
from fund.integrations.models import LoanKind
from fund.money import amount_in_capitals, format_money
from fund.printing.models import Document
from fund.printing.services import document_request, register_document_kind

from .models import Loan, LoanDocument
from .schedule import first_due_on, instalments, summary

CONTRACT = "loans.contract"
IOU = "loans.iou"
CREDIT_REPORT = "loans.credit_report"

register_document_kind(CONTRACT, title="个人住房公积金借款合同", template="loans/pdf/contract.html")
register_document_kind(IOU, title="个人住房公积金贷款借据", template="loans/pdf/iou.html")
register_document_kind(CREDIT_REPORT, title="个人信用报告（贷款档案留存）", template="loans/pdf/credit_report.html")


def schedule_summary(loan: Loan) -> dict[str, Any]:
    """First payment, total interest, first due day and maturity, from loans.schedule. Before the money leaves the
    dates are reckoned as if it left on the signing day (the contract says so); after, from the disbursement."""
    disbursed = loan.disbursed_on or timezone.localtime(loan.signed_at).date()
    plan = instalments(principal=loan.principal, annual_rate_percent=loan.rate, months=loan.term_months,
                       method=loan.method, first_due=first_due_on(disbursed, loan.repayment_day), day=loan.repayment_day)
    s = summary(plan)
    return {
        "first_payment": s.first_payment, "last_payment": s.last_payment, "total_interest": s.total_interest,
        "total_payment": s.total_payment, "first_due_on": s.first_due_on, "maturity_on": s.maturity_on,
        "estimated": loan.disbursed_on is None, "plan": plan,
    }


def _terms(loan: Loan) -> dict[str, Any]:
    """What the contract and the IOU both print: who borrows how much on what terms."""
    application = loan.application
    s = schedule_summary(loan)
    years, months = divmod(loan.term_months, 12)
    return {
        "contract_number": loan.contract_number,
        "iou_number": loan.iou_number,
        "application_number": application.number,
        "borrower": loan.borrower.name,
        "borrower_id": mask_id_number(loan.borrower.id_number),
        "account_number": application.account.number,
        "lender": settings.FUND_CENTRE_NAME,
        "bank": str(loan.bank),
        "principal": format_money(loan.principal),
        "principal_capitals": amount_in_capitals(loan.principal),
        "rate": f"{loan.rate:.3f}",
        "term": f"{loan.term_months} 个月" + (f"（{years} 年{f'{months} 个月' if months else ''}）" if years else ""),
        "method": loan.get_method_display(),
        "repayment_day": loan.repayment_day,
        "first_payment": format_money(s["first_payment"]),
        "total_interest": format_money(s["total_interest"]),
        "total_payment": format_money(s["total_payment"]),
        "first_due_on": f"{s['first_due_on']:%Y年%m月%d日}",
        "maturity_on": f"{s['maturity_on']:%Y年%m月%d日}",
        "dates_estimated": s["estimated"],
        "signed_at": f"{timezone.localtime(loan.signed_at):%Y-%m-%d %H:%M}",
        "signed_branch": loan.signed_branch.name,
    }


def contract_context(loan: Loan) -> dict[str, Any]:
    application = loan.application
    return {
        **_terms(loan),
        "co_borrowers": [
            {"name": c.person.name, "id_number": mask_id_number(c.person.id_number), "relation": c.get_relation_display()}
            for c in application.co_borrowers.select_related("person").order_by("id")
        ],
        "product": application.get_product_display(),
        "home_kind": application.get_home_kind_display(),
        "home_address": application.home_address,
        "project": application.project.name if application.project else "",
        "certificate_number": application.certificate_number,
        "purchase_contract": application.purchase_contract,
        "price": format_money(application.price),
        "payee": application.project.payee_name if application.project else application.seller_name,
        "collateral": "预购商品房抵押权预告登记，房屋竣工办证后转为抵押登记" if _off_plan(loan) else "房屋抵押登记",
        "subsidy": "是" if loan.subsidy else "否",
    }


def _off_plan(loan: Loan) -> bool:
    from .services.mortgage import is_off_plan

    return is_off_plan(loan.application)


def iou_context(loan: Loan) -> dict[str, Any]:
    return _terms(loan)


def credit_report_context(report: CreditReport, *, name: str, role: str) -> dict[str, Any]:
    kinds = dict(LoanKind.choices)
    return {
        "name": name,
        "id_number": mask_id_number(report.id_number),
        "role": role,
        "report_number": report.report_number or "（无信贷记录）",
        "acceptable": "无不良记录" if report.acceptable else "有不良记录",
        "remark": report.remark,
        "loans": [
            {"lender": loan.lender, "kind": kinds.get(loan.kind, loan.kind), "for_housing": "是" if loan.for_housing else "否",
             "monthly_instalment": format_money(loan.monthly_instalment), "balance": format_money(loan.balance),
             "overdue_count": loan.overdue_count}
            for loan in report.loans
        ],
        "monthly_instalments": format_money(report.monthly_instalments),
        "call_id": report.call_id,
    }


def loan_document_file(*, loan: Loan, kind: str, document: Document) -> LoanDocument:
    """Keep `document` with the loan's file (once)."""
    return LoanDocument.objects.get_or_create(document=document, defaults={"loan": loan, "kind": kind})[0]


def signing_documents_issue(*, loan: Loan, reports: list[tuple[Any, str, CreditReport]], requested_by: Any) -> list[Document]:
    """The contract, the IOU and one credit report per borrower, filed with the loan; in the caller's transaction,
    rendered after it commits. `reports` are (person, role, report) read before the transaction."""
    issued = [
        (CONTRACT, document_request(kind=CONTRACT, context=contract_context(loan), requested_by=requested_by,
                                    subject=loan.borrower)),
        (IOU, document_request(kind=IOU, context=iou_context(loan), requested_by=requested_by, subject=loan.borrower)),
    ]
    for person, role, report in reports:
        issued.append((CREDIT_REPORT, document_request(
            kind=CREDIT_REPORT, context=credit_report_context(report, name=person.name, role=role),
            requested_by=requested_by, subject=person,
        )))
    for kind, document in issued:
        loan_document_file(loan=loan, kind=kind, document=document)
    return [document for _, document in issued]
