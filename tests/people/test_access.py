"""Every kind of user, and an outsider, is refused what is not theirs — 404, in pages and in the API."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from fund.audit.models import PersonView

pytestmark = pytest.mark.django_db

ALL = ["clerk", "clerk_b", "director", "unit_a_op", "unit_b_op", "member_a", "member_b", "dev_a", "dev_b", "outsider"]
# Who may see member account A (in unit A, branch 市直) and unit A.
SEES_A = {"clerk", "director", "unit_a_op", "member_a"}
SEES_UNIT_A = {"clerk", "director", "unit_a_op"}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


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
    if who in {"clerk_b", "director", "unit_b_op", "member_b"}:
        expected |= {world.account_b.number}
    if who == "director":
        expected = {world.account_a.number, world.account_b.number}
    assert numbers == expected


@pytest.mark.parametrize("who", ALL)
def test_the_staff_page_of_a_member(world, who):
    response = page(getattr(world, who)).get(f"/staff/members/{world.account_a.pk}/")
    assert response.status_code == (200 if who in {"clerk", "director"} else 404)


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
    [("/staff/", {"clerk", "clerk_b", "director"}), ("/unit/", {"unit_a_op", "unit_b_op"}),
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


def test_only_staff_open_units_and_post_deposits(world):
    payload = {"month": "2025-02"}
    for who in ("member_a", "unit_a_op", "dev_a", "outsider"):
        response = api(getattr(world, who)).post(f"/api/deposits/members/{world.account_a.pk}/deposits/", payload)
        assert response.status_code in (403, 404), who
    assert api(world.clerk).post(f"/api/deposits/members/{world.account_a.pk}/deposits/", payload).status_code == 201


def test_anonymous_requests_are_refused(client):
    assert client.get("/staff/").status_code == 302
    assert APIClient().get("/api/deposits/members/").status_code in (401, 403)
