"""The staff member page shows a person's contacts masked, as the account-management page does."""

import pytest

from fund.audit.masking import mask_phone
from tests.clients import page

pytestmark = pytest.mark.django_db


def test_the_staff_member_page_masks_the_phone(world):
    person = world.account_a.person
    person.phone = "13912345678"
    person.save(update_fields=["phone"])
    body = page(world.clerk).get(f"/staff/members/{world.account_a.pk}/").content.decode()
    assert mask_phone("13912345678") in body
    assert "13912345678" not in body
