"""The staff 待办 list says what each item is: who applied, for how much and why, so a reviewer can pick up
work from the list itself."""

from typing import Any

import pytest
from django.test import Client

from withdrawals.models import WithdrawalState
from withdrawals.services import withdrawal_submit

pytestmark = pytest.mark.django_db


def test_the_inbox_shows_the_applicants_name_amount_and_reason(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000777号")  # rent with a home of one's own: people decide
    with django_capture_on_commit_callbacks(execute=True):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                              amount="1234.00")
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW
    client = Client()
    client.force_login(wd.reviewer)
    page = client.get("/staff/tasks/").content.decode()
    assert w.number in page
    assert wd.person.name in page
    assert "1,234.00" in page
    assert "租赁住房" in page  # reason 07, by its Chinese name
    assert f'href="/staff/withdrawals/{w.pk}/"' in page
