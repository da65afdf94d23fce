"""Deferral (缓缴) and ratio-reduction (降比例) applications are decided through the shared flow machinery: each
step waits in the staff inbox (待办) of the unit's branch, for the step's post, due by the policy's working
days; the applicant and the first approver cannot decide the next step; staff of another branch and outsiders
cannot decide at all."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from deposits.services.lifecycle import (
    unit_application_approve,
    unit_application_review,
    unit_application_submit,
    unit_application_withdraw,
)
from fund.dates import add_months, first_of_month
from fund.people.models import Post
from fund.policy.selectors import policy_value
from fund.workdays import add_working_days
from fund.workflow.services import work_items_for_user
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def staff(username, branch, posts):
    from fund.people.services import staff_create

    return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                        employee_number=username, password=PASSWORD)


def apply(world, kind="deferral", **ratios):
    month = first_of_month(timezone.localdate())
    return unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind=kind, start_month=month,
                                   end_month=add_months(month, 2), reason="经营困难", **ratios)


def inbox(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/staff/tasks/").content.decode()


@pytest.mark.parametrize("kind, ratios", [("deferral", {}),
                                          ("ratio", {"unit_ratio": Decimal("0.06"), "member_ratio": Decimal("0.05")})])
def test_each_step_waits_in_the_inbox_of_its_post_in_the_units_branch_with_its_due_date(world, kind, ratios):
    reviewer = staff("reviewer", world.branch_a, [Post.REVIEW])
    approver = staff("approver", world.branch_a, [Post.APPROVE])
    reviewer_b = staff("reviewer_b", world.branch_b, [Post.REVIEW])
    application = apply(world, kind, **ratios)
    due = add_working_days(timezone.localdate(), int(policy_value("deposit_application_review_days")))

    [item] = work_items_for_user(reviewer)
    assert (item.subject, item.step_label, item.due_on) == (application, "初审", due)
    page = inbox(reviewer)
    assert application.number in page and f'href="/staff/applications/{application.pk}/"' in page
    assert f"{due:%Y-%m-%d}" in page and world.unit_a.employer.name in page
    assert not work_items_for_user(approver).exists()  # not yet its step
    assert not work_items_for_user(reviewer_b).exists()  # another branch's unit

    unit_application_review(actor=reviewer, application=application, approve=True, opinion="材料齐全")
    assert not work_items_for_user(reviewer).exists()
    [item] = work_items_for_user(approver)
    assert (item.step_label, item.due_on) == ("审批", due)
    unit_application_approve(actor=approver, application=application, approve=True, opinion="同意")
    assert not work_items_for_user(approver).exists()


def test_the_first_approver_cannot_decide_the_next_step(world):
    both = staff("both", world.branch_a, [Post.REVIEW, Post.APPROVE])
    application = apply(world)
    unit_application_review(actor=both, application=application, approve=True)
    with pytest.raises(PermissionDenied, match="不同的人"):
        unit_application_approve(actor=both, application=application, approve=True)


def test_the_submitter_cannot_decide_and_does_not_see_it_in_the_inbox(world):
    window = staff("window", world.branch_a, [Post.ACCEPT, Post.REVIEW])
    month = first_of_month(timezone.localdate())
    application = unit_application_submit(actor=window, unit=world.unit_a, kind="deferral", start_month=month,
                                          end_month=month, reason="困难")
    assert not work_items_for_user(window).exists()
    with pytest.raises(PermissionDenied, match="自己提交"):
        unit_application_review(actor=window, application=application, approve=True)


def test_another_branch_and_outsiders_cannot_decide(world):
    application = apply(world)
    for outsider in (staff("reviewer_b", world.branch_b, [Post.REVIEW]), world.unit_b_op, world.member_a):
        with pytest.raises(PermissionDenied):
            unit_application_review(actor=outsider, application=application, approve=True)
    application.refresh_from_db()
    assert application.state == "submitted"


def test_a_withdrawn_application_leaves_the_inbox(world):
    reviewer = staff("reviewer", world.branch_a, [Post.REVIEW])
    application = apply(world)
    unit_application_withdraw(actor=world.unit_a_op, application=application)
    assert not work_items_for_user(reviewer).exists()
