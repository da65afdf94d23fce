"""Who sees the overdue ledger and what its pages and API refuse: a collector works only their branch's cases
(another branch's collector and an outsider get 404); bad contact input is a 400 naming the field with nothing
written; reassignment is the centre-wide officer's, kept in the history."""

from datetime import date
from typing import Any

import pytest

from risk.models import CaseState, CollectionContact, OverdueCase
from tests import clock
from tests.clients import api
from tests.risk.conftest import overdue_night

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 5, 21)  # two periods overdue: 上门及书面催收



@pytest.fixture
def case(ln: Any, collectors: Any) -> OverdueCase:
    loan = ln.active_loan()
    overdue_night(NIGHT)
    return OverdueCase.objects.get(loan=loan, state=CaseState.OPEN)


def test_a_collector_of_another_branch_and_an_outsider_get_404(case, collectors, ln, client):
    assert case.collector == collectors.a1
    for user in (collectors.b, ln.world.clerk, ln.world.unit_a_op):
        assert api(user).get(f"/api/risk/overdue/{case.pk}/").status_code == 404
        assert api(user).post(f"/api/risk/overdue/{case.pk}/contacts/", {"channel": "phone", "result": "x"},
                              format="json").status_code == 404
        client.force_login(user)
        assert client.get(f"/staff/risk/overdue/{case.pk}/").status_code in (403, 404)
    listed = api(collectors.b).get("/api/risk/overdue/").json()
    assert listed["count"] == 0
    own = api(collectors.a1).get("/api/risk/overdue/", {"stage": 2}).json()
    assert [row["id"] for row in own["results"]] == [case.pk]
    client.force_login(collectors.a1)
    page = client.get(f"/staff/risk/overdue/{case.pk}/")
    assert page.status_code == 200 and "上门催收" in page.content.decode()
    assert client.get("/staff/risk/overdue/", {"collector": collectors.a1.pk}).status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"channel": "pigeon", "result": "已联系"}, "channel"),
    ({"channel": "phone", "result": "   "}, "result"),
    ({"channel": "phone", "result": "已联系", "promise_on": "2026-05-01"}, "promise_on"),
    ({"channel": "phone", "result": "已联系", "contacted_on": "2026-06-30"}, "contacted_on"),
])
def test_bad_contact_input_is_a_400_naming_the_field_and_writes_nothing(case, collectors, body, field):
    before = CollectionContact.objects.count()
    with clock.travel_to(date(2026, 5, 22)):
        answer = api(collectors.a1).post(f"/api/risk/overdue/{case.pk}/contacts/", body, format="json")
    assert answer.status_code == 400 and field in str(answer.json())
    assert CollectionContact.objects.count() == before


def test_a_contact_by_api_completes_its_task_and_reassigning_is_for_the_centre_wide_officer(case, collectors, officers):
    with clock.travel_to(date(2026, 5, 22)):
        answer = api(collectors.a1).post(f"/api/risk/overdue/{case.pk}/contacts/",
                                         {"channel": "visit", "result": "上门见到借款人，称下周还款",
                                          "promise_on": "2026-05-29"}, format="json")
    assert answer.status_code == 201
    detail = api(collectors.a1).get(f"/api/risk/overdue/{case.pk}/").json()
    assert [t["done_at"] is not None for t in detail["tasks"] if t["kind"] == "visit"] == [True]

    body = {"collector": collectors.a2.pk, "reason": "甲清收休假"}
    assert api(collectors.a1).post(f"/api/risk/overdue/{case.pk}/reassign/", body, format="json").status_code == 403
    refused = api(officers.risk).post(f"/api/risk/overdue/{case.pk}/reassign/",
                                      {"collector": collectors.b.pk, "reason": "x"}, format="json")
    assert refused.status_code == 400 and "collector" in refused.json()  # another branch's collector
    moved = api(officers.risk).post(f"/api/risk/overdue/{case.pk}/reassign/", body, format="json")
    assert moved.status_code == 200 and moved.json()["collector"] == "乙清收"
    history = list(case.assignments.order_by("id").values_list("collector", "previous", "by"))
    assert history == [(collectors.a1.pk, None, None), (collectors.a2.pk, collectors.a1.pk, officers.risk.pk)]
    cleared = api(officers.risk).get("/api/risk/overdue/cleared/", {"on": "2026-05-21"})
    assert cleared.status_code == 200 and cleared.json()["count"] == 0
    assert api(officers.risk).get("/api/risk/overdue/cleared/", {"on": "bad"}).status_code == 400


def test_printing_the_notice_issues_a_verifiable_pdf_and_records_one_letter_contact(case, collectors):
    from fund.printing.models import Document
    from risk.models import Channel, CollectionTask, TaskKind
    from risk.overdue_pdf import OVERDUE_NOTICE

    first = api(collectors.a1).post(f"/api/risk/overdue/{case.pk}/notice/")
    again = api(collectors.a1).post(f"/api/risk/overdue/{case.pk}/notice/")
    assert first.status_code == again.status_code == 202 and first.json()["id"] == again.json()["id"]
    document = Document.objects.get(pk=first.json()["id"])
    assert document.kind == OVERDUE_NOTICE and document.context["periods"] == 2 and document.verification_code
    letter = CollectionContact.objects.get(case=case, channel=Channel.LETTER)
    assert letter.document == document and letter.by == collectors.a1
    assert CollectionTask.objects.get(case=case, kind=TaskKind.NOTICE).done_contact == letter
    assert api(collectors.b).post(f"/api/risk/overdue/{case.pk}/notice/").status_code == 404
