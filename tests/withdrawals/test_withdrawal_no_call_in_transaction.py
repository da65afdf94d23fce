"""Withdrawals ask outside systems only with no transaction open: signing a standing instruction asks the credit
bureau, the marriage registry and the bank first and then records under the account's lock; a decision whose
registry is down keeps that answer for the checks it repeats under its locks instead of asking again there."""

from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS

from fund.integrations.models import IntegrationCall
from fund.transactions import in_business_transaction
from tests.withdrawals.conftest import submit_decided
from withdrawals.loans import housing_loans
from withdrawals.models import StandingState, WithdrawalState
from withdrawals.services import standing_sign

pytestmark = pytest.mark.django_db

CERT = "鲁(2026)示范市不动产权第0000901号"


@pytest.fixture
def asked_in_transaction(monkeypatch: Any) -> list[bool]:
    """For each outside operation, whether a business transaction was open around it (what the integration
    guard asks; it refuses when True)."""
    from fund.integrations import base

    answers: list[bool] = []

    def recording(using: str = DEFAULT_DB_ALIAS) -> bool:
        answers.append(in_business_transaction(using))
        return answers[-1]

    monkeypatch.setattr(base, "in_business_transaction", recording)
    return answers


def test_signing_a_standing_instruction_asks_the_bureau_the_registry_and_the_bank_before_its_transaction(
    wd, asked_in_transaction
):
    wd.spouse()  # the registry names a spouse, so the household's loans are looked up for both
    wd.commercial_loan(instalment="2600.00")
    key = housing_loans(wd.person.id_number)[0].key
    asked_in_transaction.clear()
    IntegrationCall.objects.all().delete()

    instruction = standing_sign(actor=wd.world.member_a, account=wd.account, loan=key, payee_card=wd.card, day=5)

    assert instruction.state == StandingState.ACTIVE and instruction.monthly_amount == 2600
    asked = set(IntegrationCall.objects.values_list("system", "operation"))
    assert {("credit", "report"), ("marriage", "status"), ("bank", "verify_account")} <= asked
    assert asked_in_transaction and not any(asked_in_transaction)


def test_a_decision_whose_registry_is_down_asks_it_once_and_never_under_its_locks(
    wd, settings, django_capture_on_commit_callbacks, asked_in_transaction
):
    wd.home(wd.person.id_number, CERT, price="30000.00")
    settings.FUND_INTEGRATIONS_OVERRIDES = {"property": "http"}  # the HTTP client with no address: unavailable
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""

    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                       reason="01", details={"certificate_number": CERT})

    # The rule and the limit both read the registry; the limit is read again under the home's lock.
    assert w.state == WithdrawalState.REVIEW, w.decision_note
    assert "home" in {c.rule for c in w.checks.all() if not c.passed}
    assert IntegrationCall.objects.filter(system="property").count() == 1
    assert asked_in_transaction and not any(asked_in_transaction)
