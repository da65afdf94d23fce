"""Staff pages show a person's ID masked; a post that needs it whole clicks 显示完整号码, which is logged, and
a post without the need is refused."""

import pytest
from django.test import Client
from django.urls import reverse

from fund.audit.masking import mask_id_number
from fund.audit.models import PersonView
from fund.people.models import Post

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def finance(world):
    from fund.people.services import staff_create

    return staff_create(actor=None, username="finance", name="财务甲", branch=world.branch_a, posts=[Post.FINANCE],
                        employee_number="finance", password="Pass@word-2026x", centre_wide=True)


def test_the_member_page_shows_the_masked_id_and_a_reveal_button_to_the_window(world):
    person = world.account_a.person
    html = _client(world.clerk).get(reverse("staff:member_detail", args=[world.account_a.pk])).content.decode()
    assert mask_id_number(person.id_number) in html and person.id_number not in html
    assert "显示完整号码" in html and reverse("staff:person_id_reveal", args=[person.pk]) in html


def test_the_reveal_answers_the_whole_number_and_logs_the_view(world):
    person = world.account_a.person
    before = PersonView.objects.filter(actor=world.clerk, person=person, context__startswith="显示完整身份证号码").count()
    response = _client(world.clerk).post(reverse("staff:person_id_reveal", args=[person.pk]), {"where": "个人账户"})
    assert response.status_code == 200 and person.id_number in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    views = PersonView.objects.filter(actor=world.clerk, person=person, context__startswith="显示完整身份证号码")
    assert views.count() == before + 1 and views.first().context == "显示完整身份证号码：个人账户"


def test_it_refuses_the_reveal_to_a_post_without_the_need_and_logs_nothing(world, finance):
    person = world.account_a.person
    html = _client(finance).get(reverse("staff:member_detail", args=[world.account_a.pk])).content.decode()
    assert mask_id_number(person.id_number) in html and "显示完整号码" not in html
    response = _client(finance).post(reverse("staff:person_id_reveal", args=[person.pk]))
    assert response.status_code == 403 and person.id_number not in response.content.decode()
    assert not PersonView.objects.filter(actor=finance, context__startswith="显示完整身份证号码").exists()


def test_it_refuses_the_reveal_outside_the_branch_as_missing(world):
    person_b = world.account_b.person
    response = _client(world.clerk).post(reverse("staff:person_id_reveal", args=[person_b.pk]))
    assert response.status_code == 404 and person_b.id_number not in response.content.decode()


def test_the_reveal_by_link_is_a_page_with_the_number_and_is_logged_too(world, finance):
    person = world.account_a.person
    url = reverse("staff:person_id_reveal", args=[person.pk])
    page = _client(world.clerk).get(url, {"where": "后台", "back": "https://elsewhere.example/"})
    html = page.content.decode()
    assert page.status_code == 200 and person.id_number in html and 'href="https://elsewhere.example/"' not in html
    assert PersonView.objects.filter(actor=world.clerk, context="显示完整身份证号码：后台").count() == 1
    assert _client(finance).get(url).status_code == 403


def test_it_refuses_the_reveal_to_members(world):
    url = reverse("staff:person_id_reveal", args=[world.account_a.person.pk])
    assert _client(world.member_a).post(url).status_code == 404
