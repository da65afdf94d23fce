"""The demo load (`manage.py demo_data`, run by scripts/run) goes through the real services as production does:
the withdrawals it makes ask the bank and the registries with no transaction open."""

import pytest
from django.core.management import call_command

from fund.integrations.models import IntegrationCall, SandboxIdentity
from withdrawals.models import Withdrawal

pytestmark = pytest.mark.django_db


def test_the_demo_loads_its_withdrawals_through_the_services_with_no_outside_call_inside_a_transaction():
    call_command("demo_data", verbosity=0)
    assert SandboxIdentity.objects.exists()  # the mark of a complete load
    assert Withdrawal.objects.count() >= 3  # three rents, and a purchase when a member has a home
    assert IntegrationCall.objects.filter(system="bank", operation="payout").exists()
