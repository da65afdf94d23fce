"""The demo load (`manage.py demo_data`, run by scripts/run) goes through the real services as production does:
the withdrawals it makes ask the bank and the registries with no transaction open."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from fund.integrations.models import IntegrationCall, SandboxIdentity
from withdrawals.models import Withdrawal

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo loaded once for the module (the load is the slowest thing in the suite), inside a transaction
    rolled back after the module's last test; each test's own transaction nests in it and rolls back too. The
    block is marked as a test case's, as Django marks its own (fund.transactions: outside calls may run in it)."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block._from_testcase = True  # type: ignore[attr-defined]
        with block:
            call_command("demo_data", verbosity=0)
            yield
            transaction.set_rollback(True)


def test_the_demo_loads_its_withdrawals_through_the_services_with_no_outside_call_inside_a_transaction(demo):
    assert SandboxIdentity.objects.exists()  # the mark of a complete load
    assert Withdrawal.objects.count() >= 3  # three rents, and a purchase when a member has a home
    assert IntegrationCall.objects.filter(system="bank", operation="payout").exists()


def test_the_demo_has_loans_at_every_step_made_through_the_services_and_reconcile_passes(demo):
    from io import StringIO

    from fund.people.models import Developer, User
    from fund.workflow.services import work_items_for_user, work_open_item
    from loans.models import CoBorrower, DeveloperRegistration, Disbursement, Loan, LoanApplication, Project

    states = set(LoanApplication.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "reviewing", "approved", "signed", "mortgaged", "disbursed"} <= states
    reviewing = LoanApplication.objects.get(state="reviewing")
    item = work_open_item(reviewing)
    assert item is not None and item.step == "review"
    assert item in work_items_for_user(User.objects.get(username="review01"))  # 初审 waits in the reviewer's 待办
    assert Disbursement.objects.filter(state="queued").count() == 1  # 轮候: the money ran short
    assert Loan.objects.filter(status="active").count() == 3  # one disbursed today, two with a past
    assert CoBorrower.objects.filter(application__state="disbursed").exists()  # a couple borrowing together
    assert set(Project.objects.values_list("state", flat=True)) == {"admitted", "pending", "refused"}
    assert Project.objects.filter(state="admitted", buildings__isnull=False, inspections__isnull=False).exists()
    assert DeveloperRegistration.objects.filter(state="pending").exists() and Developer.objects.exists()
    _assert_loans_with_a_past()
    out = StringIO()
    call_command("reconcile", stdout=out)  # raises CommandError when Σ loan balances ≠ 委托贷款 (or any other)
    assert "对账平衡" in out.getvalue()


def _assert_loans_with_a_past() -> None:
    """One loan repaid on every due day, one with its last two instalments overdue, one paid off early; each with a
    stored schedule whose paid rows are posted repayments (so reconcile, run after, proves the money)."""
    from loans.models import Instalment, Loan, Repayment

    repaying = Loan.objects.filter(status="active", repayments__isnull=False).distinct()
    assert repaying.count() == 2
    on_time = repaying.get(periods_overdue=0)
    assert Instalment.objects.filter(loan=on_time, state="paid").count() >= 4
    assert not Instalment.objects.filter(loan=on_time, state="overdue").exists()
    late = repaying.get(periods_overdue=2)
    assert Instalment.objects.filter(loan=late, state="overdue").count() == 2 and late.overdue_since is not None
    closed = Loan.objects.get(status="closed")
    assert closed.sub_account.balance == 0 and Repayment.objects.filter(loan=closed, kind="prepay_full").count() == 1
    assert not Instalment.objects.filter(loan=closed, state__in=["pending", "overdue"]).exists()


def test_every_demo_application_is_on_the_register_of_applications(demo):
    """我的办件 shows the demo's applications: each line's rows are registered (fund.tracking's demo backfill)."""
    from django.contrib.contenttypes.models import ContentType

    from fund.tracking.models import Application
    from fund.tracking.registry import tracked_kinds

    for kind in tracked_kinds():
        rows = kind.model._default_manager.all()
        if kind.key == "withdrawals.withdrawal":
            rows = rows.filter(standing__isnull=True)  # a standing instruction's monthly run is no application
        registered = Application.objects.filter(subject_type=ContentType.objects.get_for_model(kind.model))
        assert registered.count() == rows.count(), kind.key
    assert Application.objects.filter(kind="withdrawals.withdrawal", person__isnull=False).exists()
    assert Application.objects.filter(kind="loans.application").exists()
