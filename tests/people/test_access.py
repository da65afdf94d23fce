"""Every kind of user, and an outsider, is refused what is not theirs — 404, in pages and in the API."""

import pytest
from rest_framework.test import APIClient

from fund.audit.models import PersonView
from tests.clients import api, page

pytestmark = pytest.mark.django_db

ALL = ["clerk", "clerk_b", "director", "auditor", "unit_a_op", "unit_b_op", "member_a", "member_b", "dev_a", "dev_b",
       "outsider"]
# Who may see member account A (in unit A, branch 市直) and unit A. The auditor reads centre-wide.
SEES_A = {"clerk", "director", "auditor", "unit_a_op", "member_a"}
SEES_UNIT_A = {"clerk", "director", "auditor", "unit_a_op"}
CENTRE_WIDE = {"director", "auditor"}


@pytest.mark.parametrize("who", ALL)
def test_member_account_a_through_the_api(world, who):
    response = api(getattr(world, who)).get(f"/api/deposits/members/{world.account_a.pk}/")
    if who in SEES_A:
        assert response.status_code == 200
        assert response.json()["number"] == world.account_a.number
        assert "*" in response.json()["id_number"]  # masked, even for those allowed
    else:
        assert response.status_code == 404
        assert response.json()["detail"] == "未找到，或您无权访问"


@pytest.mark.parametrize("who", ALL)
def test_unit_a_through_the_api(world, who):
    response = api(getattr(world, who)).get(f"/api/deposits/units/{world.unit_a.pk}/")
    assert response.status_code == (200 if who in SEES_UNIT_A else 404)


@pytest.mark.parametrize("who", ALL)
def test_lists_hold_only_what_the_user_may_see(world, who):
    numbers = {row["number"] for row in api(getattr(world, who)).get("/api/deposits/members/").json()["results"]}
    expected = {world.account_a.number} if who in SEES_A else set()
    if who in {"clerk_b", "unit_b_op", "member_b"} | CENTRE_WIDE:
        expected |= {world.account_b.number}
    assert numbers == expected


@pytest.mark.parametrize("who", ALL)
def test_the_staff_page_of_a_member(world, who):
    response = page(getattr(world, who)).get(f"/staff/members/{world.account_a.pk}/")
    assert response.status_code == (200 if who in {"clerk"} | CENTRE_WIDE else 404)


def test_viewing_a_full_record_is_logged(world):
    page(world.clerk).get(f"/staff/members/{world.account_a.pk}/")
    view = PersonView.objects.get()
    assert (view.actor, view.person) == (world.clerk, world.account_a.person)


def test_lists_show_masked_id_numbers(world):
    html = page(world.clerk).get("/staff/members/").content.decode()
    assert world.account_a.person.id_number not in html
    assert world.account_a.person.id_number[-4:] in html


@pytest.mark.parametrize(
    ("portal", "allowed"),
    [("/staff/", {"clerk", "clerk_b"} | CENTRE_WIDE), ("/unit/", {"unit_a_op", "unit_b_op"}),
     ("/member/", {"member_a", "member_b"}), ("/developer/", {"dev_a", "dev_b"})],
)
def test_portals_admit_only_their_users(world, portal, allowed):
    for who in ALL:
        assert page(getattr(world, who)).get(portal).status_code == (200 if who in allowed else 404), who


def test_the_unit_roster_shows_only_its_own_members(world):
    html = page(world.unit_a_op).get("/unit/members/").content.decode()
    assert world.account_a.number in html and world.account_b.number not in html


def test_the_member_hall_shows_only_ones_own_account(world):
    html = page(world.member_a).get("/member/").content.decode()
    assert world.account_a.number in html and world.account_b.number not in html


def test_developer_projects_are_their_own(world):
    from loans.models import Project

    Project.objects.create(developer=world.developer_a, name="甲项目", address="甲路")
    Project.objects.create(developer=world.developer_b, name="乙项目", address="乙路")
    html = page(world.dev_a).get("/developer/projects/").content.decode()
    assert "甲项目" in html and "乙项目" not in html


@pytest.mark.parametrize("who", ALL)
def test_only_the_window_posts_money_and_opens_accounts(world, who):
    """受理 in the account's branch, or a director; the auditor and everyone else are refused, and nothing is written."""
    from deposits.models import MonthlyDeposit, UnitAccount
    from fund.demo import make_credit_code
    from tests.conftest import bank_account_at_the_bank

    bank_account_at_the_bank("37050100000500", "某某商贸有限公司")  # the unit's account is at the bank, as opening checks
    client = api(getattr(world, who))
    posted = client.post(f"/api/deposits/members/{world.account_a.pk}/deposits/", {"month": "2025-02"}, format="json")
    unit = client.post("/api/deposits/units/", {
        "name": "某某商贸有限公司", "credit_code": make_credit_code(500), "bank_name": "建设银行", "bank_account": "37050100000500",
        "unit_ratio": "0.1", "member_ratio": "0.1", "pay_day": 5}, format="json")
    if who in {"clerk", "director"}:
        assert (posted.status_code, unit.status_code) == (201, 201)
    elif who == "clerk_b":  # a 受理 clerk, but A's account is in another branch; a unit opens in their own
        assert (posted.status_code, unit.status_code) == (404, 201)
        assert not MonthlyDeposit.objects.exists()
    else:
        assert posted.status_code in (403, 404) and unit.status_code == 403, who
        assert not MonthlyDeposit.objects.exists() and UnitAccount.objects.count() == 2


@pytest.mark.parametrize("who", ["clerk_b", "auditor", "member_b", "unit_b_op", "outsider"])
def test_window_pages_refuse_writes_outside_post_or_branch(world, who):
    from deposits.models import MonthlyDeposit

    client = page(getattr(world, who))
    response = client.post(f"/staff/members/{world.account_a.pk}/deposit/", {"month": "2025-02"})
    assert response.status_code in (403, 404)
    assert client.get("/staff/units/open/").status_code in ((200,) if who == "clerk_b" else (403, 404))
    assert not MonthlyDeposit.objects.exists()


def test_another_branch_cannot_print_a_members_sheet(world):
    from fund.printing.models import Document

    assert page(world.clerk_b).post(f"/staff/members/{world.account_a.pk}/sheet/").status_code == 404
    assert api(world.clerk_b).post(f"/api/deposits/members/{world.account_a.pk}/account-sheet/").status_code == 404
    assert not Document.objects.exists()


def test_anonymous_requests_are_refused(client):
    assert client.get("/staff/").status_code == 302
    assert APIClient().get("/api/deposits/members/").status_code in (401, 403)
