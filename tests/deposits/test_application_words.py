"""A unit's deferral or ratio application shows its steps with who holds each by post (初审岗, 审批岗), and the
unit never sees the name of the staff who decided; staff still see who did."""

import pytest
from django.urls import reverse

from deposits.services.lifecycle import (
    application_steps,
    unit_application_review,
    unit_application_submit,
)
from fund.dates import add_months
from fund.people.models import Post
from tests.clients import page as login
from tests.clock import this_month
from tests.deposits.test_lifecycle import staff

pytestmark = pytest.mark.django_db


def test_the_unit_sees_each_step_by_post_and_never_the_reviewers_name(world):
    reviewer = staff("zhangsan_review", world.branch_a, [Post.REVIEW])
    application = unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind="deferral",
                                          start_month=this_month(), end_month=add_months(this_month(), 2),
                                          reason="疫情经营困难")
    steps = {s["label"]: s for s in application_steps(application)}
    assert steps["初审"]["state"] == "current" and steps["初审"]["holder"] == f"{world.branch_a.name}初审岗"
    assert steps["审批"]["holder"] == f"{world.branch_a.name}审批岗"
    unit_application_review(actor=reviewer, application=application, approve=True, opinion="材料齐全")
    page = login(world.unit_a_op).get(reverse("unit:applications")).content.decode()
    assert "材料齐全" in page and "初审岗" in page and f"{world.branch_a.name}审批岗" in page
    assert "zhangsan_review" not in page  # the post, not the person
    staff_page = login(world.clerk).get(reverse("staff:application_detail", args=[application.pk])).content.decode()
    assert "zhangsan_review" in staff_page  # staff see who decided
