"""The ticket pages and API as their users see them: the desk's ledger with its filter, Excel and rates chart; a
branch's clerk, members and strangers kept out (404); the member's hall; the public form and the SMS rating link."""

from datetime import date
from io import BytesIO

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from fund.tickets.models import Category, Channel, Ticket, TicketState
from fund.tickets.services import rate_token, ticket_assign, ticket_register, ticket_reply
from tests.clients import api, page
from tests.clock import travel_to


@pytest.fixture
def ticket(people):
    with travel_to(date(2026, 6, 1)):
        made = ticket_register(actor=people.desk, channel=Channel.HOTLINE, category=Category.COMPLAINT,
                               subject="窗口排队太久", content="周一上午等了两个小时。", name="王五", phone="13700000009")
        ticket_assign(actor=people.desk, ticket=made, responsible=people.clerk_a)
    return made


def test_the_desk_works_the_ledger_and_exports_it(people, ticket):
    desk = page(people.desk)
    listed = desk.get("/staff/tickets/", {"q": ticket.number})
    assert listed.status_code == 200 and ticket.number in listed.content.decode()
    assert "窗口排队太久" not in desk.get("/staff/tickets/", {"category": "praise"}).content.decode()
    sheet = load_workbook(BytesIO(desk.get("/staff/tickets/", {"format": "xlsx"}).content)).active
    assert ticket.number in [row[0] for row in sheet.iter_rows(values_only=True)]
    with travel_to(date(2026, 6, 20)):
        rates = desk.get("/staff/tickets/rates/", {"start": "2026-06-01", "end": "2026-06-30"})
        body = rates.content.decode()
        assert rates.status_code == 200 and "data-ticket-chart" in body and "市直管理部" in body
        assert api(people.desk).get("/api/service/tickets/rates/", {"start": "2026-06-01"}).json()["months"][0][
            "overdue"] == 1
        assert desk.get("/staff/tickets/rates/", {"start": "2026-06-30", "end": "2026-06-01"}).status_code == 400


def test_the_responsible_person_answers_on_the_page_and_others_get_404(people, ticket):
    assert page(people.clerk_b).get(f"/staff/tickets/{ticket.pk}/").status_code == 404
    assert api(people.clerk_b).get(f"/api/service/tickets/{ticket.pk}/").status_code == 404
    assert api(people.owner).get(f"/api/service/tickets/{ticket.pk}/").status_code == 404
    assert page(people.owner).get(f"/staff/tickets/{ticket.pk}/").status_code == 404
    clerk = page(people.clerk_a)
    assert "提交答复" in clerk.get(f"/staff/tickets/{ticket.pk}/").content.decode()
    assert clerk.post(f"/staff/tickets/{ticket.pk}/reply/", {"reply": ""}).status_code == 400
    done = clerk.post(f"/staff/tickets/{ticket.pk}/reply/", {"reply": "已增开窗口。"})
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REPLIED


def test_a_member_files_and_rates_in_the_hall_and_sees_only_their_own(people, ticket):
    hall = page(people.owner)
    made = hall.post("/member/tickets/", {"category": "consult", "subject": "缴存证明", "content": "如何打印？",
                                          "name": "张三", "phone": "13800000001"})
    assert made.status_code == 302
    own = Ticket.objects.get(person=people.owner.person)
    listed = hall.get("/member/tickets/").content.decode()
    assert own.number in listed and ticket.number not in listed
    assert page(people.other_member).get(f"/member/tickets/{own.pk}/").status_code == 404
    assert [t["number"] for t in api(people.owner).get("/api/service/tickets/").json()["results"]] == [own.number]
    ticket_assign(actor=people.desk, ticket=own, responsible=people.clerk_a)
    ticket_reply(actor=people.clerk_a, ticket=own, reply="登录个人网厅即可打印。")
    assert hall.post(f"/member/tickets/{own.pk}/", {"satisfaction": "satisfied"}).status_code == 302
    own.refresh_from_db()
    assert (own.state, own.satisfaction_by) == (TicketState.CLOSED, "hall")


def test_the_public_form_and_the_rating_link_need_no_sign_in(people, client):
    cache.clear()
    assert 'href="/service/tickets/new/"' in client.get("/").content.decode()  # in the public hall's top bar
    answered = client.post("/service/tickets/new/", {"category": "suggestion", "subject": "延长服务时间",
                                                     "content": "建议周六也开放。", "name": "赵六", "phone": "13600000006"})
    assert answered.status_code == 200 and "工单编号" in answered.content.decode()
    ticket = Ticket.objects.get(channel=Channel.PUBLIC)
    assert client.post("/service/tickets/new/", {"category": "suggestion"}).status_code == 400
    ticket_assign(actor=people.desk, ticket=ticket, responsible=people.clerk_a)
    ticket_reply(actor=people.clerk_a, ticket=ticket, reply="周六上午已开放。")
    link = f"/service/tickets/rate/{rate_token(ticket)}/"
    assert "周六上午已开放" in client.get(link).content.decode()
    assert client.post(link, {"satisfaction": "satisfied"}).status_code == 200
    assert client.post(link, {"satisfaction": "unsatisfied"}).status_code == 400  # rated once
    assert client.get("/service/tickets/rate/forged/").status_code == 404
    ticket.refresh_from_db()
    assert (ticket.state, ticket.satisfaction) == (TicketState.CLOSED, "satisfied")
    cache.clear()
