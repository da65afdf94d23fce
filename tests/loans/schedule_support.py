"""A loan with a history, for the schedule's pages, export and API: 300 000 over 240 months at 2.6 % (等额本息),
disbursed 2026-03-20 with repayment day 20, so the instalments of April … December 2026 are stored and the rest
projected. Instalments 1 and 2 are paid on their due days through the posting path; instalment 3 (2026-06-20) is
left unpaid and marked overdue as the nightly close would. The clock stands at 2026-06-25: five days late.

`member_b` (ln.world.account_b's holder) is the loan's co-borrower."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from loans.allocation import allocate
from loans.models import CoBorrower, Instalment, InstalmentState, RepaymentChannel
from loans.services.repayment_posting import Sources, loan_locked, owing_rows, repayment_post

TODAY = date(2026, 6, 25)


def pay_on_due_day(loan: Any, number: int) -> None:
    inst = Instalment.objects.get(loan=loan, number=number)
    with transaction.atomic():
        locked = loan_locked(loan)
        rows = owing_rows(locked, inst.due_on)
        amount = inst.principal + inst.interest
        repayment_post(loan=locked, on=inst.due_on, rows=rows, allocation=allocate(amount, [o for _, o in rows]),
                       sources=Sources(from_card=amount), channel=RepaymentChannel.COUNTER,
                       idempotency_key=f"tests.schedule:{loan.pk}:{number}")


def loan_with_history(ln: Any) -> Any:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    pay_on_due_day(loan, 1)
    pay_on_due_day(loan, 2)
    Instalment.objects.filter(loan=loan, number=3).update(state=InstalmentState.OVERDUE)
    CoBorrower.objects.create(application=loan.application, person=ln.world.account_b.person,
                              account=ln.world.account_b, relation="spouse", monthly_income=Decimal("5000.00"))
    loan.refresh_from_db()
    return loan
