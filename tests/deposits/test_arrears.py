"""Arrears (催缴): months owed for hand-made cases, the staff list in scope, one SMS per unit per month."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from deposits.models import ArrearsReminder, MemberState, ReminderState, UnitState
from deposits.selectors.arrears import arrears_list
from deposits.services import monthly_deposit_post
from deposits.tasks.statements import send_arrears_reminders
from fund.integrations.base import Unavailable
from fund.integrations.models import SandboxSms
from fund.integrations.sms import SandboxSmsGateway
from tests.conftest import open_member

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 10)  # last month, the latest that is due: 2025-05


def row_of(unit, on=ON):
    return next((r for r in arrears_list(on=on) if r.unit.pk == unit.pk), None)


def test_months_owed_run_from_the_paid_up_month_to_last_month(world):
    # account_a starts 2025-02 and has paid nothing: February to May, 4 months of 1920.
    row = row_of(world.unit_a)
    assert (row.months_owed, row.members_affected, row.active_members, row.amount_owed) == (4, 1, 1, Decimal("7680.00"))
    assert row.oldest_paid_to == date(2025, 1, 1)
    # A second member starting 2025-04 owes April and May; the unit is behind by its oldest member.
    open_member(world.clerk, world.unit_a, 70, opened_on=date(2025, 3, 5), base=Decimal("5000.00"))  # 600 + 600
    row = row_of(world.unit_a)
    assert (row.months_owed, row.members_affected, row.active_members) == (4, 2, 2)
    assert row.amount_owed == Decimal("7680.00") + 2 * Decimal("1200.00")


def test_payments_move_the_paid_up_month_and_a_back_paid_later_month_is_not_owed_twice(world):
    for month in (date(2025, 2, 1), date(2025, 3, 1)):
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=month, value_date=ON)
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 5, 1), value_date=ON)
    row = row_of(world.unit_a)
    # Paid up to March (May was paid out of order): behind 2 months, but only April is unpaid.
    assert (row.months_owed, row.members_affected, row.amount_owed) == (2, 1, Decimal("1920.00"))
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 4, 1), value_date=ON)
    assert row_of(world.unit_a) is None  # paid up to May: nothing owed; June is not due yet


def test_not_yet_started_sealed_members_and_deferred_units_owe_nothing(world):
    assert row_of(world.unit_a, on=date(2025, 2, 20)) is None  # first month 2025-02 is the current month
    assert row_of(world.unit_a, on=date(2025, 3, 1)).months_owed == 1
    type(world.account_a).objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    assert row_of(world.unit_a) is None
    type(world.unit_b).objects.filter(pk=world.unit_b.pk).update(state=UnitState.DEFERRED)
    assert row_of(world.unit_b) is None


def test_the_staff_page_lists_units_in_scope_with_a_chart(world):
    open_member(world.clerk, world.unit_a, 71, opened_on=date(2025, 1, 10))
    response = Client()
    response.force_login(world.clerk)
    shown = response.get("/staff/arrears/")
    assert shown.status_code == 200
    html = shown.content.decode()
    assert world.unit_a.employer.name in html and world.unit_b.employer.name not in html  # branch A only
    assert 'class="bar-chart' in html and "个月" in html
    assert [r.unit.pk for r in shown.context["page_obj"]] == [world.unit_a.pk]
    director = Client()
    director.force_login(world.director)
    assert {r.unit.pk for r in director.get("/staff/arrears/").context["page_obj"]} == {world.unit_a.pk, world.unit_b.pk}
    for user in (world.member_a, world.unit_a_op, world.outsider):
        client = Client()
        client.force_login(user)
        assert client.get("/staff/arrears/").status_code == 404


def _give_phone(unit, phone):
    unit.employer.contact_phone = phone
    unit.employer.save(update_fields=["contact_phone"])


def test_reminders_go_once_per_unit_per_month(world):
    _give_phone(world.unit_a, "13900000001")
    world.unit_b_op.phone = "13900000002"  # unit B's contact is a landline; its operator's mobile is used
    world.unit_b_op.save(update_fields=["phone"])
    _give_phone(world.unit_b, "0537-3100001")
    assert send_arrears_reminders(on=ON.isoformat()) == 2
    assert send_arrears_reminders(on=ON.isoformat()) == 0  # the second run of the month queues nothing
    texts = list(SandboxSms.objects.filter(phone="13900000001").values_list("text", flat=True))
    assert len(texts) == 1 and "欠缴4个月" in texts[0] and world.unit_a.number in texts[0]
    assert SandboxSms.objects.filter(phone="13900000002").count() == 1
    reminder = ArrearsReminder.objects.get(unit=world.unit_a, month=date(2025, 6, 1))
    assert reminder.state == ReminderState.SENT and reminder.message_id and reminder.months_owed == 4
    # Even sent straight to the per-unit task again, a sent reminder is not sent again.
    from deposits.tasks.statements import send_arrears_reminder

    assert send_arrears_reminder.delay(world.unit_a.pk, ON.isoformat()).get() == ReminderState.SENT
    assert SandboxSms.objects.filter(phone="13900000001").count() == 1
    # Next month the unit, still behind, is reminded again.
    send_arrears_reminders(on="2025-07-03")
    assert SandboxSms.objects.filter(phone="13900000001").count() == 2
    assert ArrearsReminder.objects.filter(unit=world.unit_a).count() == 2


def test_a_unit_without_a_mobile_is_recorded_as_failed_and_retried(world):
    send_arrears_reminders(on=ON.isoformat())
    reminder = ArrearsReminder.objects.get(unit=world.unit_a, month=date(2025, 6, 1))
    assert reminder.state == ReminderState.FAILED and "手机号码" in reminder.error
    assert not SandboxSms.objects.exists()
    _give_phone(world.unit_a, "13900000001")
    assert send_arrears_reminders(on=ON.isoformat()) == 2  # failed ones are tried again
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.SENT and reminder.attempts == 2


def test_a_gateway_outage_releases_the_reminder_for_a_retry(world, monkeypatch):
    _give_phone(world.unit_a, "13900000001")

    def down(self, *, phone, text):
        raise Unavailable("短信网关暂不可用")

    monkeypatch.setattr(SandboxSmsGateway, "send", down)
    from deposits.services.arrears import arrears_reminder_send

    with pytest.raises(Unavailable):
        arrears_reminder_send(unit_id=world.unit_a.pk, on=ON)
    assert ArrearsReminder.objects.get(unit=world.unit_a).state == ReminderState.FAILED
    monkeypatch.undo()
    assert arrears_reminder_send(unit_id=world.unit_a.pk, on=ON).state == ReminderState.SENT
    assert SandboxSms.objects.filter(phone="13900000001").count() == 1


def test_a_unit_that_paid_before_its_reminder_went_out_is_not_texted(world):
    _give_phone(world.unit_a, "13900000001")
    for month in (date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)):
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=month, value_date=ON)
    from deposits.tasks.statements import send_arrears_reminder

    assert send_arrears_reminder.delay(world.unit_a.pk, ON.isoformat()).get() == "not_in_arrears"
    assert not SandboxSms.objects.exists()


def test_the_api_lists_arrears_in_scope(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.clerk_b)
    rows = client.get("/api/deposits/arrears/").json()
    assert [r["unit_number"] for r in rows] == [world.unit_b.number]
    assert rows[0]["months_owed"] >= 1
    client.force_authenticate(world.member_a)
    assert client.get("/api/deposits/arrears/").json() == []
