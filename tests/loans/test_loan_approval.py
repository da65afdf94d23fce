"""Approval through fund.workflow: 初审 → 审批, the 分管副主任 above the policy amount, never the same person
twice, deadlines the same sitting at the window and the policy's working days online, and the outcome."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fund.people.models import Post
from fund.people.services import staff_create
from fund.policy.selectors import policy_value
from fund.workdays import add_working_days
from fund.workflow.models import ItemState, WorkItem
from fund.workflow.services import work_items_for_user
from loans.models import ApplicationState, Channel
from loans.services.applications import application_accept, application_submit
from loans.services.approval import application_decide
from loans.services.rates import loan_rate
from tests.clock import travel_to
from tests.loans.applications_support import materials_for, second_hand_form

# Applications are made "now": the borrower has deposited up to this month.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deposits_to_date")]

MONDAY = date(2026, 3, 2)


def at_window(ln, **form):
    return application_submit(actor=ln.world.clerk, channel=Channel.WINDOW, account=ln.account,
                              fields=second_hand_form(**form), materials=materials_for("second_hand"))


def open_item(app):
    return WorkItem.objects.get(subject_id=app.pk, state=ItemState.OPEN)



def test_a_small_loan_is_reviewed_then_approved_and_fixed(ln):
    app = at_window(ln)
    application_decide(actor=ln.reviewer, application=app, approve=True, opinion="材料齐全")
    assert open_item(app).step == "approve"
    application_decide(actor=ln.approver, application=app, approve=True, opinion="同意")
    app.refresh_from_db()
    assert app.state == ApplicationState.APPROVED
    assert app.approved_amount == Decimal("200000.00") <= app.quota
    assert app.rate == loan_rate(home_order="first", term_months=240, on=app.decided_at.date())
    assert app.decided_at is not None and not WorkItem.objects.filter(subject_id=app.pk, state="open").exists()


def test_above_the_threshold_the_director_approves_last(ln, monkeypatch):
    from loans.services import approval

    threshold = Decimal(policy_value("loan_approval_large_threshold", on=date.today()))
    monkeypatch.setattr(approval, "flow_for", lambda amount, on: approval.APPROVAL_LARGE
                        if amount > Decimal("150000") else approval.APPROVAL)
    assert threshold > Decimal("150000")  # the default threshold stays above the small loans of these tests
    app = at_window(ln)
    application_decide(actor=ln.reviewer, application=app, approve=True)
    application_decide(actor=ln.approver, application=app, approve=True)
    app.refresh_from_db()
    assert app.state == ApplicationState.REVIEWING and open_item(app).step == "director"
    application_decide(actor=ln.world.director, application=app, approve=True)
    app.refresh_from_db()
    assert app.state == ApplicationState.APPROVED


def test_the_flow_is_chosen_by_the_policy_threshold(ln):
    from loans.services.approval import APPROVAL, APPROVAL_LARGE, flow_for

    today = date.today()
    threshold = Decimal(policy_value("loan_approval_large_threshold", on=today))
    assert flow_for(threshold, today) is APPROVAL
    assert flow_for(threshold + Decimal("0.01"), today) is APPROVAL_LARGE


def test_no_one_decides_two_steps_of_the_same_application(ln):
    both = staff_create(actor=None, username="both", name="both", branch=ln.world.branch_a,
                        posts=[Post.REVIEW, Post.APPROVE], employee_number="both", password="Demo@2026fund")
    app = at_window(ln)
    application_decide(actor=both, application=app, approve=True)
    with pytest.raises(PermissionDenied):
        application_decide(actor=both, application=app, approve=True)
    assert open_item(app).step == "approve"


def test_the_clerk_who_accepted_may_not_review(ln):
    clerk_reviewer = staff_create(actor=None, username="cr", name="cr", branch=ln.world.branch_a,
                                  posts=[Post.ACCEPT, Post.REVIEW], employee_number="cr", password="Demo@2026fund")
    app = application_submit(actor=clerk_reviewer, channel=Channel.WINDOW, account=ln.account,
                             fields=second_hand_form(), materials=materials_for("second_hand"))
    with pytest.raises(PermissionDenied):
        application_decide(actor=clerk_reviewer, application=app, approve=True)


def test_a_rejection_ends_it_with_the_opinion(ln):
    app = at_window(ln)
    with pytest.raises(ValidationError) as exc:
        application_decide(actor=ln.reviewer, application=app, approve=False)
    assert "opinion" in exc.value.message_dict
    application_decide(actor=ln.reviewer, application=app, approve=False, opinion="购房合同与登记信息不符")
    app.refresh_from_db()
    assert app.state == ApplicationState.REJECTED and app.decision_note == "购房合同与登记信息不符"


def test_the_approved_amount_never_exceeds_the_quota_or_the_request(ln):
    app = at_window(ln)
    application_decide(actor=ln.reviewer, application=app, approve=True)
    with pytest.raises(ValidationError) as exc:
        application_decide(actor=ln.approver, application=app, approve=True, amount="200000.01")
    assert "核准金额" in exc.value.message_dict["amount"][0]
    application_decide(actor=ln.approver, application=app, approve=True, amount="150000.00")
    app.refresh_from_db()
    assert app.approved_amount == Decimal("150000.00")


def test_a_window_application_is_due_the_same_day(ln):
    with travel_to(MONDAY):
        app = at_window(ln)
        assert open_item(app).due_on == MONDAY


def test_an_online_application_is_due_the_policy_working_days_after_acceptance(ln):
    with travel_to(MONDAY):
        app = application_submit(actor=ln.world.member_a, channel=Channel.ONLINE, account=ln.account,
                                 fields=second_hand_form())
        application_accept(actor=ln.world.clerk, application=app, materials=materials_for("second_hand"))
        days = int(policy_value("loan_online_days", on=MONDAY))
        assert open_item(app).due_on == add_working_days(MONDAY, days) > MONDAY


def test_an_overdue_step_is_in_the_inbox_and_flagged(ln):
    with travel_to(MONDAY):
        app = at_window(ln)
    with travel_to(date(2026, 3, 4)):
        from tests.clients import page

        assert work_items_for_user(ln.reviewer).filter(subject_id=app.pk).exists()
        html = page(ln.reviewer).get("/staff/tasks/").content.decode()
        assert app.number in html and "逾期" in html


def test_the_approval_opinion_prints_after_the_decision_with_a_verification_code(ln):
    from loans.pdf import opinion_request

    app = at_window(ln)
    with pytest.raises(ValidationError):
        opinion_request(application=app, requested_by=ln.approver)
    application_decide(actor=ln.reviewer, application=app, approve=True, opinion="材料齐全")
    application_decide(actor=ln.approver, application=app, approve=True, opinion="同意")
    app.refresh_from_db()
    document = opinion_request(application=app, requested_by=ln.approver)
    assert document.code_display and document.context["approved_amount"] == "200,000.00"
    assert [s["step"] for s in document.context["steps"]] == ["初审", "审批"]
