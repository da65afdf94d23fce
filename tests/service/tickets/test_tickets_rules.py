"""Ticket rules (转办单): deadlines in working days over a holiday, the flow with its SMS and rating link, the
reminders once, the 投诉台账's rates for a month worked by hand, the assessment's complaints, and who sees what."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fund.tickets.assessment import complaints_by_staff
from fund.tickets.models import Category, Channel, Ticket, TicketReminder, TicketState
from fund.tickets.selectors import ticket_get_for_user, ticket_rates, tickets_for_user
from fund.tickets.services import (
    rate_token,
    rate_token_read,
    ticket_assign,
    ticket_rate,
    ticket_register,
    ticket_reminders_send,
    ticket_reply,
)
from fund.workflow.models import StatusChange
from tests.clock import ZONE, travel_to


@pytest.fixture
def texts(monkeypatch):
    """Every SMS queued (single and batched), as (phone, text)."""
    from fund.people import tasks

    sent = []
    monkeypatch.setattr(tasks.send_sms, "delay", lambda phone, text: sent.append((phone, text)))
    monkeypatch.setattr(tasks.send_sms_many, "delay", lambda messages: sent.extend(tuple(m) for m in messages))
    return sent


def hotline(people, category=Category.COMPLAINT, **extra):
    return ticket_register(actor=people.desk, channel=Channel.HOTLINE, category=category, subject="提取到账慢",
                           content="上周申请的租房提取还没到账。", name="王五", phone="13700000009", **extra)


def test_a_ticket_registered_before_national_day_is_due_after_it(people):
    with travel_to(date(2026, 9, 30)):  # a Wednesday; 国庆 runs 1–7 October, Saturday 10 October is worked
        complaint = hotline(people)
        consult = hotline(people, category=Category.CONSULT)
    # Five working days: 8, 9, 10 (make-up Saturday), 12, 13 October.
    assert complaint.first_due_on == complaint.due_on == date(2026, 10, 13)
    assert consult.due_on == date(2026, 10, 10)
    assert complaint.number.startswith("GD20260930") and complaint.state == TicketState.REGISTERED


def test_a_ticket_is_assigned_answered_texted_and_rated_by_its_link(people, texts, django_capture_on_commit_callbacks):
    with travel_to(date(2026, 6, 1)), django_capture_on_commit_callbacks(execute=True):
        ticket = hotline(people)
        ticket_assign(actor=people.desk, ticket=ticket, responsible=people.clerk_a)
        with pytest.raises(PermissionDenied):
            ticket_reply(actor=people.colleague_a, ticket=ticket, reply="已核实。")
        ticket_reply(actor=people.clerk_a, ticket=ticket, reply="经核实已于今日到账，请查收。")
    ticket.refresh_from_db()
    assert (ticket.state, ticket.branch, ticket.first_replied_on) == (TicketState.REPLIED, people.branch_a, date(2026, 6, 1))
    assert [p for p, _ in texts] == ["13900000001", "13700000009"]  # the responsible's notice, then the reply
    assert "经核实已于今日到账" in texts[1][1]
    token = rate_token(ticket)
    assert rate_token_read(token) == (ticket.pk, 1)
    with travel_to(date(2026, 6, 2)):
        ticket_rate(ticket=ticket, satisfaction="unsatisfied", by="link", rounds=1)
    ticket.refresh_from_db()
    # 不满意: back to the person responsible with a new deadline; the first deadline stays for the on-time rate.
    assert (ticket.state, ticket.rounds, ticket.due_on, ticket.first_due_on) == (
        TicketState.ASSIGNED, 2, date(2026, 6, 9), date(2026, 6, 8))
    ticket_reply(actor=people.clerk_a, ticket=ticket, reply="已补发到账短信。")
    with pytest.raises(ValidationError):  # the first reply's link cannot rate the second reply
        ticket_rate(ticket=ticket, satisfaction="satisfied", by="link", rounds=1)
    with pytest.raises(PermissionDenied):  # nobody records a call-back on their own reply
        ticket_rate(ticket=ticket, satisfaction="satisfied", by="callback", actor=people.clerk_a, note="电话回访")
    ticket_rate(ticket=ticket, satisfaction="fair", by="callback", actor=people.desk, note="电话回访，基本满意")
    ticket.refresh_from_db()
    assert (ticket.state, ticket.satisfaction, ticket.first_replied_on) == (TicketState.CLOSED, "fair", date(2026, 6, 1))
    moves = list(StatusChange.objects.filter(subject_id=ticket.pk, field="state").values_list("old", "new"))
    assert moves == [("registered", "assigned"), ("assigned", "replied"), ("replied", "assigned"),
                     ("assigned", "replied"), ("replied", "closed")]


def test_reminders_reach_the_responsible_person_once_before_and_once_after_the_deadline(people, texts,
                                                                                      django_capture_on_commit_callbacks):
    with travel_to(date(2026, 6, 1)):
        ticket = hotline(people)  # due Monday 8 June
        ticket_assign(actor=people.desk, ticket=ticket, responsible=people.clerk_a)
    texts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ticket_reminders_send(date(2026, 6, 4)) == {"due_soon": 0, "overdue": 0, "texted": 0}
        assert ticket_reminders_send(date(2026, 6, 5)) == {"due_soon": 1, "overdue": 0, "texted": 1}
        assert ticket_reminders_send(date(2026, 6, 5))["due_soon"] == 0  # the close run again: nobody twice
        assert ticket_reminders_send(date(2026, 6, 8))["due_soon"] == 0
        assert ticket_reminders_send(date(2026, 6, 9)) == {"due_soon": 0, "overdue": 1, "texted": 1}
        assert ticket_reminders_send(date(2026, 6, 10))["overdue"] == 0
    assert [p for p, _ in texts] == ["13900000001", "13900000001"] and "已超过答复期限" in texts[1][1]
    assert list(TicketReminder.objects.filter(ticket=ticket).values_list("kind", "user")) == [
        ("overdue", people.clerk_a.pk), ("due_soon", people.clerk_a.pk)]


def _crafted(people, number, *, branch, responsible, registered_on, due, replied=None, category=Category.COMPLAINT):
    state = TicketState.REPLIED if replied else (TicketState.ASSIGNED if responsible else TicketState.REGISTERED)
    return Ticket.objects.create(
        number=f"GDT{number:04d}", channel=Channel.HOTLINE, category=category, subject="诉求", content="诉求",
        name="王五", phone="13700000009", state=state, registered_at=datetime(2026, 3, 1, 10, 0, tzinfo=ZONE),
        registered_on=registered_on, branch=branch, responsible=responsible, first_due_on=due, due_on=due,
        first_replied_on=replied, replied_at=datetime(2026, 3, 1, 10, 0, tzinfo=ZONE) if replied else None)


def test_reply_and_on_time_rates_for_a_crafted_month_worked_by_hand(people):
    a, b = people.branch_a, people.branch_b
    A, B = people.clerk_a, people.clerk_b
    d = date
    _crafted(people, 1, branch=a, responsible=A, registered_on=d(2026, 3, 2), due=d(2026, 3, 9), replied=d(2026, 3, 5))
    _crafted(people, 2, branch=a, responsible=A, registered_on=d(2026, 3, 5), due=d(2026, 3, 12), replied=d(2026, 3, 20))
    _crafted(people, 3, branch=a, responsible=A, registered_on=d(2026, 3, 24), due=d(2026, 3, 31),
             category=Category.CONSULT)
    _crafted(people, 4, branch=a, responsible=A, registered_on=d(2026, 3, 31), due=d(2026, 4, 20))  # not yet due
    _crafted(people, 5, branch=b, responsible=B, registered_on=d(2026, 3, 10), due=d(2026, 3, 17), replied=d(2026, 3, 17))
    _crafted(people, 6, branch=b, responsible=B, registered_on=d(2026, 3, 11), due=d(2026, 3, 18), replied=d(2026, 3, 12),
             category=Category.PRAISE)
    _crafted(people, 7, branch=None, responsible=None, registered_on=d(2026, 3, 13), due=d(2026, 3, 20))
    _crafted(people, 8, branch=a, responsible=A, registered_on=d(2026, 2, 27), due=d(2026, 3, 6))  # February
    _crafted(people, 9, branch=a, responsible=A, registered_on=d(2026, 4, 1), due=d(2026, 4, 8))  # April

    rates = ticket_rates(people.desk, start=d(2026, 3, 1), end=d(2026, 3, 31), today=d(2026, 4, 15))
    rows = {r["branch"]: r for r in rates["rows"]}
    # 市直: 4 registered, 2 replied (1 on time, 1 late), 1 unanswered past due, 1 not yet due.
    assert (rows["市直管理部"]["registered"], rows["市直管理部"]["replied"], rows["市直管理部"]["on_time"],
            rows["市直管理部"]["overdue"]) == (4, 2, 1, 2)
    assert rows["市直管理部"]["reply_rate"] == Decimal("0.5000") and rows["市直管理部"]["on_time_rate"] == Decimal("0.3333")
    assert rows["高新区管理部"]["reply_rate"] == Decimal("1.0000") and rows["高新区管理部"]["on_time_rate"] == Decimal("1.0000")
    assert (rows["未转办"]["registered"], rows["未转办"]["overdue"], rows["未转办"]["reply_rate"]) == (1, 1, Decimal("0"))
    # The month: 7 registered, 4 replied, 3 on time, 3 overdue.
    assert [(m["month"], m["registered"], m["reply_rate"], m["on_time_rate"]) for m in rates["months"]] == [
        (d(2026, 3, 1), 7, Decimal("0.5714"), Decimal("0.5000"))]
    # A branch's staff see their branch only.
    own = ticket_rates(people.colleague_a, start=d(2026, 3, 1), end=d(2026, 3, 31), today=d(2026, 4, 15))
    assert [r["branch"] for r in own["rows"]] == ["市直管理部"]
    # The window assessment's 被投诉次数: March's complaints by person responsible (1, 2, 4 and 5; 3 is a
    # consultation, 6 a praise, 7 unassigned, 8 and 9 of other months).
    assert complaints_by_staff(d(2026, 3, 1), d(2026, 3, 31)) == {A.pk: 3, B.pk: 1}
    from fund.assessment.registry import assessment_sources

    assert [(s.code, s.label, s.fn) for s in assessment_sources() if s.code == "complaints"] == [
        ("complaints", "被投诉次数", complaints_by_staff)]


def test_staff_of_another_branch_and_other_members_do_not_see_a_ticket(people):
    ticket = hotline(people)
    ticket_assign(actor=people.desk, ticket=ticket, responsible=people.clerk_a)
    own = ticket_register(actor=people.owner, channel=Channel.MEMBER, category=Category.CONSULT, subject="缴存证明",
                          content="如何打印缴存证明？", person=people.owner.person)
    assert ticket_get_for_user(people.colleague_a, ticket.pk) == ticket
    for outsider in (people.clerk_b, people.owner, people.outsider):
        with pytest.raises(Http404):
            ticket_get_for_user(outsider, ticket.pk)
    assert list(tickets_for_user(people.owner)) == [own] and not tickets_for_user(people.other_member).exists()
    assert own.name == "张三" and own.phone == "13800000001" and own.due_on > own.registered_on


def test_it_refuses_a_ticket_missing_what_it_needs_and_writes_nothing(people):
    with pytest.raises(ValidationError) as refused:
        ticket_register(actor=people.desk, channel=Channel.HOTLINE, category="gossip", subject="", content="x" * 2001,
                        name="王五", phone="")
    assert set(refused.value.message_dict) == {"category", "subject", "content", "phone"}
    with pytest.raises(PermissionDenied):
        ticket_register(actor=people.outsider, channel=Channel.HOTLINE, category=Category.CONSULT, subject="s",
                        content="c", name="王五", phone="13700000009")
    assert not Ticket.objects.exists()
