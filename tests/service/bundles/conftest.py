"""`world`, plus what the bundles' outside checks read: member A's identity at the public security sandbox, a card
the bank knows, and one month deposited (a retirement withdrawal needs a balance); and `ln`, the loans world (tests/loan_world.py)."""

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from stdnum import luhn

from tests.conftest import bank_account_at_the_bank, deposit_months
from tests.loan_world import ln  # noqa: F401  (the loans world, for the loan bundle's tests)

CARD_A = "621700001000000001" + luhn.calc_check_digit("621700001000000001")


def identity(id_number: str, name: str) -> None:
    from fund.integrations.models import SandboxIdentity

    SandboxIdentity.objects.update_or_create(id_number=id_number, defaults=dict(
        name=name, sex="1", birth_date=date(1990, 3, 7), hukou_city_code="510104", hukou_city_name="成都市"))
    assert settings.FUND_CITY_CODE != "510104"  # the member lives outside the province


@pytest.fixture
def bw(world: Any) -> Any:
    from deposits.models import MemberAccount

    account = world.account_a
    MemberAccount.objects.filter(pk=account.pk).update(bank_card=CARD_A)
    account.refresh_from_db()
    bank_account_at_the_bank(CARD_A, account.person.name, account.person.id_number)
    identity(account.person.id_number, account.person.name)
    deposit_months(world.clerk, account, 1)
    return world
