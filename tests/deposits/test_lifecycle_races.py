"""Races on the lives of accounts, against the real database: one winner, the others refused in Chinese."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deposits.models import AccountEvent, MemberAccount, UnitApplication
from deposits.services.lifecycle import (
    member_account_freeze,
    member_account_seal,
    member_transfer_in,
    unit_application_review,
    unit_application_submit,
)
from fund.dates import first_of_month
from fund.people.models import Post
from tests.conftest import PASSWORD, open_unit
from tests.deposits.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_units_taking_the_same_sealed_member_at_once_one_wins(world):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    units = [world.unit_b, open_unit(world.clerk_b, world.branch_b, 70), open_unit(world.clerk_b, world.branch_b, 71)]
    results = race(3, lambda i: member_transfer_in(actor=world.clerk_b, unit=units[i],
                                                   id_number=world.account_a.person.id_number, base=Decimal("8000")))
    won = [r for r in results if isinstance(r, MemberAccount)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(refused) == 2, results
    assert all("须先由原单位办理封存" in str(r) for r in refused), refused  # the loser sees it already moved, now 正常
    assert MemberAccount.objects.get(pk=world.account_a.pk).unit_id == won[0].unit.pk
    assert AccountEvent.objects.filter(account=world.account_a, business_type="GJ06").count() == 1


def test_sealing_and_freezing_at_once_leave_one_consistent_trail(world):
    results = race(2, lambda i: (member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
                                 if i == 0 else
                                 member_account_freeze(actor=world.clerk, account=world.account_a, reason="法院")))
    # Seal then freeze: both go through. Freeze then seal: the seal is refused (a frozen account is not sealed).
    assert isinstance(results[1], MemberAccount), results
    assert isinstance(results[0], MemberAccount) or "不能封存" in str(results[0]), results
    events = list(AccountEvent.objects.filter(account=world.account_a).order_by("id"))
    for before, after in zip(events, events[1:], strict=False):
        assert before.new_state == after.old_state  # each move started from where the last one ended
    assert MemberAccount.objects.get(pk=world.account_a.pk).state == events[-1].new_state == "06"


def test_two_reviewers_at_once_review_once(world):
    from fund.people.services import staff_create

    reviewers = [staff_create(actor=None, username=f"rev{i}", name=f"rev{i}", branch=world.branch_a, posts=[Post.REVIEW],
                              employee_number=f"rev{i}", password=PASSWORD) for i in range(3)]
    month = first_of_month(timezone.localdate())
    application = unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind="deferral", start_month=month,
                                          end_month=month, reason="困难")
    results = race(3, lambda i: unit_application_review(actor=reviewers[i], application=application, approve=True))
    done = [r for r in results if isinstance(r, UnitApplication)]
    assert len(done) == 1 and all(isinstance(r, (ValidationError, PermissionDenied)) for r in results if r not in done)
    assert UnitApplication.objects.get(pk=application.pk).reviewer_id == done[0].reviewer_id


def test_freezing_while_the_account_is_being_transferred_is_never_a_500(world):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    new_unit = open_unit(world.clerk, world.branch_a, 80)
    results = race(2, lambda i: (member_transfer_in(actor=world.clerk, unit=new_unit,
                                                    id_number=world.account_a.person.id_number, base=Decimal("8000"))
                                 if i == 0 else member_account_freeze(actor=world.clerk, account=world.account_a, reason="法院")))
    assert all(isinstance(r, (MemberAccount, ValidationError)) for r in results), results
    assert MemberAccount.objects.get(pk=world.account_a.pk).state in ("01", "06")
