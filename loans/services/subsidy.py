"""贴息 (Zhuzhou): the interest subsidy of low-income families, refunded yearly to the borrower's card.

`subsidy_run(year)` refunds, for every loan marked eligible at origination (`Loan.subsidy`), the policy's share
(`loan_subsidy_ratio`, in force on the refund date) of the interest the borrower paid in `year` — the 还款明细's
current and overdue interest with a value date in that year; penalty interest is not subsidised. One
`SubsidyRefund` per loan and year (a unique constraint: a rerun finds it and creates nothing), paid through the
payments core (purpose `loans.subsidy`): the bank pays the card under the refund's reference, and only when it
has paid is the entry posted, Dr 贴息支出 502 / Cr 101, by the payments service; the refund then moves
支付中 → 已支付 (SUBSIDY_MOVES) and the borrower is texted. A refusal is retried and handed to 财务 by the
payments core. Nothing is refunded for a year without interest paid, nor to a loan without a repayment card.

The nightly close runs it in the first close of a year (`subsidy_step`, step `loans.subsidy`, on 1 January,
for the year before).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from fund.audit.services import audit_log
from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.money import ZERO, format_money, to_fen
from fund.payments.models import Payment, PaymentAttempt
from fund.payments.purposes import Purpose, register_purpose
from fund.payments.services import payment_create
from fund.policy.selectors import policy_value
from fund.workflow.moves import move_status

from ..models import Loan, LoanStatus, Repayment, SubsidyRefund, SubsidyState
from ..states import SUBSIDY_MOVES

PURPOSE = "loans.subsidy"
LOCK = "loans.subsidy"


def subsidy_reference(refund: SubsidyRefund) -> str:
    """The first payment attempt's bank reference (the bank's idempotency key): TX, the year, the refund."""
    return f"TX{refund.year}{refund.pk:010d}"


def interest_paid_by_loan(year: int) -> dict[int, Decimal]:
    """Interest (current and overdue, not penalty) paid in `year` on each eligible loan not yet refunded."""
    rows = (Repayment.objects.filter(loan__subsidy=True, value_date__year=year)
            .exclude(loan__subsidies__year=year)
            .values("loan_id").annotate(paid=Sum(F("interest") + F("overdue_interest"))).order_by("loan_id"))
    return {row["loan_id"]: row["paid"] for row in rows if row["paid"]}


def subsidy_run(year: int, *, on: date | None = None) -> dict[str, int]:
    """Refund `year`'s subsidy of every eligible loan once; `on` is the refund date (1 January after `year`).
    Returns counts: refunds created, loans skipped for want of a repayment card."""
    on = on or date(year + 1, 1, 1)
    ratio = Decimal(policy_value("loan_subsidy_ratio", on))
    counts = {"refunds": 0, "no_card": 0}
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One run at a time: with the unique (loan, year) row a concurrent run would fail, not pay twice.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [LOCK])
        paid = interest_paid_by_loan(year)
        loans = Loan.objects.select_related("borrower").filter(pk__in=paid).exclude(status=LoanStatus.PENDING)
        for loan in loans.order_by("pk"):
            amount = to_fen(paid[loan.pk] * ratio)
            if amount <= ZERO:
                continue
            if not loan.repayment_card:
                counts["no_card"] += 1
                continue
            refund_create(loan=loan, year=year, interest_paid=paid[loan.pk], ratio=ratio, amount=amount)
            counts["refunds"] += 1
    return counts


def refund_create(*, loan: Loan, year: int, interest_paid: Decimal, ratio: Decimal, amount: Decimal) -> SubsidyRefund:
    """One loan's refund and its payment (in the caller's transaction; the payment is sent after commit)."""
    refund = SubsidyRefund.objects.create(loan=loan, year=year, interest_paid=interest_paid, ratio=ratio,
                                          amount=amount, card=loan.repayment_card)
    attempt = payment_create(
        purpose=PURPOSE, subject=refund, subject_label=f"贴息退付 {year}年 {loan.contract_number} {loan.borrower.name}",
        amount=amount, payee_account=loan.repayment_card, payee_name=loan.borrower.name,
        reference=subsidy_reference(refund), business_type=BusinessType.DK_OTHER,
        ledger_reference=f"loans.loan:{loan.contract_number}", memo=f"公积金贷款{year}年度贴息 {loan.contract_number}",
        branch=loan.branch,
    )
    SubsidyRefund.objects.filter(pk=refund.pk).update(payment=attempt.payment)
    refund.payment = attempt.payment
    audit_log(actor=None, action="loans.subsidy.created", target=refund,
              new={"loan": loan.contract_number, "year": year, "interest_paid": interest_paid, "subsidy_ratio": ratio,
                   "amount": amount, "reference": attempt.reference})
    return refund


def subsidy_step(business_date: date) -> dict[str, int]:
    """Close step `loans.subsidy`: the first close of a year (1 January) refunds the year before."""
    if (business_date.month, business_date.day) != (1, 1):
        return {}
    return subsidy_run(business_date.year - 1, on=business_date)


# ---- the purpose: what a paid or refused payment does to the refund ----------------------------------------------

def _locked(payment: Payment) -> SubsidyRefund:
    return (SubsidyRefund.objects.select_for_update(of=("self",)).select_related("loan__borrower")
            .get(pk=payment.subject_id))


def _paid(payment: Payment, attempt: PaymentAttempt) -> None:
    refund = _locked(payment)
    move_status(refund, SubsidyState.PAID, table=SUBSIDY_MOVES, action="loans.subsidy.paid", actor=None,
                note={"reference": attempt.reference, "bank_serial": attempt.bank_serial, "amount": attempt.amount},
                paid_at=timezone.now())
    phone = refund.loan.borrower.phone
    if phone:
        from fund.people.tasks import send_sms

        text = (f"【{settings.FUND_CENTRE_NAME}】您的住房公积金贷款（合同 {refund.loan.contract_number}）{refund.year}年度贴息"
                f"{format_money(attempt.amount)}元已退付至尾号{refund.card[-4:]}的还款账户。")
        transaction.on_commit(lambda: send_sms.delay(phone, text), robust=True)


def _refused(payment: Payment, attempt: PaymentAttempt) -> None:
    """Nothing was set aside (the entry is posted only when paid): the refusal is on the refund's record; the
    payments core retries it, then hands it to 财务."""
    refund = _locked(payment)
    audit_log(actor=None, action="loans.subsidy.refused", target=refund,
              new={"reference": attempt.reference, "reason": attempt.reason})
    return None


register_purpose(Purpose(code=PURPOSE, label="贴息退付", debit_account=chart.SUBSIDY_EXPENSE, on_paid=_paid,
                         on_refused=_refused))


__all__ = ["PURPOSE", "interest_paid_by_loan", "refund_create", "subsidy_run", "subsidy_step"]
