"""Payoff (结清): the loan closes on a full prepayment, the mortgage release is asked of the registry once and
recorded (and retried after the registry was down), the borrower is texted, and the 结清证明 renders with a
verification code the public verify page accepts — only for a closed loan."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ValidationError

from fund.audit.models import AuditEvent
from fund.integrations import property_registry
from fund.integrations.base import Unavailable
from fund.integrations.models import MortgageKind, SandboxMortgage, SandboxSms
from fund.integrations.property import SandboxPropertyRegistry
from fund.printing.selectors import document_verify
from loans.models import Loan
from loans.services.payoff import ReleaseNotDone, mortgage_release, payoff_certificate_request
from loans.services.prepayment import prepay
from tests.clients import api
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

ON = date(2026, 4, 10)


def _mortgaged_loan(ln: Any) -> Any:
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20),
                          card_balance="400000.00")
    certificate = "鲁(2015)示范市不动产权第0000999号"
    ln.home([ln.person.id_number], certificate)
    registration = property_registry().register_mortgage(
        certificate_number=certificate, kind=MortgageKind.MORTGAGE, mortgagee="示范市住房公积金管理中心",
        amount=Decimal("300000.00"), reference=f"{loan.contract_number}-mortgage")
    Loan.objects.filter(pk=loan.pk).update(mortgage_kind=MortgageKind.MORTGAGE,
                                           mortgage_number=registration.mortgage_number)
    loan.refresh_from_db()
    return loan


def _pay_off(ln: Any, loan: Any, capture: Any, token: str = "payoff-0001") -> Any:
    with capture(execute=True):
        return prepay(actor=ln.world.member_a, loan=loan, amount=None, mode="full", source="card",
                      client_token=token, on=ON)


def test_a_paid_off_loan_asks_the_registry_to_release_its_mortgage_once(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    loan = _mortgaged_loan(ln)
    _pay_off(ln, loan, django_capture_on_commit_callbacks)
    loan.refresh_from_db()
    assert loan.status == "closed"
    assert loan.release_number == loan.mortgage_number and loan.release_call_id and loan.release_requested_at
    assert SandboxMortgage.objects.get(mortgage_number=loan.mortgage_number).released_at is not None
    assert AuditEvent.objects.filter(action="loans.loan.mortgage_released", target_id=str(loan.pk)).count() == 1
    assert SandboxSms.objects.filter(phone=ln.person.phone, text__contains="已于2026年04月10日结清").exists()
    # asked again (a redelivered task): nothing changes and the registry is not called
    calls = AuditEvent.objects.count()
    assert mortgage_release(loan.pk).release_number == loan.mortgage_number
    assert AuditEvent.objects.count() == calls


def test_a_registry_outage_is_recorded_and_the_release_retried(ln: Any, monkeypatch: Any,
                                                               django_capture_on_commit_callbacks: Any) -> None:
    from loans.tasks import mortgage_release_task

    loan = _mortgaged_loan(ln)

    def down(self: Any, *, mortgage_number: str) -> Any:
        raise Unavailable("不动产登记系统维护中")

    monkeypatch.setattr(SandboxPropertyRegistry, "release_mortgage", down)
    _pay_off(ln, loan, django_capture_on_commit_callbacks)  # the task's first attempt fails
    loan.refresh_from_db()
    failed = AuditEvent.objects.get(action="loans.loan.release_failed", target_id=str(loan.pk))
    assert failed.new["reason"] == "不动产登记系统维护中"
    assert loan.release_requested_at is not None and loan.release_number == ""
    with pytest.raises(Retry):  # the task asks to be retried (the test settings propagate it)
        mortgage_release_task.apply(args=[loan.pk])
    monkeypatch.undo()
    assert mortgage_release_task.apply(args=[loan.pk]).get() == loan.mortgage_number  # the retry succeeds
    loan.refresh_from_db()
    assert loan.release_number == loan.mortgage_number


def test_a_release_still_owed_stays_visible_until_the_registry_answers(ln: Any, monkeypatch: Any) -> None:
    loan = _mortgaged_loan(ln)
    Loan.objects.filter(pk=loan.pk).update(status="closed", closed_on=ON)

    def down(self: Any, *, mortgage_number: str) -> Any:
        raise Unavailable("不动产登记系统维护中")

    monkeypatch.setattr(SandboxPropertyRegistry, "release_mortgage", down)
    with pytest.raises(ReleaseNotDone) as not_done:
        mortgage_release(loan.pk)
    assert not_done.value.retry
    loan.refresh_from_db()
    assert loan.release_requested_at is not None and loan.release_number == ""
    monkeypatch.undo()
    assert mortgage_release(loan.pk).release_number == loan.mortgage_number


def test_it_refuses_a_payoff_certificate_for_a_loan_not_closed(ln: Any) -> None:
    loan = _mortgaged_loan(ln)
    with pytest.raises(ValidationError) as refused:
        payoff_certificate_request(loan=loan, requested_by=ln.world.member_a)
    assert "结清后" in refused.value.message_dict["loan"][0]
    with travel_to(ON):
        assert api(ln.world.member_a).get(f"/api/loans/{loan.pk}/payoff-certificate/").status_code == 400


def test_the_borrower_prints_a_verifiable_payoff_certificate(ln: Any,
                                                             django_capture_on_commit_callbacks: Any) -> None:
    loan = _mortgaged_loan(ln)
    _pay_off(ln, loan, django_capture_on_commit_callbacks)
    with travel_to(ON), django_capture_on_commit_callbacks(execute=True):
        answer = api(ln.world.member_a).get(f"/api/loans/{loan.pk}/payoff-certificate/")
    assert answer.status_code == 202, answer.content
    document = loan.documents.get(kind="loans.payoff_certificate").document
    document.refresh_from_db()
    assert document.status == "ready" and document.context["closed_on"] == "2026年04月10日"
    with document.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert document_verify(code=document.verification_code) == document


def test_the_staff_loan_page_shows_the_release_and_links_the_certificate(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.urls import reverse

    from tests.clients import page

    loan = _mortgaged_loan(ln)
    _pay_off(ln, loan, django_capture_on_commit_callbacks)
    shown = page(ln.world.clerk).get(reverse("staff:loan", args=[loan.pk])).content.decode()
    assert f"注销抵押：已办结（{loan.mortgage_number}）" in shown
    assert reverse("staff:loan-payoff-certificate", args=[loan.pk]) in shown
    assert reverse("staff:loan-prepay", args=[loan.pk]) not in shown  # closed: nothing left to prepay


def test_a_release_whose_task_was_lost_is_asked_by_the_next_nights_close(
        ln: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    from datetime import timedelta

    from loans import tasks
    from loans.close import registry_followup_step

    loan = _mortgaged_loan(ln)
    monkeypatch.setattr(tasks.mortgage_release_task, "delay", lambda loan_id: None)  # lost with its worker
    _pay_off(ln, loan, django_capture_on_commit_callbacks)
    loan.refresh_from_db()
    assert loan.status == "closed" and not loan.release_number and loan.release_requested_at is None
    monkeypatch.setattr(tasks.mortgage_release_task, "delay", lambda loan_id: mortgage_release(loan_id))
    with django_capture_on_commit_callbacks(execute=True):
        assert registry_followup_step(ON + timedelta(days=1))["loan_releases"] == 1
    loan.refresh_from_db()
    assert loan.release_number == loan.mortgage_number
    assert registry_followup_step(ON + timedelta(days=2))["loan_releases"] == 0
