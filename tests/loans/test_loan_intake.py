"""One intake for every channel: the window and a bank outlet accept on the spot (straight to review), online,
API and a developer's entry (once the buyer confirms) wait for the window's acceptance; one application in
flight per household; a developer only for its own admitted projects."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fund.workflow.models import ItemState, WorkItem
from loans.models import ApplicationState, Channel, LoanApplication, Project, ProjectState
from loans.services.applications import application_accept, application_confirm, application_submit
from tests.loans.applications_support import materials_for, new_home_form, second_hand_form

# Applications are made "now": the borrower has deposited up to this month.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deposits_to_date")]


def open_item(app):
    return WorkItem.objects.get(subject_id=app.pk, state=ItemState.OPEN)


def test_the_window_accepts_on_the_spot_and_the_review_opens(ln):
    app = application_submit(actor=ln.world.clerk, channel=Channel.WINDOW, account=ln.account,
                             fields=second_hand_form(), materials=materials_for("second_hand"))
    app.refresh_from_db()
    assert app.state == ApplicationState.REVIEWING
    assert app.visits == 1 and app.accepted_by == ln.world.clerk and app.accepted_at is not None
    assert app.quota and app.quota >= Decimal("200000.00") and app.rate and app.home_order == "first"
    assert any(limit["binding"] for limit in app.quota_detail["limits"])
    item = open_item(app)
    assert item.flow == "loans.approval" and item.step == "review"


def test_the_window_refuses_an_application_missing_a_paper_material(ln):
    with pytest.raises(ValidationError) as exc:
        application_submit(actor=ln.world.clerk, channel=Channel.WINDOW, account=ln.account,
                           fields=second_hand_form(), materials=["id_card"])
    assert "尚缺材料" in exc.value.message_dict["materials"][0]
    assert not LoanApplication.objects.exists()


def test_a_bank_outlet_accepts_on_the_spot_and_records_its_bank(ln):
    op = ln.bank_op
    app = application_submit(actor=op, channel=Channel.BANK, id_number=ln.person.id_number,
                             fields=second_hand_form(), materials=materials_for("second_hand"))
    app.refresh_from_db()
    assert app.state == ApplicationState.REVIEWING and app.bank_outlet == ln.bank and app.visits == 1
    assert open_item(app).step == "review"


def test_someone_without_the_bank_role_may_not_use_the_bank_channel(ln):
    with pytest.raises(PermissionDenied):
        application_submit(actor=ln.world.dev_a, channel=Channel.BANK, id_number=ln.person.id_number,
                           fields=second_hand_form(), materials=materials_for("second_hand"))


def test_online_waits_for_the_window_which_ticks_materials_and_counts_the_visit(ln):
    app = application_submit(actor=ln.world.member_a, channel=Channel.ONLINE, account=ln.account,
                             fields=second_hand_form())
    assert app.state == ApplicationState.SUBMITTED and app.visits == 0
    assert not WorkItem.objects.filter(subject_id=app.pk).exists()
    application_accept(actor=ln.world.clerk, application=app, materials=materials_for("second_hand"))
    app.refresh_from_db()
    assert app.state == ApplicationState.REVIEWING and app.visits == 1 and app.accepted_by == ln.world.clerk
    assert app.materials == materials_for("second_hand")
    assert open_item(app).step == "review"


def test_a_developer_entry_waits_for_the_buyer_then_the_window(ln):
    app = application_submit(actor=ln.world.dev_a, channel=Channel.DEVELOPER, id_number=ln.person.id_number,
                             fields=new_home_form(ln.project))
    assert app.state == ApplicationState.DRAFT and app.developer == ln.world.developer_a
    with pytest.raises(PermissionDenied):  # only the buyer confirms
        application_confirm(actor=ln.world.member_b, application=app)
    application_confirm(actor=ln.world.member_a, application=app)
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED and app.confirmed_at is not None
    application_accept(actor=ln.world.clerk, application=app, materials=materials_for("new"))
    app.refresh_from_db()
    assert app.state == ApplicationState.REVIEWING and app.visits == 1


def test_it_refuses_a_developer_another_developers_project(ln):
    other = Project.objects.create(developer=ln.world.developer_b, name="山景苑", address="示范市南山路9号",
                                   state=ProjectState.ADMITTED)
    with pytest.raises(ValidationError) as exc:
        application_submit(actor=ln.world.dev_a, channel=Channel.DEVELOPER, id_number=ln.person.id_number,
                           fields=new_home_form(other))
    assert "不是本企业的楼盘" in exc.value.message_dict["project"][0]
    assert not LoanApplication.objects.exists()


def test_it_refuses_an_off_plan_home_in_a_project_not_admitted(ln):
    Project.objects.filter(pk=ln.project.pk).update(state=ProjectState.PENDING)
    with pytest.raises(ValidationError) as exc:
        application_submit(actor=ln.world.dev_a, channel=Channel.DEVELOPER, id_number=ln.person.id_number,
                           fields=new_home_form(ln.project))
    assert "准入" in exc.value.message_dict["project"][0]
    assert not LoanApplication.objects.exists()


def test_it_refuses_a_second_application_in_the_same_household(ln):
    """The spouse (in the marriage registry) applying while the husband's is in flight is the same household."""
    from deposits.models import MemberAccount

    spouse_id, _ = ln.spouse()
    first = application_submit(actor=ln.world.member_a, channel=Channel.ONLINE, account=ln.account,
                               fields=second_hand_form())
    assert spouse_id in first.household_key and ln.person.id_number in first.household_key
    with pytest.raises(ValidationError) as exc:
        application_submit(actor=ln.world.clerk, channel=Channel.WINDOW, account=ln.account,
                           fields=second_hand_form(), materials=materials_for("second_hand"))
    assert "同一家庭同时只能办理一笔" in exc.value.message_dict["account"][0]
    assert LoanApplication.objects.count() == 1
    assert MemberAccount.objects.filter(person__id_number=spouse_id).count() == 0  # the spouse is not a depositor


def test_the_database_holds_one_in_flight_per_household_even_past_the_check(ln):
    from django.db import IntegrityError, transaction

    ln.application(household_key="K1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ln.application(household_key="K1")


def test_a_resubmitted_form_creates_one_application(ln):
    first = application_submit(actor=ln.world.member_a, channel=Channel.ONLINE, account=ln.account,
                               fields=second_hand_form(), client_token="form-1")
    again = application_submit(actor=ln.world.member_a, channel=Channel.ONLINE, account=ln.account,
                               fields=second_hand_form(), client_token="form-1")
    assert again.pk == first.pk and getattr(again, "replayed", False)
    assert LoanApplication.objects.count() == 1


def test_a_co_borrower_is_checked_with_the_identity_registry(ln):
    from datetime import date

    from fund.demo import make_id_number

    number = make_id_number(birth=date(1992, 1, 2), seq=811, male=True)
    rows = [{"id_number": number, "name": "林大哥", "relation": "other", "monthly_income": "5000"}]
    with pytest.raises(ValidationError) as exc:  # not in the identity registry
        application_submit(actor=ln.world.member_a, channel=Channel.ONLINE, account=ln.account,
                           fields=second_hand_form(), co_borrowers=rows)
    assert "查无此人" in exc.value.message_dict["co_borrowers"][0]
    ln.identity(number, "林大哥", birth=date(1992, 1, 2))
    app = application_submit(actor=ln.world.member_a, channel=Channel.ONLINE, account=ln.account,
                             fields=second_hand_form(), co_borrowers=rows)
    assert [c.person.id_number for c in app.co_borrowers.all()] == [number]
