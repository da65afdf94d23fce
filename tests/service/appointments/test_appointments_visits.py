"""Door-to-door service (上门服务): requested by the member, a relative or staff; assigned to staff of the branch;
scheduled (the contact texted); finished 办结/未办结; statuses only by their move table; scoped access."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fund.appointments.models import Requester, VisitState
from fund.appointments.selectors import home_visit_get_for_user
from fund.appointments.services.visits import (
    home_visit_assign,
    home_visit_finish,
    home_visit_request,
    home_visit_schedule,
)
from fund.integrations.models import SandboxSms
from fund.workflow.models import StatusChange
from tests import clock

pytestmark = pytest.mark.django_db

CONTACT = {"contact_name": "张小红", "contact_phone": "13700000009", "address": "示范市人民路100号3单元201室"}


def ask(hall, actor, **kw):
    return home_visit_request(actor=actor, branch=hall.branch_a, reason="elderly", description="行动不便，办理退休提取",
                              item_code="TQ-03", **{**CONTACT, **kw})


def test_a_relative_asks_staff_assign_schedule_and_finish_it(hall, django_capture_on_commit_callbacks):
    parent = hall.owner.person
    visit = ask(hall, hall.colleague, for_other=True, id_number=parent.id_number, name=parent.name, relation="子女")
    assert visit.requester == Requester.RELATIVE and visit.person == parent and visit.state == VisitState.REQUESTED
    with clock.travel_to(date(2026, 10, 12)):
        home_visit_assign(actor=hall.clerk_a, visit=visit, assignee=hall.clerk_a)
        with django_capture_on_commit_callbacks(execute=True):
            home_visit_schedule(actor=hall.clerk_a, visit=visit, on=date(2026, 10, 14), time_text="上午9时")
        home_visit_finish(actor=hall.clerk_a, visit=visit, done=True, note="已核验身份并受理", done_what="退休提取")
    text = SandboxSms.objects.get(phone="13700000009").text
    assert "10月14日上午9时" in text and parent.name in text and visit.number in text
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE and visit.done_what == "退休提取" and visit.finished_at is not None
    assert list(StatusChange.objects.filter(subject_id=visit.pk, field="state").values_list("new", flat=True)) == [
        "assigned", "scheduled", "done"]
    # Both the relative who asked and the member it is for see it; another member does not.
    assert home_visit_get_for_user(hall.owner, visit.pk) == home_visit_get_for_user(hall.colleague, visit.pk)
    with pytest.raises(Http404):
        home_visit_get_for_user(hall.member(5), visit.pk)


def test_it_refuses_an_assignee_of_another_branch_staff_of_another_branch_and_a_skipped_step(hall):
    visit = ask(hall, hall.owner)
    with pytest.raises(ValidationError):
        home_visit_assign(actor=hall.clerk_a, visit=visit, assignee=hall.clerk_b)
    with pytest.raises(PermissionDenied):
        home_visit_assign(actor=hall.clerk_b, visit=visit, assignee=hall.clerk_b)
    with pytest.raises(Http404):
        home_visit_get_for_user(hall.clerk_b, visit.pk)
    with pytest.raises(ValidationError):
        home_visit_finish(actor=hall.clerk_a, visit=visit, done=True, note="x", done_what="y")  # not scheduled yet
    visit.refresh_from_db()
    assert visit.state == VisitState.REQUESTED


def test_it_refuses_a_relative_request_naming_nobody_and_bad_contact_data(hall):
    with pytest.raises(ValidationError) as refused:
        ask(hall, hall.colleague, for_other=True, id_number=hall.owner.person.id_number, name="别人", relation="子女",
            contact_phone="12345")
    assert set(refused.value.message_dict) == {"id_number", "contact_phone"}
