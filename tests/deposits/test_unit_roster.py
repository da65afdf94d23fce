"""A unit's roster can be worked: the member just opened is on the first page, and a search box finds a
member by name, account number or ID number, within the unit only."""

from datetime import date

import pytest

from fund.demo import make_id_number
from tests.conftest import member_name, open_member

pytestmark = pytest.mark.django_db


def test_a_member_just_opened_is_on_the_first_page_of_the_roster(world, client):
    for seq in range(10, 35):  # more than a page of members before
        open_member(world.clerk, world.unit_a, seq)
    client.force_login(world.unit_a_op)
    id_number = make_id_number(birth=date(1995, 5, 5), seq=321)
    data = {"unit": world.unit_a.pk, "id_number": id_number, "name": "新来职工", "phone": "13800001111", "base": "6000"}
    client.post("/unit/members/open/", data, follow=True)  # the success message (naming them) is shown here
    page = client.get("/unit/members/").content.decode()
    assert "新来职工" in page
    assert "第 1 / 2 页" in page


def test_the_roster_search_finds_a_member_of_the_unit_and_no_one_else(world, client):
    other = open_member(world.clerk, world.unit_a, 40)
    client.force_login(world.unit_a_op)
    by_name = client.get("/unit/members/", {"q": member_name(40)}).content.decode()
    assert other.number in by_name and world.account_a.number not in by_name
    by_number = client.get("/unit/members/", {"q": world.account_a.number}).content.decode()
    assert world.account_a.number in by_number and other.number not in by_number
    by_id = client.get("/unit/members/", {"q": other.person.id_number.lower()}).content.decode()
    assert other.number in by_id
    outside = client.get("/unit/members/", {"q": world.account_b.person.name}).content.decode()
    assert world.account_b.number not in outside and "没有找到符合条件的职工" in outside
