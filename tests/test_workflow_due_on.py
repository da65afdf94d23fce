"""A flow's first step is due its policy's working days from today, unless the business sets the day itself."""

from datetime import date

import pytest

from fund.people.models import Post
from fund.policy.selectors import policy_value
from fund.workdays import add_working_days
from fund.workflow.flows import FlowSpec, StepSpec
from fund.workflow.services import work_open

SPEC = FlowSpec(name="tests.due_on", label="测试流程", deadline_policy="withdrawal_review_days",
                steps=(StepSpec("review", "初审", (Post.REVIEW,)),))


@pytest.mark.django_db
def test_it_is_due_the_policy_working_days_unless_a_day_is_given(world):
    today = date(2026, 3, 2)
    by_policy = work_open(spec=SPEC, subject=world.branch_a, branch=world.branch_a, today=today)
    days = int(policy_value("withdrawal_review_days", on=today))
    assert by_policy.due_on == add_working_days(today, days) != today
    by_policy.delete()
    given = work_open(spec=SPEC, subject=world.branch_a, branch=world.branch_a, today=today, due_on=today)
    assert given.due_on == today
