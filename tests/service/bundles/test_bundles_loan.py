"""贷款+不动产抵押登记一件事 (YJS-03): the loan application and the mortgage registration request in one application,
the request sent to the property registry after commit and never filed twice; a refusal of either part, at its
check or in the transaction, writes nothing and names the part and the field."""

from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from fund.bundles.definitions import LOAN_MORTGAGE
from fund.bundles.registry import bundle_missing_parts
from fund.bundles.services import bundle_run
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

# The loans world's borrower has deposited 2025-02 … 2026-01: on this day that is "up to last month".
DAY = date(2026, 2, 10)


def _form(ln: Any, **overrides: Any) -> dict[str, Any]:
    """An off-plan home in the world's admitted project under construction: a pre-mortgage on its contract."""
    values = dict(project=ln.project.name, home_address="示范市北湖新区湖畔路88号2栋1502室",
                  purchase_contract="WQ2026000777", price="1000000.00", area="110.00", monthly_income="12000.00",
                  amount_requested="200000.00", term_months="240")
    values.update(overrides)
    return values


def _counts() -> dict[str, int]:
    """Rows of every table but the outside-call log (the checks ask outside systems before the transaction)."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.managed and not m._meta.proxy and m._meta.label != "integrations.IntegrationCall"}


def _registry_filings() -> int:
    from fund.integrations.models import IntegrationCall

    return IntegrationCall.objects.filter(system="property", operation__startswith="register_").count()


def _sending(monkeypatch: Any) -> list[int]:
    """The send task runs its service at once, as the worker would, and records the requests it was given."""
    from loans import tasks
    from loans.services.mortgage_request import mortgage_request_send

    sent: list[int] = []

    def delay(request_id: int) -> None:
        sent.append(request_id)
        mortgage_request_send(request_id)

    monkeypatch.setattr(tasks.mortgage_request_send_task, "delay", delay)
    return sent


def test_it_files_the_loan_and_the_mortgage_request_in_one_application_and_asks_the_registry_once_after_commit(
        ln: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from fund.integrations.models import SandboxMortgage
    from fund.tracking.models import Application
    from loans.models import LoanApplication, MortgageRequest
    from loans.services.mortgage_request import mortgage_request_send

    assert bundle_missing_parts(LOAN_MORTGAGE) == [] and set(LOAN_MORTGAGE.portals) == {"member", "staff"}
    sent = _sending(monkeypatch)
    with travel_to(DAY):
        with django_capture_on_commit_callbacks(execute=True):
            run = bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln), client_token="loan-1")
            # Filed in the bundle's transaction, not yet sent: the registry is asked only once it committed.
            assert sent == [] and _registry_filings() == 0
        application = LoanApplication.objects.get(borrower=ln.person)
        request = MortgageRequest.objects.get(application=application)
        assert sent == [request.pk] and _registry_filings() == 1
        assert (request.state, request.kind, request.amount) == ("registered", "pre", application.amount_requested)
        filed = SandboxMortgage.objects.get(reference=request.reference)
        assert filed.mortgage_number == request.mortgage_number and filed.home.purchase_contract == "WQ2026000777"
        assert (application.channel, application.state) == ("online", "submitted")
        parts = {p.code: p for p in run.parts.all()}
        assert parts["loans.application"].subject_id == application.pk
        assert parts["loans.mortgage_request"].subject_id == request.pk
        assert Application.objects.filter(kind="bundles.run", source_number=run.number).count() == 1
        # Sent again (a retried task) and the same form again: nobody is asked, nothing is filed twice.
        mortgage_request_send(request.pk)
        again = bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln), client_token="loan-1")
    assert again.pk == run.pk and _registry_filings() == 1
    assert LoanApplication.objects.filter(borrower=ln.person).count() == 1 and SandboxMortgage.objects.count() == 1


def test_a_send_retried_after_the_registry_answered_gets_the_first_registration_back(
        ln: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from fund.integrations.models import SandboxMortgage
    from loans.models import MortgageRequest
    from loans.services import mortgage_request as service

    monkeypatch.setattr("loans.tasks.mortgage_request_send_task.delay", lambda request_id: None)
    with travel_to(DAY):
        with django_capture_on_commit_callbacks(execute=True):
            bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln))
        request = MortgageRequest.objects.get(application__borrower=ln.person)

        def crash(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("worker lost between the registry's answer and our commit")

        with monkeypatch.context() as patched:
            patched.setattr(service, "_answer", crash)
            with pytest.raises(RuntimeError):
                service.mortgage_request_send(request.pk)
        service.mortgage_request_send(request.pk)
    request.refresh_from_db()
    assert request.state == "registered" and request.attempts == 2
    assert list(SandboxMortgage.objects.values_list("mortgage_number", flat=True)) == [request.mortgage_number]


def test_registering_after_signing_records_the_bundles_registration_without_filing_again(
        ln: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from django.utils import timezone

    from fund.integrations.models import SandboxMortgage
    from loans.models import LoanApplication, MortgageRequest
    from loans.services.mortgage import mortgage_register

    _sending(monkeypatch)
    with travel_to(DAY):
        with django_capture_on_commit_callbacks(execute=True):
            bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln))
        request = MortgageRequest.objects.get(application__borrower=ln.person)
        LoanApplication.objects.filter(pk=request.application_id).update(
            state="signed", approved_amount=request.amount, rate="2.600", accepted_at=timezone.now())
        loan = ln.loan(application=LoanApplication.objects.get(pk=request.application_id))
        with django_capture_on_commit_callbacks(execute=True):
            loan = mortgage_register(actor=ln.world.clerk, loan=loan)
    assert (loan.mortgage_kind, loan.mortgage_number) == ("pre", request.mortgage_number)
    assert SandboxMortgage.objects.count() == 1


def test_it_writes_nothing_when_the_registry_shows_the_home_already_pledged(ln: Any) -> None:
    from django.conf import settings

    from fund.integrations.models import SandboxHome, SandboxMortgage

    home = SandboxHome.objects.create(purchase_contract="WQ2026000777", owner_id_numbers=[ln.person.id_number],
                                      address="示范市北湖新区湖畔路88号2栋1502室", city_code=settings.FUND_CITY_CODE,
                                      area="110.00", price="1000000.00", registered_on=date(2025, 6, 1))
    SandboxMortgage.objects.create(home=home, mortgage_number="鲁(2025)示范市不动产证明第0000001号", kind="pre",
                                   mortgagee="某银行", amount="500000.00", reference="bank-1")
    before = _counts()
    with travel_to(DAY), pytest.raises(ValidationError) as refused:
        bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln))
    assert refused.value.message_dict == {
        "purchase_contract": ["不动产抵押登记申请：不动产登记系统显示该房屋已有未注销的抵押登记，不能再办理抵押登记"]}
    assert _counts() == before


def test_it_rolls_the_loan_application_back_when_the_mortgage_part_refuses_in_the_transaction(
        ln: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from loans import bundles

    def refuse(**kwargs: Any) -> Any:
        raise ValidationError({"mortgage": ["登记机构暂停受理该楼盘"]})

    monkeypatch.setattr(bundles, "mortgage_request_file", refuse)
    before = _counts()
    with travel_to(DAY), django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as refused:
            bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln))
    assert refused.value.message_dict == {"mortgage": ["不动产抵押登记申请：登记机构暂停受理该楼盘"]}
    assert _counts() == before and callbacks == []


def test_it_refuses_bad_input_naming_the_part_and_the_field(ln: Any) -> None:
    before = _counts()
    with travel_to(DAY):
        with pytest.raises(ValidationError) as refused:
            bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln, amount_requested=""))
        assert refused.value.message_dict["amount_requested"] == ["住房公积金贷款申请：请填写申请金额"]
        with pytest.raises(ValidationError) as refused:
            bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln, purchase_contract=""))
        assert refused.value.message_dict == {
            "purchase_contract": ["不动产抵押登记申请：期房办理抵押权预告登记须填写购房合同/网签备案号"]}
    assert _counts() == before


def test_the_window_accepts_the_loan_on_the_spot_for_an_account_of_its_branch_only(
        ln: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from loans.catalogue import item_for
    from loans.models import LoanApplication

    monkeypatch.setattr("loans.tasks.mortgage_request_send_task.delay", lambda request_id: None)
    paper = [m.code for m in item_for("new").paper_materials if not m.condition]
    inputs = _form(ln, account_number=ln.account.number, materials=paper)
    with travel_to(DAY):
        with pytest.raises(ValidationError) as refused:  # a clerk of another branch: not an account they may name
            bundle_run(actor=ln.world.clerk_b, code="YJS-03", inputs=inputs)
        assert "account_number" in refused.value.message_dict
        with django_capture_on_commit_callbacks(execute=True):
            run = bundle_run(actor=ln.world.clerk, code="YJS-03", inputs=inputs)
    application = LoanApplication.objects.get(borrower=ln.person)
    assert (application.channel, application.state, application.visits) == ("window", "reviewing", 1)
    assert run.channel == "window" and run.submitted_by == ln.world.clerk


def test_a_withdrawn_application_releases_its_registration_or_never_sends_its_request(
        ln: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from fund.integrations.models import SandboxMortgage
    from loans import tasks
    from loans.models import MortgageRequest
    from loans.services.applications import application_withdraw
    from loans.services.mortgage_request import mortgage_request_release, mortgage_request_send

    _sending(monkeypatch)
    monkeypatch.setattr(tasks.mortgage_request_release_task, "delay", mortgage_request_release)
    member = ln.world.member_a
    with travel_to(DAY):
        with django_capture_on_commit_callbacks(execute=True):
            bundle_run(actor=member, code="YJS-03", inputs=_form(ln))
        first = MortgageRequest.objects.get(application__borrower=ln.person)
        with django_capture_on_commit_callbacks(execute=True):
            application_withdraw(actor=member, application=first.application)
        first.refresh_from_db()
        assert first.state == "released"
        assert SandboxMortgage.objects.get(reference=first.reference).released_at is not None
        # Withdrawn before its request went out: the send finds it ended and asks nobody.
        monkeypatch.setattr(tasks.mortgage_request_send_task, "delay", lambda request_id: None)
        with django_capture_on_commit_callbacks(execute=True):
            bundle_run(actor=member, code="YJS-03", inputs=_form(ln, purchase_contract="WQ2026000778"))
        second = MortgageRequest.objects.exclude(pk=first.pk).get()
        with django_capture_on_commit_callbacks(execute=True):
            application_withdraw(actor=member, application=second.application)
        filings = _registry_filings()
        assert mortgage_request_send(second.pk).state == "cancelled"
    assert _registry_filings() == filings and not SandboxMortgage.objects.filter(reference=second.reference).exists()


def test_a_request_whose_send_was_lost_is_sent_by_the_next_nights_close_once(
        ln: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from datetime import timedelta

    from loans.close import registry_followup_step
    from loans.models import MortgageRequest

    monkeypatch.setattr("loans.tasks.mortgage_request_send_task.delay", lambda request_id: None)  # lost
    with travel_to(DAY):
        with django_capture_on_commit_callbacks(execute=True):
            bundle_run(actor=ln.world.member_a, code="YJS-03", inputs=_form(ln))
    request = MortgageRequest.objects.get(application__borrower=ln.person)
    assert request.state == "pending" and request.attempts == 0
    assert registry_followup_step(DAY)["requests"] == 0  # filed today: its own send may still be on its way
    sent = _sending(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        assert registry_followup_step(DAY + timedelta(days=1))["requests"] == 1
    request.refresh_from_db()
    assert sent == [request.pk] and request.state == "registered" and _registry_filings() == 1
    with django_capture_on_commit_callbacks(execute=True):  # the next night: nothing waits any more
        assert registry_followup_step(DAY + timedelta(days=2)) == {"requests": 0, "request_releases": 0,
                                                                   "loan_releases": 0}
