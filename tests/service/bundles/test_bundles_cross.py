"""跨省通办: identity at the public security sandbox refuses a mismatch and is throttled; the 通办 queue is the
branch's own; pages and API answer for the same rules."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from fund.bundles.models import CrossProvinceRequest, CrossState, IdentityCheck
from fund.bundles.services import (
    TooManyChecks,
    cross_identity_verify,
    cross_request_submit,
    cross_request_take,
)
from fund.demo import make_id_number
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _request(bw: Any) -> CrossProvinceRequest:
    person = bw.account_a.person
    return cross_request_submit(item_code="TQ-03", name=person.name, id_number=person.id_number,
                                phone="13900001111", province="四川省", ip="10.0.0.1")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_refuses_a_cross_province_identity_whose_name_does_not_match(bw: Any) -> None:
    person = bw.account_a.person
    with pytest.raises(ValidationError) as refused:
        cross_request_submit(item_code="TQ-03", name="冒名者", id_number=person.id_number, phone="13900001111",
                             ip="10.0.0.1")
    assert refused.value.message_dict == {"name": ["公安身份核验未通过：姓名与身份证号码不一致"]}
    assert not CrossProvinceRequest.objects.exists()
    assert IdentityCheck.objects.get().ok is False


def test_it_stops_checking_an_id_number_after_too_many_failures(bw: Any, settings: Any) -> None:
    from fund.integrations.models import IntegrationCall

    settings.FUND_CROSS_CHECK_MAX_FAILURES = 2
    person = bw.account_a.person
    for _ in range(2):
        with pytest.raises(ValidationError):
            cross_identity_verify(item_code="ZH-01", name="冒名者", id_number=person.id_number, ip="10.0.0.2")
    asked = IntegrationCall.objects.filter(system="identity").count()
    with pytest.raises(TooManyChecks):  # even with the right name: nobody may go on guessing
        cross_identity_verify(item_code="ZH-01", name=person.name, id_number=person.id_number, ip="10.0.0.3")
    assert IntegrationCall.objects.filter(system="identity").count() == asked


def test_it_leads_a_verified_member_to_sign_in_for_an_online_item(bw: Any) -> None:
    person = bw.account_a.person
    answer = Client().post("/service/kuasheng/", {"item": "TQ-03", "name": person.name, "id_number": person.id_number,
                                                  "way": "online"})
    assert answer.status_code == 200
    assert "next=%2Fmember%2Fwithdrawals%2Fapply%2F03%2F" in answer.content.decode()
    assert not CrossProvinceRequest.objects.exists()  # nobody is signed in by the check itself
    assert "_auth_user_id" not in answer.wsgi_request.session


def test_the_queue_is_the_branchs_own(bw: Any) -> None:
    request = _request(bw)
    assert request.branch == bw.branch_a and request.state == CrossState.WAITING
    owner = _client(bw.clerk)
    assert request.number in owner.get("/staff/bundles/cross/").content.decode()
    assert owner.get(f"/staff/bundles/cross/{request.pk}/").status_code == 200
    for colleague in (bw.clerk_b, bw.member_a, bw.unit_a_op, bw.outsider):
        client = _client(colleague)
        assert client.get(f"/staff/bundles/cross/{request.pk}/").status_code == 404
        assert client.get(f"/api/service/bundles/cross/requests/{request.pk}/").status_code == 404
        assert client.post(f"/api/service/bundles/cross/requests/{request.pk}/take/").status_code == 404
    assert request.number not in _client(bw.clerk_b).get("/staff/bundles/cross/").content.decode()
    assert _client(bw.director).get(f"/api/service/bundles/cross/requests/{request.pk}/").status_code == 200


def test_it_records_who_took_a_request_and_only_they_finish_it(bw: Any, django_capture_on_commit_callbacks: Any) -> None:
    from fund.people.models import Post
    from fund.people.services import staff_create
    from fund.tracking.models import Application

    request = _request(bw)
    cross_request_take(actor=bw.clerk, request=request)
    request.refresh_from_db()
    assert (request.state, request.taken_by) == (CrossState.TAKEN, bw.clerk)
    other = staff_create(actor=None, username="clerk_a2", name="clerk_a2", branch=bw.branch_a, posts=[Post.ACCEPT],
                         employee_number="a2", password=PASSWORD)
    refused = _client(other).post(f"/api/service/bundles/cross/requests/{request.pk}/finish/",
                                  {"outcome": "done", "result": "已代为办理"}, content_type="application/json")
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=False):
        done = _client(bw.clerk).post(f"/api/service/bundles/cross/requests/{request.pk}/finish/",
                                      {"outcome": "done", "result": "已代为办理并邮寄凭证"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "done"
    app = Application.objects.get(kind="bundles.cross", source_number=request.number)
    assert (app.outcome, app.channel, app.handled_by_id) == ("done", "cross_province", bw.clerk.pk)


def test_the_api_runs_a_bundle_and_refuses_it_to_the_wrong_portal(bw: Any) -> None:
    from tests.service.bundles.conftest import identity

    new_id = make_id_number(birth=date(1999, 1, 2), seq=83)
    identity(new_id, "接口新职工")
    body = {"id_number": new_id, "name": "接口新职工", "base": "6000", "client_token": "api-1"}
    answer = _client(bw.unit_a_op).post("/api/service/bundles/YJS-01/runs/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    number = answer.json()["number"]
    assert [p["code"] for p in answer.json()["parts"]][0] == "deposits.member_open"
    again = _client(bw.unit_a_op).post("/api/service/bundles/YJS-01/runs/", body, content_type="application/json")
    assert (again.status_code, again.json()["number"]) == (200, number)
    assert _client(bw.unit_b_op).get(f"/api/service/bundles/runs/{number}/").status_code == 404
    assert _client(bw.member_a).post("/api/service/bundles/YJS-01/runs/", body,
                                     content_type="application/json").status_code == 403
    page = _client(bw.unit_a_op).get(f"/unit/bundles/runs/{number}/")
    assert page.status_code == 200 and "职工个人账户设立" in page.content.decode()
