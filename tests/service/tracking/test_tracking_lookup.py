"""The public lookup of an application's progress: number plus the last four characters of the ID, a wrong
suffix refused exactly as an unknown number, nothing personal but a masked name, and a limit per address
(429 with a Chinese message) on the page and in the API alike."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def alert(page: Any) -> str:
    text = page.content.decode()
    start = text.index('<span class="alert-text">') + len('<span class="alert-text">')
    return text[start:text.index("</span>", start)]


@pytest.fixture
def application(world: Any) -> Any:
    from deposits.services.transfer import transfer_in_apply
    from fund.tracking.models import Application

    transfer_in_apply(actor=world.clerk, account=world.account_a, from_centre="成都住房公积金管理中心")
    return Application.objects.get(person=world.account_a.person)


def test_it_shows_the_steps_and_a_masked_name_for_the_right_suffix(world, application):
    person = world.account_a.person
    form = Client().get("/service/lookup/")
    assert form.status_code == 200 and "证件号码后四位" in form.content.decode()
    page = Client().post("/service/lookup/", {"number": application.number.lower(),
                                              "suffix": person.id_number[-4:].lower()})
    text = page.content.decode()
    assert page.status_code == 200 and "发送联系函" in text and application.number in text
    assert person.name not in text and person.id_number not in text
    assert person.name[0] + "*" in text
    answer = APIClient().post("/api/service/applications/lookup/",
                              {"number": application.number, "suffix": person.id_number[-4:]}, format="json")
    assert answer.status_code == 200 and answer.json()["steps"][0]["name"] == "发送联系函"
    assert answer.json()["applicant"] != person.name


def test_it_refuses_a_wrong_suffix_with_the_same_answer_as_an_unknown_number(world, application):
    suffix = world.account_a.person.id_number[-4:]
    wrong = "0000" if suffix != "0000" else "1111"
    client = Client()
    refused = client.post("/service/lookup/", {"number": application.number, "suffix": wrong})
    unknown = client.post("/service/lookup/", {"number": "BJ2099010100000001", "suffix": suffix})
    assert refused.status_code == unknown.status_code == 404
    assert "未查到该办件" in refused.content.decode() and application.step_label not in refused.content.decode()
    assert alert(refused) == alert(unknown) == "未查到该办件：请核对办件编号和证件号码后四位"
    assert "data-tracking-lookup" not in refused.content.decode()
    api = APIClient()
    first = api.post("/api/service/applications/lookup/", {"number": application.number, "suffix": wrong}, format="json")
    second = api.post("/api/service/applications/lookup/", {"number": "BJ2099010100000001", "suffix": suffix},
                      format="json")
    assert first.status_code == second.status_code == 404 and first.json() == second.json()


@override_settings(FUND_TRACKING_LOOKUP_RATE="3/min")
def test_it_refuses_an_address_that_asks_too_often_on_the_page_and_in_the_api(world, application):
    suffix = world.account_a.person.id_number[-4:]
    guesser = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        assert guesser.post("/service/lookup/", {"number": application.number, "suffix": "0000"}).status_code == 404
    page = guesser.post("/service/lookup/", {"number": application.number, "suffix": suffix})
    assert page.status_code == 429 and "查询过于频繁" in page.content.decode() and page["Retry-After"]
    api = APIClient(REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="192.0.2.1")  # a forged header buys nothing
    answer = api.post("/api/service/applications/lookup/", {"number": application.number, "suffix": suffix},
                      format="json")
    assert answer.status_code == 429 and answer.json()["detail"] == "查询过于频繁，请稍后再试"
    other = Client(REMOTE_ADDR="10.0.0.8")  # another address is counted on its own
    assert other.post("/service/lookup/", {"number": application.number, "suffix": suffix}).status_code == 200
