"""Step 130 risk.warnings: the credit-bureau notice once per loan and overdue episode, and the monthly 贷后停缴
scan (a unit that stopped remitting after the loan, a self-employed borrower who stopped, and a near miss)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import F

import fund.people.tasks
from fund.people.models import Employer
from loans.models import Instalment
from risk.models import CreditNotice, StoppedDeposit
from risk.services.warnings import warnings_step
from tests.clock import travel_to
from tests.conftest import deposit_months
from tests.risk.conftest import loan_first_due, loans_closed_to

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)


@pytest.fixture
def texts(monkeypatch: Any) -> list[list[str]]:
    sent: list[list[str]] = []
    monkeypatch.setattr(fund.people.tasks.send_sms_many, "delay", lambda chunk: sent.extend(chunk))
    return sent


def night(on: date, capture: Any) -> dict[str, int]:
    loans_closed_to(on)
    with capture(execute=True):
        return warnings_step(on)


def test_it_sends_the_credit_bureau_notice_once_per_overdue_episode(
        ln: Any, texts: list[list[str]], django_capture_on_commit_callbacks: Any) -> None:
    with travel_to(date(2026, 8, 2)):
        loan = loan_first_due(ln, date(2026, 5, 2))  # 30 days overdue on D (the policy's default)
        assert night(D - timedelta(days=1), django_capture_on_commit_callbacks)["notices"] == 0
        assert night(D, django_capture_on_commit_callbacks)["notices"] == 1
        assert night(D, django_capture_on_commit_callbacks)["notices"] == 0  # the same night again
        assert night(D + timedelta(days=1), django_capture_on_commit_callbacks)["notices"] == 0
        notice = CreditNotice.objects.get()
        assert (notice.loan_id, notice.episode_since, notice.days_overdue, notice.cleared_on) == (
            loan.pk, date(2026, 5, 2), 30, None)
        assert len(texts) == 1 and texts[0][0] == ln.person.phone and "征信" in texts[0][1]
        assert loan.contract_number in texts[0][1]

        # Paid up: the episode ends; the next missed instalments open a new one with its own notice.
        paid_on = D + timedelta(days=2)
        Instalment.objects.filter(loan=loan, due_on__lt=paid_on).update(
            state="paid", principal_paid=F("principal"), interest_paid=F("interest"), paid_on=paid_on)
        assert night(paid_on, django_capture_on_commit_callbacks)["cleared"] == 1
        assert night(date(2026, 7, 31), django_capture_on_commit_callbacks)["notices"] == 0  # 29 days
        assert night(date(2026, 8, 1), django_capture_on_commit_callbacks)["notices"] == 1
    assert list(CreditNotice.objects.order_by("id").values_list("episode_since", "cleared_on")) == [
        (date(2026, 5, 2), paid_on), (date(2026, 7, 2), None)]
    assert len(texts) == 2


def test_it_lists_borrowers_whose_deposits_stopped_after_the_loan_once_a_month(
        ln: Any, texts: list[list[str]], django_capture_on_commit_callbacks: Any) -> None:
    world = ln.world
    with travel_to(date(2026, 8, 2)):
        stopped = loan_first_due(ln, date(2026, 2, 20))  # ln.account's deposits end in January 2026
        other = world.account_b
        remitting = loan_first_due(ln, date(2026, 2, 20), borrower=other.person)
        deposit_months(world.clerk_b, other, 1, start=date(2026, 4, 1))  # a near miss: April is paid
        assert night(D, django_capture_on_commit_callbacks)["stopped"] == 1
        assert night(D + timedelta(days=1), django_capture_on_commit_callbacks)["stopped"] == 0  # once a month
        row = StoppedDeposit.objects.get()
        assert (row.loan_id, row.kind, row.employer_id, row.last_month, row.month) == (
            stopped.pk, "unit", world.unit_a.employer_id, date(2026, 1, 1), D)

        # In August the window (May–July) misses April too; the 灵活就业 borrower is listed as self-employed.
        Employer.objects.filter(pk=other.unit.employer_id).update(is_special=True)
        assert night(date(2026, 8, 1), django_capture_on_commit_callbacks)["stopped"] == 2
    august = dict(StoppedDeposit.objects.filter(month=date(2026, 8, 1)).values_list("loan_id", "kind"))
    assert august == {stopped.pk: "unit", remitting.pk: "self_employed"}
