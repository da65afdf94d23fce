"""我的办件 shows each user only their own: the member their applications, the unit operator their unit's,
the window clerk their branch's; anyone else gets the same 404 as for a number that does not exist."""

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from fund.audit.models import PersonView
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def filed(world: Any) -> dict[str, Any]:
    """Member A's transfer in (asked at the window of branch A) and unit A's deferral (asked online)."""
    from deposits.services.transfer import transfer_in_apply
    from deposits.services.unit_applications import unit_application_submit
    from fund.tracking.models import Application

    transfer_in_apply(actor=world.clerk, account=world.account_a, from_centre="成都住房公积金管理中心")
    today = timezone.localdate()
    unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind="deferral", start_month=today,
                            end_month=today, reason="经营困难")
    return {"member": Application.objects.get(person=world.account_a.person),
            "unit": Application.objects.get(employer=world.unit_a.employer)}


def test_it_shows_the_member_their_own_applications_and_no_one_elses(world, filed):
    own = filed["member"]
    owner = signed_in(world.member_a)
    page = owner.get("/member/tracking/")
    assert page.status_code == 200 and own.number in page.content.decode()
    assert filed["unit"].number not in page.content.decode()
    detail = owner.get(f"/member/tracking/{own.number}/")
    assert detail.status_code == 200 and "发送联系函" in detail.content.decode()
    for user in (world.member_b, world.unit_a_op, world.outsider):
        assert signed_in(user).get(f"/member/tracking/{own.number}/").status_code == 404
        assert api(user).get(f"/api/service/applications/{own.number}/").status_code == 404
    assert signed_in(world.member_b).get("/member/tracking/").content.decode().count(own.number) == 0
    assert signed_in(world.member_a).get("/member/tracking/BJ2099010100000000/").status_code == 404
    assert own.number not in owner.get("/member/tracking/", {"outcome": "done"}).content.decode()
    bad = owner.get("/member/tracking/", {"outcome": "bogus"})  # said, not a 500, and the list unfiltered
    assert bad.status_code == 200 and "结果：" in bad.content.decode() and own.number in bad.content.decode()


def test_it_shows_the_unit_operator_their_units_applications_only(world, filed):
    unit = filed["unit"]
    assert signed_in(world.unit_a_op).get(f"/unit/tracking/{unit.number}/").status_code == 200
    assert unit.number in signed_in(world.unit_a_op).get("/unit/tracking/").content.decode()
    for user in (world.unit_b_op, world.member_a, world.outsider):
        assert signed_in(user).get(f"/unit/tracking/{unit.number}/").status_code == 404
    assert api(world.unit_b_op).get(f"/api/service/applications/{unit.number}/").status_code == 404


def test_it_answers_the_api_list_with_the_callers_own_only(world, filed):
    numbers = {row["number"] for row in api(world.member_a).get("/api/service/applications/").json()["results"]}
    assert numbers == {filed["member"].number}
    numbers = {row["number"] for row in api(world.unit_a_op).get("/api/service/applications/").json()["results"]}
    assert numbers == {filed["unit"].number}
    assert api(world.outsider).get("/api/service/applications/").json()["results"] == []
    answer = api(world.member_a).get("/api/service/applications/?outcome=nonsense")
    assert answer.status_code == 400 and "结果" in str(answer.json())


def test_it_shows_the_window_its_branchs_applications_and_logs_the_person_viewed(world, filed):
    own = filed["member"]
    id_number = world.account_a.person.id_number
    clerk = signed_in(world.clerk)
    page = clerk.get("/staff/tracking/", {"q": id_number})
    assert page.status_code == 200 and own.number in page.content.decode()
    assert PersonView.objects.filter(actor=world.clerk, person=world.account_a.person).exists()
    assert clerk.get(f"/staff/tracking/{own.number}/").status_code == 200
    other = signed_in(world.clerk_b)  # another branch: nothing of branch A's member, as if there were none
    page = other.get("/staff/tracking/", {"q": id_number})
    assert own.number not in page.content.decode() and "未找到该申请人" in page.content.decode()
    assert other.get(f"/staff/tracking/{own.number}/").status_code == 404
    assert not PersonView.objects.filter(actor=world.clerk_b).exists()
    assert signed_in(world.director).get(f"/staff/tracking/{own.number}/").status_code == 200  # centre-wide
    assert api(world.director).get(f"/api/service/applications/{own.number}/").status_code == 200
    assert PersonView.objects.filter(actor=world.director, person=world.account_a.person).count() == 2
    bad = clerk.get("/staff/tracking/", {"q": "12345678901234567X"})
    assert bad.status_code == 200 and "请输入18位居民身份证号码或统一社会信用代码" in bad.content.decode()
