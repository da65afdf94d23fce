"""Loans tests: the shared loan world (`ln`, tests/loan_world.py) and the disbursement helpers."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fund.demo import make_id_number
from tests.loan_world import Ln, ln  # noqa: F401  (the fixture, for every loans test)

# ---- disbursement helpers (L5) ---------------------------------------------------------------------------------

def mortgaged_loan(ln: Ln, *, amount: str = "600000.00", decided_at: Any = None, borrower: Any = None,
                   **application_fields: Any) -> Any:
    """A signed, mortgaged loan waiting for its disbursement notice; the application approved at `decided_at`.
    The borrower is `borrower` (e.g. ln.person) or a new person of their own, since a household has one
    application in flight (the application's account stays ln.account: disbursement never reads it)."""
    from fund.integrations.models import MortgageKind
    from fund.people.models import Person

    n = ln.next_seq()
    if borrower is None:
        number = make_id_number(birth=date(1988, 1, 2), seq=n)
        borrower = Person.objects.create(id_number=number, name=f"借款人{'甲乙丙丁戊己庚辛壬癸'[n % 10]}", sex="1",
                                         birth_date=date(1988, 1, 2), phone="13800000000", branch=ln.world.branch_a)
        ln.identity(number, borrower.name)
    money = Decimal(amount)
    application = ln.application(
        state="mortgaged", approved_amount=money, rate=Decimal("2.600"), borrower=borrower,
        household_key=borrower.id_number, decided_at=decided_at or timezone.now(), **application_fields,
    )
    return ln.loan(application=application, principal=money, mortgage_kind=MortgageKind.MORTGAGE,
                   mortgage_number=f"鲁(2026)示范市不动产证明第{n:07d}号", mortgage_registered_at=timezone.now())


def money_arrives(amount: Decimal | str, key: str) -> None:
    """Money comes into the fund's bank account (Dr 101 / Cr 暂收款 231): liquidity grows by `amount`."""
    from fund.ledger import chart
    from fund.ledger.models import BusinessType
    from fund.ledger.services import credit, debit, entry_post

    value = Decimal(amount)
    entry_post(business_type=BusinessType.GJ_OTHER, reference="tests.money", idempotency_key=f"tests.money:{key}",
               value_date=timezone.localdate(), legs=[debit(chart.BANK, value), credit(chart.SUSPENSE, value)],
               memo="测试到账")


def available_becomes(amount: Decimal | str, key: str) -> None:
    """Money arrives so that what may be lent now is exactly `amount` (it must be more than it is)."""
    from loans.services.disbursement import liquidity

    gap = Decimal(amount) - liquidity().available
    assert gap > 0, "the test world already has more money than the test wants"
    money_arrives(gap, key)


@pytest.fixture
def deposits_to_date(ln: Ln) -> Ln:
    """The loans world with the borrower's deposits carried up to this month (the test clock's), for tests that
    apply "now": the continuous-deposits rule counts back from the current or the last month."""
    from fund.dates import first_of_month

    ln.deposit_through(first_of_month(timezone.localdate()))
    return ln
