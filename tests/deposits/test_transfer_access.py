"""Who may make the centre write to the national transfer platform (and so to the bank) about a member: the
member or window staff of the account's branch. A unit's operator who sees the employee on the roster, and a
clerk of another branch who happens to be the member, get the 404 of a missing object and nothing is asked."""

from datetime import date

import pytest

from deposits.models import CrossRegionTransfer, MemberAccount, MemberState
from deposits.selectors import pending_letters_for_user
from deposits.services import monthly_deposit_post
from deposits.services.transfer import transfer_out_letters_fetch
from fund.integrations.models import IntegrationCall
from fund.integrations.transfer import sandbox_incoming_letter
from fund.people.models import Post, StaffProfile
from tests.clients import api

pytestmark = pytest.mark.django_db


def test_it_refuses_a_transfer_in_asked_by_the_employees_unit_operator(world, django_capture_on_commit_callbacks):
    url = f"/api/deposits/members/{world.account_a.pk}/transfer-in/"
    before = IntegrationCall.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.unit_a_op).post(url, {"from_centre": "武汉住房公积金管理中心"}, format="json")
    assert response.status_code == 404
    assert not CrossRegionTransfer.objects.exists() and IntegrationCall.objects.count() == before


def test_it_refuses_a_letter_about_their_own_account_to_a_clerk_of_another_branch(
    world, django_capture_on_commit_callbacks
):
    """member_a is also a window clerk, in branch B; the letter about their account (branch A) is branch A's."""
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15))
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    person = world.account_a.person
    sandbox_incoming_letter(id_number=person.id_number, name=person.name, to_account_number="SH0001")
    transfer_out_letters_fetch()
    transfer = CrossRegionTransfer.objects.get()
    StaffProfile.objects.create(user=world.member_a, branch=world.branch_b, posts=[Post.ACCEPT],
                                employee_number="member-clerk")

    assert list(pending_letters_for_user(world.member_a)) == []
    before = IntegrationCall.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.member_a).post(f"/api/deposits/transfer-letters/{transfer.pk}/", {"action": "execute"},
                                            format="json")
    assert response.status_code == 404
    assert IntegrationCall.objects.count() == before
    transfer.refresh_from_db()
    assert transfer.entry_id is None and transfer.handled_by_id is None
    assert list(pending_letters_for_user(world.clerk)) == [transfer]  # still the account's branch's to answer
