"""Every call, whatever the outcome, leaves one IntegrationCall row; results and errors carry its id."""

from decimal import Decimal

import pytest

from fund import integrations as systems
from fund.integrations.base import NotFound
from fund.integrations.models import IntegrationCall, SandboxInvoice, SandboxMarriage

pytestmark = pytest.mark.django_db


def test_every_system_logs_each_call_with_latency_and_returns_the_call_id(seeded, people):
    person = people[4].id_number
    invoice = SandboxInvoice.objects.first().invoice_number
    card = seeded.cards[person]
    calls = [
        ("identity", "lookup", lambda: systems.identity_registry().lookup(id_number=person)),
        ("identity", "family", lambda: systems.identity_registry().family(id_number=person)),
        ("marriage", "status", lambda: systems.marriage_registry().status(id_number=person)),
        ("property", "homes", lambda: systems.property_registry().homes(id_number=person)),
        ("tax", "invoice", lambda: systems.tax_bureau().invoice(invoice_number=invoice)),
        ("tax", "deed_tax", lambda: systems.tax_bureau().deed_tax(id_number=person)),
        ("social_insurance", "record", lambda: systems.social_insurance_bureau().record(id_number=person)),
        ("credit", "report", lambda: systems.credit_bureau().report(id_number=person)),
        ("bank", "payout", lambda: systems.entrusted_bank().payout(
            card_number=card, name=people[4].name, amount=Decimal("1.00"), reference="LOG-1")),
        ("sms", "send", lambda: systems.sms_gateway().send(phone="13905370004", text="测试")),
        ("transfer", "send_letter", lambda: systems.transfer_platform().send_letter(
            id_number=person, name=people[4].name, from_centre="外地中心", to_account_number="1", reference="LOG-2")),
    ]
    for system, operation, call in calls:
        result = call()
        row = IntegrationCall.objects.get(pk=result.call_id)
        assert (row.system, row.operation, row.backend, row.ok) == (system, operation, "sandbox", True)
        assert row.latency_ms > 0
        assert row.response is not None and "call_id" not in row.response
    assert IntegrationCall.objects.count() == len(calls)


def test_the_log_keeps_request_response_and_reference(seeded, people):
    person = people[7]
    result = systems.identity_registry().lookup(id_number=person.id_number)
    row = IntegrationCall.objects.get(pk=result.call_id)
    assert row.reference == person.id_number
    assert row.request == {"id_number": person.id_number}
    assert row.response["name"] == person.name
    assert row.response["birth_date"] == person.birth_date.isoformat()


def test_a_failed_call_is_logged_with_its_error_and_the_error_carries_the_call_id(db):
    with pytest.raises(NotFound) as exc:
        systems.identity_registry().lookup(id_number="370802199001011237")
    row = IntegrationCall.objects.get(pk=exc.value.call_id)
    assert not row.ok and row.response is None
    assert row.error == "公安系统中查无此身份证号码"
    assert row.latency_ms > 0


def test_an_sms_text_never_reaches_the_log(db):
    receipt = systems.sms_gateway().send(phone="13905370009", text="您的验证码为 975310")
    row = IntegrationCall.objects.get(pk=receipt.call_id)
    assert "975310" not in str(row.request)
    assert row.reference == "13905370009"


def test_a_helper_built_on_an_operation_logs_one_call(seeded):
    couple = SandboxMarriage.objects.first()
    check = systems.marriage_registry().is_spouse(id_number=couple.party_a, other_id_number=couple.party_b)
    assert check.is_spouse
    row = IntegrationCall.objects.get()
    assert row.pk == check.call_id and row.operation == "status"


def test_payout_log_reference_is_the_payment_reference(seeded, people):
    paid = systems.entrusted_bank().payout(
        card_number=seeded.cards[people[0].id_number], name=people[0].name, amount=Decimal("12.30"), reference="REF-9"
    )
    row = IntegrationCall.objects.get(pk=paid.call_id)
    assert row.reference == "REF-9"
    assert row.request["amount"] == "12.30"
    assert row.response["status"] == "succeeded"
