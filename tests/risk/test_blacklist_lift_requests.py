"""申请解除 from the pages and the API: the lister asks, the request waits in another manager's 待办 with its
due date, the detail page shows it, and another manager lifts it; the requester and outsiders cannot."""

from datetime import date, timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from fund.demo import make_id_number
from fund.workflow.services import work_items_for_user
from risk.models import BlacklistEntry, Category, SubjectKind
from risk.services import blacklist_add
from tests.clock import today

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry_of(actor) -> BlacklistEntry:
    return blacklist_add(actor=actor, subject_kind=SubjectKind.PERSON, id_number=make_id_number(birth=date(1985, 6, 12), seq=907), name="郭某某",
                         category=Category.FRAUD_WITHDRAWAL, reason="伪造购房合同骗提",
                         listed_on=today() - timedelta(days=3))


def test_the_lister_asks_from_the_page_and_another_manager_lifts_it_from_the_inbox(world, officers):
    entry = entry_of(officers.risk)
    page = signed_in(officers.risk).get(f"/staff/risk/blacklist/{entry.pk}/").content.decode()
    assert "提交解除申请" in page and "确认解除" not in page  # the lister may only ask
    empty = signed_in(officers.risk).post(f"/staff/risk/blacklist/{entry.pk}/lift-request/", {"reason": ""})
    assert empty.status_code == 400 and not work_items_for_user(world.director).exists()
    asked = signed_in(officers.risk).post(f"/staff/risk/blacklist/{entry.pk}/lift-request/", {"reason": "复核认定有误"})
    assert asked.status_code == 302
    [item] = work_items_for_user(world.director)
    assert item.subject == entry and item.due_on > today()
    inbox = signed_in(world.director).get("/staff/tasks/").content.decode()
    assert f"/staff/risk/blacklist/{entry.pk}/" in inbox
    detail = signed_in(world.director).get(f"/staff/risk/blacklist/{entry.pk}/").content.decode()
    assert "待审批" in detail and "复核认定有误" in detail and "确认解除" in detail
    assert "确认解除" not in signed_in(officers.risk).get(f"/staff/risk/blacklist/{entry.pk}/").content.decode()
    assert signed_in(officers.risk).post(f"/staff/risk/blacklist/{entry.pk}/lift/", {"reason": "自己批"}).status_code == 403
    done = signed_in(world.director).post(f"/staff/risk/blacklist/{entry.pk}/lift/", {"reason": "同意解除"})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.lifted_by == world.director and not work_items_for_user(world.director).exists()


def test_the_api_takes_a_lift_request_and_refuses_a_second_and_an_outsider(world, officers):
    entry = entry_of(officers.risk)
    api = APIClient()
    api.force_authenticate(officers.risk)
    url = f"/api/risk/blacklist/{entry.pk}/lift-request/"
    first = api.post(url, {"reason": "复核认定有误"}, format="json")
    assert first.status_code == 201 and first.json()["due_on"]
    again = api.post(url, {"reason": "再申请"}, format="json")
    assert again.status_code == 400 and "reason" in again.json()
    api.force_authenticate(world.clerk)
    assert api.post(url, {"reason": "无权"}, format="json").status_code in (403, 404)
    api.force_authenticate(world.outsider)
    assert api.post(url, {"reason": "无权"}, format="json").status_code in (403, 404)
