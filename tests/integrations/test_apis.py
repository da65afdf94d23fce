"""GET /api/integrations/calls/: staff only, newest first, identifiers masked."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from fund.integrations import entrusted_bank, identity_registry
from fund.integrations.models import IntegrationCall

pytestmark = pytest.mark.django_db
URL = "/api/integrations/calls/"


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_it_rejects_anonymous_users(seeded):
    response = _client(None).get(URL)
    assert response.status_code in (401, 403)
    assert "results" not in response.json() and not isinstance(response.json(), list)


def test_it_rejects_a_login_without_a_staff_post(seeded, people, outsider):
    identity_registry().lookup(id_number=people[0].id_number)
    response = _client(outsider).get(URL)
    assert response.status_code == 403
    assert people[0].id_number[:6] not in response.content.decode()


def test_it_lists_recent_calls_for_staff_newest_first_and_masked(seeded, people, staff_user):
    person = people[1]
    identity_registry().lookup(id_number=person.id_number)
    paid = entrusted_bank().payout(
        card_number=seeded.cards[person.id_number], name=person.name, amount=Decimal("10.00"), reference="API-1"
    )

    response = _client(staff_user).get(URL)

    assert response.status_code == 200
    rows = response.json()
    assert [r["operation"] for r in rows] == ["payout", "lookup"]
    assert rows[0]["id"] == paid.call_id and rows[0]["reference"] == "API-1"
    assert rows[0]["request"]["card_number"] != seeded.cards[person.id_number]
    assert rows[0]["request"]["card_number"].endswith(seeded.cards[person.id_number][-4:])
    assert rows[1]["reference"] != person.id_number and rows[1]["reference"].endswith(person.id_number[-4:])
    assert person.id_number not in response.content.decode()
    assert rows[1]["latency_ms"] > 0 and rows[1]["system_display"] == "公安（身份与户籍）"


def test_staff_can_narrow_by_system_and_reference(seeded, people, staff_user):
    identity_registry().lookup(id_number=people[1].id_number)
    identity_registry().lookup(id_number=people[2].id_number)
    entrusted_bank().payout(card_number=seeded.cards[people[1].id_number], name=people[1].name,
                            amount=Decimal("1.00"), reference="API-2")

    by_system = _client(staff_user).get(URL, {"system": "identity"}).json()
    by_reference = _client(staff_user).get(URL, {"reference": people[2].id_number}).json()
    limited = _client(staff_user).get(URL, {"limit": 1}).json()

    assert {r["system"] for r in by_system} == {"identity"} and len(by_system) == 2
    assert [r["id"] for r in by_reference] == list(
        IntegrationCall.objects.filter(reference=people[2].id_number).values_list("id", flat=True)
    )
    assert len(limited) == 1 and limited[0]["operation"] == "payout"
    assert _client(staff_user).get(URL, {"system": "weather"}).status_code == 400


def test_an_account_check_is_listed_with_the_account_and_the_holder_masked(seeded, people, staff_user):
    person = people[3]
    card = seeded.cards[person.id_number]
    entrusted_bank().verify_account(account_number=card, name=person.name, holder_id=person.id_number)

    (row,) = _client(staff_user).get(URL, {"operation": "verify_account"}).json()

    assert row["request"]["account_number"].endswith(card[-4:]) and row["reference"].endswith(card[-4:])
    assert row["request"]["holder_id"].endswith(person.id_number[-4:])
    assert card not in str(row) and person.id_number not in str(row) and row["response"]["valid"] is True
