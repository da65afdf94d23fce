"""Issue 16 item 2: each line's applications on the one register (我的办件), described honestly from what the
line stores: number format, catalogue item, channel, 秒批, acceptance, finish, step and deadline, visits and
pages of paper."""

import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fund.tracking.models import Application
from tests.withdrawals.conftest import online, window

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^BJ\d{8}\d{8}$")


def register_of(obj: Any) -> Application:
    from django.contrib.contenttypes.models import ContentType

    return Application.objects.get(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)


def test_a_withdrawal_by_instant_approval_is_instant_finished_and_numbered(wd, django_capture_on_commit_callbacks):
    from withdrawals.models import WithdrawalState

    w = online(wd, django_capture_on_commit_callbacks, "07", amount="1000.00")
    assert w.state == WithdrawalState.PAID
    app = register_of(w)
    assert NUMBER.match(app.number) and app.number[2:10] == f"{timezone.localdate(app.submitted_at):%Y%m%d}"
    assert (app.kind, app.item_code, app.source_number) == ("withdrawals.withdrawal", "TQ-07", w.number)
    assert app.instant and app.outcome == "done" and app.finished_at == w.paid_at
    assert (app.channel, app.visits, app.pages, app.on_the_spot) == ("online", 0, 0, False)
    assert app.person_id == wd.person.pk and app.lookup_suffix == wd.person.id_number[-4:]
    steps = list(app.steps.order_by("entered_at", "id").values_list("code", "left_at"))
    assert [code for code, _ in steps] == ["check", "pay", "paid"]
    assert all(left is not None for _, left in steps[:-1]) and steps[-1][1] is None


def test_a_window_withdrawal_counts_one_visit_and_its_ticked_paper_and_only_an_instant_one_is_done_on_the_spot(
        wd, django_capture_on_commit_callbacks):
    from withdrawals.reasons import REASONS

    rent = window(wd, django_capture_on_commit_callbacks, "07", amount="1000.00")  # every material shared: no paper
    app = register_of(rent)
    assert (app.channel, app.visits, app.pages, app.handled_by_id) == ("window", 1, 0, wd.world.clerk.pk)
    assert app.on_the_spot and app.instant and app.accepted_at == rent.submitted_at
    wd.seal()
    jobless = window(wd, django_capture_on_commit_callbacks, "99-jobless")  # goes to people: not on the spot
    app = register_of(jobless)
    expected = sum(m.copies for m in REASONS["99-jobless"].item.paper_materials)
    assert expected > 0 and (app.visits, app.pages, app.item_code) == (1, expected, "TQ-99-JOBLESS")
    assert not app.on_the_spot and not app.instant and app.outcome == "open"


def test_a_withdrawal_sent_to_people_waits_in_the_review_step_until_its_deadline_and_moves_on_by_its_reviewer(
        wd, django_capture_on_commit_callbacks):
    from withdrawals.services import withdrawal_review

    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000777号")  # a home of one's own: rent goes to people
    w = online(wd, django_capture_on_commit_callbacks, "07", amount="1000.00")
    app = register_of(w)
    assert (app.step_code, app.step_label, app.step_deadline, app.instant) == ("review", "初审", w.due_on, False)
    assert app.steps.get(left_at__isnull=True).deadline == w.due_on
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="")
    app.refresh_from_db()
    assert (app.step_code, app.step_label) == ("approve", "审批")
    assert app.steps.get(code="review").done_by_id == wd.reviewer.pk


def test_a_deferral_is_the_units_online_application_waiting_in_its_first_review(world):
    from deposits.services.unit_applications import unit_application_submit
    from fund.workflow.services import work_open_item

    today = timezone.localdate()
    application = unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind="deferral",
                                          start_month=today, end_month=today, reason="经营困难")
    app = register_of(application)
    item = work_open_item(application)
    assert (app.kind, app.item_code, app.employer_id, app.person_id) == (
        "deposits.unit_application", "GJ-06", world.unit_a.employer_id, None)
    assert (app.channel, app.visits, app.pages, app.accepted_at) == ("online", 0, 0, None)
    assert (app.step_code, app.step_label, app.step_deadline) == ("review", "初审", item.due_on)
    assert app.lookup_suffix == world.unit_a.employer.credit_code[-4:]
    assert app.steps.count() == 1  # the work item continues the step the submission opened


def test_a_units_online_opening_request_is_refused_when_returned(world):
    from deposits.services.opening import unit_opening_request_reject, unit_opening_request_submit
    from fund.demo import make_credit_code

    request = unit_opening_request_submit(
        branch=world.branch_a, name="新开单位", credit_code=make_credit_code(71), address="示范市一路1号",
        contact_name="李四", contact_phone="13900000071", bank_name="建设银行", bank_account="3705000000071",
        unit_ratio=Decimal("0.12"), member_ratio=Decimal("0.12"), pay_day=15, username="newunit71",
        operator_name="李四", operator_phone="13900000071", password="Demo@2026fund-x", password_again="Demo@2026fund-x",
    )
    app = register_of(request)
    assert (app.item_code, app.channel, app.step_code, app.outcome) == ("GJ-01", "online", "pending", "open")
    assert app.step_deadline is not None
    unit_opening_request_reject(actor=world.clerk, request=request, opinion="材料不全")
    app.refresh_from_db()
    assert (app.outcome, app.step_code, app.handled_by_id) == ("refused", "rejected", world.clerk.pk)
    assert app.finished_at is not None


def test_a_transfer_in_asked_at_the_window_is_the_members_with_one_visit(world):
    from deposits.services.transfer import transfer_in_apply

    transfer = transfer_in_apply(actor=world.clerk, account=world.account_a, from_centre="成都住房公积金管理中心")
    app = register_of(transfer)
    assert (app.item_code, app.person_id, app.channel, app.visits) == (
        "GJ-08", world.account_a.person_id, "window", 1)
    assert (app.step_code, app.outcome, app.source_number) == ("letter", "open", transfer.reference)


def test_a_loan_accepted_at_the_window_counts_its_visits_and_paper_and_waits_in_review(ln):
    from fund.workflow.services import work_open_item
    from loans.catalogue import item_for
    from loans.services.applications import application_accept

    application = ln.application(channel="online")
    item = item_for("second_hand")
    ticked = [m.code for m in item.paper_materials if not m.condition]
    application_accept(actor=ln.world.clerk, application=application, materials=ticked)
    app = register_of(application)
    assert (app.kind, app.item_code, app.channel, app.visits) == ("loans.application", "DK-02", "online", 1)
    assert app.pages == sum(m.copies for m in item.paper_materials if m.code in ticked) > 0
    assert (app.step_code, app.step_deadline, app.handled_by_id) == ("review", work_open_item(application).due_on,
                                                                     ln.world.clerk.pk)
    assert [s.code for s in app.steps.order_by("id")] == ["submitted", "review"]


def test_a_standing_instructions_monthly_run_is_not_an_application(wd):
    from fund.tracking.registry import tracked_kind_for
    from withdrawals.models import Withdrawal

    kind = tracked_kind_for(Withdrawal)
    assert kind.describe(Withdrawal(standing_id=1, account=wd.account, branch=wd.world.branch_a, state="paid",
                                    submitted_at=timezone.now())) is None


def test_a_withdrawal_the_member_withdraws_is_finished_as_withdrawn(wd, django_capture_on_commit_callbacks):
    from withdrawals.services import withdrawal_cancel

    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000778号")
    w = online(wd, django_capture_on_commit_callbacks, "07", amount="1000.00")
    withdrawal_cancel(actor=wd.world.member_a, withdrawal=w)
    app = register_of(w)
    assert (app.outcome, app.step_code, app.step_label) == ("withdrawn", "cancelled", "已撤回")
    assert app.finished_at is not None and app.steps.get(code="review").done_by_id == wd.world.member_a.pk


def test_a_transfer_in_follows_the_platforms_status(world, django_capture_on_commit_callbacks):
    from deposits.services.transfer import transfer_in_apply

    with django_capture_on_commit_callbacks(execute=True):  # the letter goes to the platform after commit
        transfer = transfer_in_apply(actor=world.member_a, account=world.account_a, from_centre="成都住房公积金管理中心")
    transfer.refresh_from_db()
    assert transfer.status
    app = register_of(transfer)
    assert (app.channel, app.visits) == ("online", 0)
    assert app.step_code == f"platform_{transfer.status}" and app.step_label == transfer.get_status_display()


def test_a_transfer_outs_refused_payout_shows_as_its_step_and_its_retry_moves_on(
        world, sealed_with_money, django_capture_on_commit_callbacks):
    from deposits.models import CrossRegionTransfer
    from deposits.services.transfer import transfer_out_letter_execute, transfer_out_letters_fetch
    from fund.integrations.models import SandboxBankAccount
    from fund.integrations.transfer import sandbox_incoming_letter
    from fund.payments.services import payment_retry

    centre_account = "31001500100056000000"
    person = sealed_with_money.person
    letter = sandbox_incoming_letter(id_number=person.id_number, name=person.name, to_centre="上海市住房公积金管理中心",
                                     to_centre_account=centre_account, to_account_number="SH0001")
    transfer_out_letters_fetch()
    transfer = CrossRegionTransfer.objects.get(letter_number=letter.letter_number)
    SandboxBankAccount.objects.filter(account_number=centre_account).update(fail_payouts=True)
    with django_capture_on_commit_callbacks(execute=True):
        transfer_out_letter_execute(actor=world.clerk, transfer=transfer)
    app = register_of(transfer)
    assert (app.step_code, app.step_label, app.channel, app.visits) == ("payout_failed", "划款失败待重试", "online", 0)
    SandboxBankAccount.objects.filter(account_number=centre_account).update(fail_payouts=False)
    with django_capture_on_commit_callbacks(execute=True):
        payment_retry(payment_id=transfer.payout_payment.pk, actor=world.director, force=True)
    app.refresh_from_db()
    assert app.step_code != "payout_failed"
