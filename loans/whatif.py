"""Loans' replayer for the policy what-if (fund.whatif): each loan application assessed in the period, its quota
worked again by `loans.services.assessment.estimate` (the four limits, the term limits, the rounding) from what
the application stored when it was assessed.

Stored inputs: the price, home kind, the home order the registry gave (a third home: none), household income,
the monthly debt the credit reports gave (after a 商转公's own instalment), the term, the building year, the
commercial balance a 商转公 pays off, the borrower's birth date and sex, the number of co-borrowers, and the
fund balances — these as the quota's own balance limit shows them (limit ÷ the multiple in force that day).
The day is the day it was assessed (submitted). The eligibility rules (credit, registry) are not replayed.

An application is 可贷 (approved) when its quota covers what was asked and people did not reject it; the money
it moves is what it lends: the approved amount, or the amount asked. Each is worked out twice, under the values
in force and under the draft, and the draft's answer replaces the recorded one only where the two differ.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from fund.money import ZERO, format_money
from fund.policy.selectors import policy_value
from fund.whatif.registry import (
    Decision,
    Period,
    ReplayRequest,
    ReplayResult,
    applicant_label,
    register_replayer,
)

from .models import ApplicationState, HomeOrder, LoanApplication, Product
from .services.assessment import estimate
from .services.quota import QuotaInput, QuotaResult

FEN = Decimal("0.01")


def applications_assessed(period: Period) -> list[int]:
    return list(LoanApplication.objects.filter(
        quota__isnull=False, created_at__date__gte=period.start, created_at__date__lte=period.end,
    ).order_by("created_at", "id").values_list("pk", flat=True))


def quota_input(application: LoanApplication, co_borrowers: int) -> QuotaInput | None:
    """The estimate's input as the application stored it; None when its quota detail lacks the balance limit."""
    on = timezone.localdate(application.created_at)
    detail = application.quota_detail if isinstance(application.quota_detail, dict) else {}
    limit = next((x for x in detail.get("limits", []) if isinstance(x, dict) and x.get("code") == "balance"), None)
    multiple = Decimal(policy_value("loan_balance_multiple", on=on))  # called outside the draft: that day's value
    if limit is None or not multiple:
        return None
    total = (Decimal(str(limit["amount"])) / multiple).quantize(FEN, ROUND_HALF_UP)
    conversion = (application.conversion_balance or ZERO) if application.product == Product.CONVERSION else None
    return QuotaInput(
        price=application.price, home_kind=application.home_kind, home_order=HomeOrder.FIRST,
        monthly_income=application.monthly_income, monthly_debt=application.monthly_debt, balances=[total],
        co_borrowers=co_borrowers, term_months=application.term_months, birth_date=application.borrower.birth_date,
        sex=application.borrower.sex, building_year=application.building_year, on=on, conversion_balance=conversion,
    )


def _lends(result: QuotaResult, asked: Decimal) -> Decision:
    return Decision.APPROVED if result.amount > 0 and result.amount >= asked else Decision.REFUSED


def _why(result: QuotaResult) -> str:
    if result.term_problems:
        return "；".join(result.term_problems)
    return f"受“{result.binding.label}”限制：{result.binding.explanation}"


def applications_replay(ids: Sequence[int], request: ReplayRequest) -> Iterator[ReplayResult]:
    rows = (LoanApplication.objects.filter(pk__in=ids).select_related("borrower")
            .annotate(co_count=Count("co_borrowers")).order_by("created_at", "id"))
    for application in rows:
        q = quota_input(application, application.co_count)
        if q is None:
            continue
        order = application.home_order or None
        base = estimate(q, order)
        with request.draft():
            draft = estimate(q, order)
        yield _result(application, base, draft)


def _result(a: LoanApplication, base: QuotaResult, draft: QuotaResult) -> ReplayResult:
    asked = a.amount_requested
    old_quota = a.quota or ZERO
    rejected = a.state == ApplicationState.REJECTED
    old = Decision.REFUSED if rejected or old_quota < asked or old_quota <= 0 else Decision.APPROVED
    old_lent = (a.approved_amount or asked) if old == Decision.APPROVED else ZERO
    new, new_quota, note = old, old_quota, ""
    if draft.amount != base.amount:
        new_quota, note = draft.amount, _why(draft)
    if _lends(draft, asked) != _lends(base, asked):
        new, note = _lends(draft, asked), _why(draft)
    new_lent = min(old_lent or asked, new_quota) if new == Decision.APPROVED else ZERO
    person = a.borrower
    return ReplayResult(
        subject=f"loans.loanapplication:{a.pk}", number=a.number, applicant=applicant_label(person.name, person.id_number),
        month=timezone.localdate(a.created_at), old_decision=old, old_amount=old_quota, new_decision=new,
        new_amount=new_quota, old_moved=old_lent, new_moved=new_lent,
        note=(f"可贷额度 {format_money(old_quota)} → {format_money(new_quota)} 元，申请 {format_money(asked)} 元；{note}"
              if note else ""),
    )


# Registered on import (loans' AppConfig.ready imports this module).
register_replayer(
    "loans", "贷款额度测算", subjects=applications_assessed, replay=applications_replay,
    policies=("loan_cap_single", "loan_cap_joint", "loan_balance_multiple", "loan_ratio_first", "loan_ratio_second",
              "loan_repayment_capacity_ratio", "loan_max_term_years"),
)
