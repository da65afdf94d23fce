"""Every place that prints goes through the one printing limit (fund.printing.limits): the API answers 429
with Retry-After and the reason in Chinese, pages show the reason, and a reprint of the same document the
same day is the one already printed (same id)."""

from typing import Any

import pytest

from fund.printing.models import Document
from tests.clients import api, page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings: Any) -> Any:
    settings.FUND_PRINT_PER_USER_HOUR = settings.FUND_PRINT_PER_USER_DAY = 0
    settings.FUND_PRINT_PER_SUBJECT_HOUR, settings.FUND_PRINT_PER_SUBJECT_DAY = 3, 0
    return settings


def test_the_api_reprints_the_same_certificate_and_answers_429_past_the_limit(world):
    url = f"/api/deposits/members/{world.account_a.pk}/deposit-certificate/"
    member = api(world.member_a)
    first = member.post(url, {"purpose": "办理贷款"}, format="json")
    again = member.post(url, {"purpose": "办理贷款"}, format="json")
    assert first.status_code == again.status_code == 202 and first.json()["id"] == again.json()["id"]
    assert member.post(url, {"purpose": "租房"}, format="json").status_code == 202
    assert member.post(url, {"purpose": "落户"}, format="json").status_code == 202
    refused = member.post(url, {"purpose": "其他用途"}, format="json")
    assert refused.status_code == 429
    assert refused.json() == {"detail": "打印过于频繁：该人员一小时内已开具 3 份文件，已达上限 3 份，请 60 分钟后再试"}
    assert int(refused["Retry-After"]) > 0
    sheet = api(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/account-sheet/")
    assert sheet.status_code == 429  # the same limit, whatever the kind and whoever asks
    assert Document.objects.filter(subject=world.account_a.person).count() == 3


def test_pages_say_why_nothing_was_printed(world):
    for purpose in ("一", "二", "三"):
        api(world.member_a).post(f"/api/deposits/members/{world.account_a.pk}/deposit-certificate/",
                                 {"purpose": purpose}, format="json")
    words = "打印过于频繁：该人员一小时内已开具 3 份文件"
    member = page(world.member_a)
    sheet = member.post("/member/certificates/", follow=True)
    assert sheet.status_code == 200 and words in sheet.content.decode()
    certificate = member.post("/member/certificates/deposit/", {"purpose": "四"})
    assert certificate.status_code == 400 and words in certificate.content.decode()
    staff = page(world.clerk).post(f"/staff/members/{world.account_a.pk}/sheet/", follow=True)
    assert staff.status_code == 200 and words in staff.content.decode()
    assert Document.objects.filter(subject=world.account_a.person).count() == 3
