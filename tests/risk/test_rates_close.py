"""The close's risk steps 110 risk.classification and 120 risk.overdue_rate over loans made overdue by the loans'
own close steps (tests/risk/conftest.py: loans_closed_to)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db.models import F, Sum

from fund.people.models import EntrustedBank
from loans.models import Instalment, Loan
from risk.models import LoanTier, OverdueRate, Tier, TierChange
from risk.selectors.tiers import tier_for_days
from risk.services.rates import classification_step, overdue_rate_step
from tests.clock import travel_to
from tests.risk.conftest import loan_first_due, loans_closed_to

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)


def test_tier_for_days_follows_the_policy_thresholds(reference_data: Any) -> None:
    assert [tier_for_days(n, D) for n in (0, 1, 90, 91, 180, 181, 360, 361)] == [
        Tier.NORMAL, Tier.ATTENTION, Tier.ATTENTION, Tier.SUBSTANDARD, Tier.SUBSTANDARD, Tier.DOUBTFUL,
        Tier.DOUBTFUL, Tier.LOSS]


def test_it_classifies_by_days_overdue_and_writes_history_only_on_change(ln: Any) -> None:
    with travel_to(D + timedelta(days=1)):
        loans = {days: loan_first_due(ln, D - timedelta(days=days)) for days in (30, 100, 200, 400)}
        loans[0] = loan_first_due(ln, date(2026, 6, 20))
        loans_closed_to(D)
        assert classification_step(D) == {"changed": 4}
        tiers = dict(LoanTier.objects.values_list("loan_id", "tier"))
        assert {days: tiers.get(loan.pk, "normal") for days, loan in loans.items()} == {
            0: "normal", 30: "attention", 100: "substandard", 200: "doubtful", 400: "loss"}
        assert TierChange.objects.filter(old_tier="normal").count() == 4

        # The same night again: nothing differs, nothing is written.
        assert classification_step(D) == {"changed": 0}
        assert TierChange.objects.count() == 4

        # The next night the 30-day loan is still 关注 (no row); 61 nights later it turns 次级 (one row).
        loans_closed_to(D + timedelta(days=1))
        assert classification_step(D + timedelta(days=1)) == {"changed": 0}
        later = D + timedelta(days=61)
        loans_closed_to(later)
        classification_step(later)
        change = TierChange.objects.get(loan=loans[30], on=later)
        assert (change.old_tier, change.new_tier, change.days_overdue) == ("attention", "substandard", 91)

        # Paid up: the loan is 正常 again the same night, with its history row.
        Instalment.objects.filter(loan=loans[100], state="overdue").update(
            state="paid", principal_paid=F("principal"), interest_paid=F("interest"), paid_on=later)
        loans_closed_to(later + timedelta(days=1))
        classification_step(later + timedelta(days=1))
        assert LoanTier.objects.get(loan=loans[100]).tier == "normal"
        assert TierChange.objects.filter(loan=loans[100]).order_by("on").last().new_tier == "normal"


def rate_of(overdue: Decimal, total: Decimal) -> Decimal:
    return (overdue / total).quantize(Decimal("0.0000000001"), rounding=ROUND_HALF_UP)


def test_it_computes_the_overdue_rate_of_a_crafted_portfolio_to_the_digit(ln: Any) -> None:
    with travel_to(D + timedelta(days=1)):
        other_bank = EntrustedBank.objects.create(code="BOC01", name="中国银行示范市分行")
        loan_first_due(ln, date(2026, 6, 20), principal="300000.00")  # current: not overdue
        late_a = loan_first_due(ln, date(2026, 4, 20), principal="123456.78")
        late_b = loan_first_due(ln, date(2026, 5, 20), principal="76543.21", borrower=ln.world.account_b.person)
        Loan.objects.filter(pk=late_b.pk).update(branch=ln.world.branch_b, bank=other_bank)
        closed = loan_first_due(ln, date(2026, 4, 20), principal="50000.00")
        Loan.objects.filter(pk=closed.pk).update(status="closed")
        loans_closed_to(D)

        idle_bank = EntrustedBank.objects.create(code="ICBC01", name="工商银行示范市分行")  # no loan yet

        assert overdue_rate_step(D)["rows"] == 6  # the centre, two branches, three banks
        assert overdue_rate_step(D)["rows"] == 5  # again: the five with loans rewritten, the idle one kept
        rows = {(r.scope, r.scope_id): r for r in OverdueRate.objects.filter(on=D)}
        assert len(rows) == 6
    idle = rows[("bank", idle_bank.pk)]  # a point in its series every day, all zeros
    assert (idle.loans, idle.loan_balance, idle.rate) == (0, Decimal("0"), Decimal("0"))

    centre = rows[("centre", 0)]
    total, overdue = Decimal("499999.99"), Decimal("199999.99")
    assert (centre.loans, centre.loan_balance, centre.overdue_loans, centre.overdue_balance, centre.borrowers) == (
        3, total, 2, overdue, 2)
    assert centre.rate == rate_of(overdue, total) == Decimal("0.3999999880")
    owed = Instalment.objects.filter(loan__in=[late_a, late_b], state="overdue").aggregate(
        p=Sum(F("principal") - F("principal_paid")))["p"]
    assert owed > 0 and centre.overdue_principal == owed

    branch_a, branch_b = rows[("branch", ln.world.branch_a.pk)], rows[("branch", ln.world.branch_b.pk)]
    assert (branch_a.loan_balance, branch_a.overdue_balance, branch_a.borrowers) == (
        Decimal("423456.78"), Decimal("123456.78"), 1)
    assert branch_a.rate == rate_of(Decimal("123456.78"), Decimal("423456.78"))
    assert (branch_b.rate, rows[("bank", other_bank.pk)].rate) == (Decimal("1"), Decimal("1"))
    assert rows[("bank", ln.bank.pk)].overdue_balance == Decimal("123456.78")
