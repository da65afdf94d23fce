"""The sandbox seed: plausible, deterministic, re-runnable."""

from datetime import date

import pytest
from stdnum import luhn

from fund.integrations.models import (
    SandboxBankAccount,
    SandboxCreditReport,
    SandboxHome,
    SandboxIdentity,
    SandboxMarriage,
    SandboxSocialInsurance,
)
from fund.integrations.seed import seed_sandbox

pytestmark = pytest.mark.django_db


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _snapshot() -> dict:
    return {
        "identities": list(SandboxIdentity.objects.order_by("id_number").values_list("id_number", "hukou_city_code")),
        "marriages": sorted(SandboxMarriage.objects.values_list("party_a", "party_b", "married_on")),
        "homes": sorted(
            (number, tuple(owners), price)
            for number, owners, price in SandboxHome.objects.values_list("certificate_number", "owner_id_numbers", "price")
        ),
        "accounts": sorted(SandboxBankAccount.objects.values_list("account_number", "holder_id", "balance")),
        "insurance": sorted(SandboxSocialInsurance.objects.values_list("id_number", "months_local")),
    }


def test_every_person_gets_a_luhn_valid_card_of_their_own(seeded, people):
    assert set(seeded.cards) == {p.id_number for p in people}
    assert len(set(seeded.cards.values())) == len(people)
    for person in people:
        number = seeded.cards[person.id_number]
        assert luhn.is_valid(number) and len(number) == 19
        account = SandboxBankAccount.objects.get(account_number=number)
        assert (account.name, account.holder_id, account.reserved_phone) == (person.name, person.id_number, person.phone)


def test_couples_are_married_to_each_other_and_of_age(seeded, people):
    by_id = {p.id_number: p for p in people}
    couples = list(SandboxMarriage.objects.all())
    assert couples
    spouses = [i for c in couples for i in (c.party_a, c.party_b)]
    assert len(spouses) == len(set(spouses))  # nobody married twice
    for c in couples:
        husband, wife = sorted((by_id[c.party_a], by_id[c.party_b]), key=lambda p: p.sex)
        assert (husband.sex, wife.sex) == ("1", "2")
        assert _age_on(husband.birth_date, c.married_on) >= 22 and _age_on(wife.birth_date, c.married_on) >= 20


def test_every_person_is_known_to_identity_insurance_and_credit(seeded, people):
    ids = {p.id_number for p in people}
    assert set(SandboxIdentity.objects.values_list("id_number", flat=True)) == ids
    assert set(SandboxSocialInsurance.objects.values_list("id_number", flat=True)) == ids
    assert set(SandboxCreditReport.objects.values_list("id_number", flat=True)) == ids
    assert SandboxCreditReport.objects.filter(acceptable=True).count() == len(people)


def test_seeding_is_deterministic_and_rerunning_adds_nothing(seeded, people, employers):
    first = _snapshot()
    again = seed_sandbox(people=reversed(people), employers=employers)
    assert _snapshot() == first
    assert again.cards == seeded.cards


def test_seeding_another_group_leaves_the_first_groups_records_alone(db, people, employers):
    first, second = people[:15], people[15:]
    one = seed_sandbox(people=first, employers=employers[:1])
    before = _snapshot()

    two = seed_sandbox(people=second, employers=employers[1:])

    after = _snapshot()
    for key, rows in before.items():
        assert set(rows) <= set(after[key]), key
    assert len(after["identities"]) == len(people)
    assert set(one.cards.values()).isdisjoint(two.cards.values())
    assert SandboxBankAccount.objects.count() == len(people) + len(employers)
