"""The dormant campaign's pages and API: a centre-wide officer starts it, branch staff work their branch's accounts
(another branch's account is 404 to them), members and unit operators get 404; the API answers as documented."""

from typing import Any

import pytest

from risk.models import DormantAccount, DormantCampaign, DormantOutcome
from risk.services.dormant import dormant_campaign_start
from tests.api_contract import Contract
from tests.clients import api
from tests.clients import page as browser
from tests.clock import travel_to
from tests.risk.dormant_world import START, sealed_long_ago

pytestmark = pytest.mark.django_db




@pytest.fixture
def campaign(world: Any, officers: Any) -> DormantCampaign:
    """Two dormant accounts: one under each branch's unit (account_a has a phone, account_b is made phoneless)."""
    sealed_long_ago(world, world.account_a)
    sealed_long_ago(world, world.account_b)
    world.account_b.person.phone = ""
    world.account_b.person.save(update_fields=["phone"])
    return dormant_campaign_start(actor=officers.risk, name="2027年呆滞账户清理", on=START)


def test_a_centre_wide_officer_starts_a_campaign_from_the_page(world: Any, officers: Any) -> None:
    sealed_long_ago(world, world.account_a)
    with travel_to(START):
        refused = browser(world.clerk).post("/staff/risk/dormant/", {"name": "清理"})
        answer = browser(officers.risk).post("/staff/risk/dormant/", {"name": "2027年清理"})
    assert refused.status_code == 403 and not DormantCampaign.objects.filter(name="清理").exists()
    campaign = DormantCampaign.objects.get(name="2027年清理")
    assert answer.status_code == 302 and answer.url == f"/staff/risk/dormant/{campaign.pk}/"
    assert DormantAccount.objects.filter(campaign=campaign, account=world.account_a).exists()
    empty = browser(officers.risk).post("/staff/risk/dormant/", {"name": ""})
    assert empty.status_code == 400 and "请填写行动名称" in empty.content.decode()


def test_branch_staff_see_and_work_only_their_branch_accounts(world: Any, officers: Any, campaign: Any) -> None:
    mine = DormantAccount.objects.get(campaign=campaign, account=world.account_b)
    theirs = DormantAccount.objects.get(campaign=campaign, account=world.account_a)
    page = browser(world.clerk_b).get(f"/staff/risk/dormant/{campaign.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and world.account_b.number in html and world.account_a.number not in html
    assert "无联系方式" in html and world.unit_b.employer.name in html
    assert browser(world.clerk_b).post(f"/staff/risk/dormant/accounts/{theirs.pk}/outcome/",
                                       {"outcome": "reached"}).status_code == 404
    done = browser(world.clerk_b).post(f"/staff/risk/dormant/accounts/{mine.pk}/outcome/",
                                       {"outcome": "not_found", "note": "原单位已注销"})
    assert done.status_code == 302
    mine.refresh_from_db()
    assert (mine.outcome, mine.outcome_by, mine.outcome_note) == (DormantOutcome.NOT_FOUND, world.clerk_b, "原单位已注销")
    wrong = browser(world.clerk_b).post(f"/staff/risk/dormant/accounts/{mine.pk}/outcome/", {"outcome": "withdrawn"})
    assert wrong.status_code == 400
    # The centre-wide officer sees both branches.
    whole = browser(officers.risk).get(f"/staff/risk/dormant/{campaign.pk}/").content.decode()
    assert world.account_a.number in whole and world.account_b.number in whole


@pytest.mark.parametrize("who", ["member_a", "unit_a_op", "auditor"])
def test_it_answers_404_to_anyone_who_does_not_work_the_campaign(world: Any, campaign: Any, who: str) -> None:
    user = getattr(world, who)
    item = DormantAccount.objects.filter(campaign=campaign).first()
    assert browser(user).get("/staff/risk/dormant/").status_code == 404
    assert browser(user).get(f"/staff/risk/dormant/{campaign.pk}/").status_code == 404
    assert api(user).get(f"/api/risk/dormant/{campaign.pk}/accounts/").status_code == 404
    assert api(user).post(f"/api/risk/dormant/accounts/{item.pk}/outcome/", {"outcome": "reached"},
                          format="json").status_code == 404


def test_the_api_answers_as_documented(world: Any, officers: Any, campaign: Any) -> None:
    contract = Contract.load()
    officer, clerk_b = api(officers.risk), api(world.clerk_b)
    listed = contract.call(officer, "get", "/api/risk/dormant/").json()
    assert [c["id"] for c in listed["results"]] == [campaign.pk]
    detail = contract.call(officer, "get", "/api/risk/dormant/{id}/", id=campaign.pk).json()
    assert detail["progress"]["total"] == 2 and detail["progress"]["no_phone"] == 1
    assert {b["branch"]: b["total"] for b in detail["progress"]["by_branch"]} == {
        world.branch_a.name: 1, world.branch_b.name: 1}
    rows = contract.call(clerk_b, "get", "/api/risk/dormant/{id}/accounts/", id=campaign.pk).json()["results"]
    assert [(r["account_number"], r["phone"], r["outcome"]) for r in rows] == [(world.account_b.number, "", "pending")]
    none = contract.call(officer, "get", "/api/risk/dormant/{id}/accounts/", query={"contact": "none"}, id=campaign.pk)
    assert [r["account_number"] for r in none.json()["results"]] == [world.account_b.number]
    recorded = contract.call(clerk_b, "post", "/api/risk/dormant/accounts/{id}/outcome/",
                             {"outcome": "reached", "note": "本人来电"}, id=rows[0]["id"]).json()
    assert (recorded["outcome"], recorded["outcome_by"]) == ("reached", str(world.clerk_b))
    refused = contract.call(clerk_b, "post", "/api/risk/dormant/accounts/{id}/outcome/", {"outcome": "transferred"},
                            id=rows[0]["id"])
    assert refused.status_code == 400 and "outcome" in refused.json()
    assert contract.call(clerk_b, "post", "/api/risk/dormant/", {"name": "分部清理"}).status_code == 403
