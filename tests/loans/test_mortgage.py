"""抵押/预抵押: the registry is asked outside any transaction with a reference derived from the loan, so a retry
gets the first registration; an off-plan home is pre-mortgaged and converted once completed; a refusal records
nothing."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS

from fund.audit.models import AuditEvent
from fund.integrations.models import IntegrationCall, SandboxMortgage
from fund.integrations.property import sandbox_certificate_issue
from fund.transactions import in_business_transaction
from loans.models import ConstructionState
from loans.services import mortgage as mortgage_service
from loans.services.mortgage import mortgage_convert, mortgage_register
from loans.services.signing import loan_sign

pytestmark = pytest.mark.django_db


def signed(ln: Any, application: Any) -> Any:
    return loan_sign(actor=ln.world.clerk, application=application, bank=ln.bank, repayment_day=20,
                     repayment_card=ln.card(application.borrower))


def second_hand(ln: Any) -> Any:
    application = ln.approved()
    ln.home([ln.person.id_number], application.certificate_number)
    return signed(ln, application)


def registrations() -> int:
    return IntegrationCall.objects.filter(system="property", operation__startswith="register").count()


def test_a_second_hand_home_is_mortgaged_and_the_application_moves_to_mortgaged(ln):
    loan = mortgage_register(actor=ln.world.clerk, loan=second_hand(ln))

    loan.refresh_from_db()
    assert loan.mortgage_kind == "mortgage" and loan.mortgage_number.startswith("不动产证明第")
    assert loan.mortgage_registered_at is not None and loan.application.state == "mortgaged"
    row = SandboxMortgage.objects.get(mortgage_number=loan.mortgage_number)
    assert (row.reference, row.amount) == (f"{loan.contract_number}-mortgage", loan.principal)


def test_a_mortgage_asked_again_returns_the_same_number_without_registering_again(ln):
    loan = mortgage_register(actor=ln.world.clerk, loan=second_hand(ln))
    again = mortgage_register(actor=ln.world.clerk, loan=loan)
    assert again.mortgage_number == loan.mortgage_number
    assert SandboxMortgage.objects.count() == 1 and registrations() == 1


def test_a_retry_after_the_registry_answered_and_our_commit_failed_gets_the_first_registration(ln, monkeypatch):
    loan = second_hand(ln)
    real = mortgage_service.move_status

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the process died after the registry answered")

    monkeypatch.setattr(mortgage_service, "move_status", crash)
    with pytest.raises(RuntimeError):
        mortgage_register(actor=ln.world.clerk, loan=loan)
    loan.refresh_from_db()
    assert loan.mortgage_number == "" and loan.application.state == "signed"  # nothing recorded

    monkeypatch.setattr(mortgage_service, "move_status", real)
    done = mortgage_register(actor=ln.world.clerk, loan=loan)
    assert SandboxMortgage.objects.count() == 1 and done.mortgage_number == SandboxMortgage.objects.get().mortgage_number


def test_an_off_plan_home_is_pre_mortgaged_then_converted_once_completed_and_certified(ln):
    application = ln.off_plan()
    loan = mortgage_register(actor=ln.world.clerk, loan=signed(ln, application))
    pre = loan.mortgage_number
    assert loan.mortgage_kind == "pre" and loan.application.state == "mortgaged"
    assert SandboxMortgage.objects.get(mortgage_number=pre).home.purchase_contract == application.purchase_contract

    with pytest.raises(ValidationError) as refused:  # still 在建
        mortgage_convert(actor=ln.world.clerk, loan=loan)
    assert "竣工" in refused.value.message_dict["construction"][0]
    ln.project.construction = ConstructionState.BUILT
    ln.project.save()
    with pytest.raises(ValidationError) as refused:  # built, the certificate not issued yet
        mortgage_convert(actor=ln.world.clerk, loan=loan)
    assert "尚未核发" in refused.value.message_dict["certificate_number"][0]

    sandbox_certificate_issue(purchase_contract=application.purchase_contract,
                              certificate_number="鲁(2028)示范市不动产权第0008801号")
    converted = mortgage_convert(actor=ln.world.clerk, loan=loan)

    converted.refresh_from_db()
    assert converted.mortgage_kind == "mortgage" and converted.mortgage_number != pre
    assert SandboxMortgage.objects.get(mortgage_number=pre).released_at is not None
    assert converted.application.certificate_number == "鲁(2028)示范市不动产权第0008801号"
    event = AuditEvent.objects.get(action="loans.loan.mortgage_converted")
    assert event.old["mortgage_number"] == pre and event.new["mortgage_number"] == converted.mortgage_number
    again = mortgage_convert(actor=ln.world.clerk, loan=converted)
    assert again.mortgage_number == converted.mortgage_number and registrations() == 2


def test_a_new_home_in_a_completed_project_is_mortgaged_on_the_certificate_the_registry_issued(ln):
    ln.project.construction = ConstructionState.BUILT
    ln.project.save()
    application = ln.off_plan()
    loan = signed(ln, application)
    with pytest.raises(ValidationError) as refused:  # no certificate anywhere yet
        mortgage_register(actor=ln.world.clerk, loan=loan)
    assert "certificate_number" in refused.value.message_dict
    ln.home([ln.person.id_number], "鲁(2027)示范市不动产权第0008802号")
    from fund.integrations.models import SandboxHome

    SandboxHome.objects.filter(certificate_number="鲁(2027)示范市不动产权第0008802号").update(
        purchase_contract=application.purchase_contract)
    loan = mortgage_register(actor=ln.world.clerk, loan=loan)
    assert loan.mortgage_kind == "mortgage"


def test_a_registry_that_refuses_leaves_nothing_recorded_and_says_why(ln):
    application = ln.approved()  # its certificate is unknown to the registry
    loan = signed(ln, application)
    with pytest.raises(ValidationError) as refused:
        mortgage_register(actor=ln.world.clerk, loan=loan)
    assert "不动产登记系统未办理" in refused.value.message_dict["mortgage"][0]
    assert "查无此不动产权证号" in refused.value.message_dict["mortgage"][0]
    loan.refresh_from_db()
    assert loan.mortgage_number == "" and loan.mortgage_kind == "" and loan.application.state == "signed"
    assert not AuditEvent.objects.filter(action="loans.loan.mortgaged").exists()


def test_a_home_already_mortgaged_elsewhere_is_refused(ln):
    application = ln.approved()
    home = ln.home([ln.person.id_number], application.certificate_number)
    SandboxMortgage.objects.create(home=home, mortgage_number="他行抵押-1", kind="mortgage", mortgagee="某银行",
                                   amount=1, reference="OTHER-BANK-1")
    with pytest.raises(ValidationError, match="未注销的抵押登记"):
        mortgage_register(actor=ln.world.clerk, loan=signed(ln, application))


def test_it_refuses_mortgage_by_a_reviewer_or_another_branch(ln):
    loan = second_hand(ln)
    with pytest.raises(PermissionDenied):
        mortgage_register(actor=ln.reviewer, loan=loan)
    with pytest.raises(PermissionDenied):
        mortgage_register(actor=ln.world.clerk_b, loan=loan)
    assert registrations() == 0


@pytest.fixture
def asked_in_transaction(monkeypatch: Any) -> list[bool]:
    from fund.integrations import base

    answers: list[bool] = []

    def recording(using: str = DEFAULT_DB_ALIAS) -> bool:
        answers.append(in_business_transaction(using))
        return answers[-1]

    monkeypatch.setattr(base, "in_business_transaction", recording)
    return answers


def test_signing_mortgage_and_conversion_ask_outside_systems_only_outside_their_transactions(ln, asked_in_transaction):
    from fund.people.models import Person
    from loans.models import CoBorrower

    application = ln.off_plan()
    CoBorrower.objects.create(application=application, person=Person.objects.get(pk=ln.world.account_b.person_id),
                              account=ln.world.account_b, relation="spouse")
    loan = mortgage_register(actor=ln.world.clerk, loan=signed(ln, application))
    ln.project.construction = ConstructionState.BUILT
    ln.project.save()
    sandbox_certificate_issue(purchase_contract=application.purchase_contract,
                              certificate_number="鲁(2028)示范市不动产权第0008803号")
    mortgage_convert(actor=ln.world.clerk, loan=loan)

    asked = list(IntegrationCall.objects.values_list("system", "operation"))
    assert asked.count(("credit", "report")) == 2
    assert {("property", "register_pre_mortgage"), ("property", "homes"), ("property", "register_mortgage")} <= set(asked)
    assert len(asked_in_transaction) >= 5 and not any(asked_in_transaction)
