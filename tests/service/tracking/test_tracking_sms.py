"""The applicant is texted when their application enters a step — the unit's contact for a unit's application
— once per step: a task run again, or a step already left, texts nobody."""

from typing import Any

import pytest
from django.utils import timezone

from fund.integrations.models import SandboxSms
from fund.people.models import Employer, Post

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def test_a_step_change_texts_the_unit_once(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from deposits.services.unit_applications import unit_application_review, unit_application_submit
    from fund.people.services import staff_create
    from fund.tracking.models import ApplicationStep
    from fund.tracking.notify import step_notify
    from tests.conftest import PASSWORD

    Employer.objects.filter(pk=world.unit_a.employer_id).update(contact_phone=PHONE)
    reviewer = staff_create(actor=None, username="reviewer", name="初审员", branch=world.branch_a,
                            posts=[Post.REVIEW], employee_number="R1", password=PASSWORD)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        application = unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind="deferral",
                                               start_month=today, end_month=today, reason="经营困难")
    texts = list(SandboxSms.objects.filter(phone=PHONE).values_list("text", flat=True))
    assert len(texts) == 1 and "“初审”环节" in texts[0]
    with django_capture_on_commit_callbacks(execute=True):
        unit_application_review(actor=reviewer, application=application, approve=True)
    texts = list(SandboxSms.objects.filter(phone=PHONE).order_by("id").values_list("text", flat=True))
    assert len(texts) == 2 and "“审批”环节" in texts[1]
    current = ApplicationStep.objects.get(application__employer=world.unit_a.employer, left_at__isnull=True)
    first = ApplicationStep.objects.get(application__employer=world.unit_a.employer, code="review")
    with django_capture_on_commit_callbacks(execute=True):
        assert step_notify(step_id=current.pk) is False  # a retried task: texted already
        assert step_notify(step_id=first.pk) is False  # left already
    assert SandboxSms.objects.filter(phone=PHONE).count() == 2
