"""Auditors browse every record read-only in the admin; nobody else gets in."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/admin/", "/admin/ledger/journalentry/", "/admin/audit/auditevent/", "/admin/deposits/memberaccount/",
         "/admin/integrations/integrationcall/", "/admin/policy/policyvalue/", "/admin/printing/document/"]


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_an_auditor_can_read(world, url):
    assert as_user(world.auditor).get(url).status_code == 200


def test_an_auditor_cannot_change_anything(world):
    client = as_user(world.auditor)
    assert client.get("/admin/deposits/unitaccount/add/").status_code == 403
    response = client.get(f"/admin/deposits/unitaccount/{world.unit_a.pk}/change/")
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    assert client.post(f"/admin/deposits/unitaccount/{world.unit_a.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("who", ["clerk", "director", "member_a", "unit_a_op", "outsider"])
def test_others_do_not_enter_the_admin(world, who):
    response = as_user(getattr(world, who)).get("/admin/ledger/journalentry/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_persons_record_in_the_admin_shows_the_id_masked_and_the_reveal_link_is_logged(world):
    from fund.audit.masking import mask_id_number
    from fund.audit.models import PersonView

    person = world.account_a.person
    client = as_user(world.auditor)
    page = client.get(f"/admin/people/person/{person.pk}/change/").content.decode()
    assert person.id_number not in page and mask_id_number(person.id_number) in page
    assert page.count("显示完整号码") == 1 and page.count(">手机号码") == 1  # each field once
    assert not PersonView.objects.filter(actor=world.auditor, person=person).exists()
    link = re.search(r'href="(/staff/people/\d+/id-number/[^"]*)"', page).group(1).replace("&amp;", "&")
    revealed = client.get(link)
    assert revealed.status_code == 200 and person.id_number in revealed.content.decode()
    assert PersonView.objects.get(actor=world.auditor, person=person).context == "显示完整身份证号码：后台自然人记录"


@pytest.mark.parametrize("url", ["/admin/people/apitoken/", "/admin/sessions/session/", "/admin/people/onetimecode/",
                                 "/admin/auth/group/"])
def test_an_auditor_never_sees_credentials(world, url):
    assert as_user(world.auditor).get(url).status_code in (403, 404)
