"""Auditors browse every record read-only in the admin; nobody else gets in."""

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


def test_opening_a_persons_full_record_in_the_admin_is_logged(world):
    from fund.audit.models import PersonView

    as_user(world.auditor).get(f"/admin/people/person/{world.account_a.person.pk}/change/")
    assert PersonView.objects.filter(actor=world.auditor, person=world.account_a.person).exists()


@pytest.mark.parametrize("url", ["/admin/people/apitoken/", "/admin/sessions/session/", "/admin/people/onetimecode/",
                                 "/admin/auth/group/"])
def test_an_auditor_never_sees_credentials(world, url):
    assert as_user(world.auditor).get(url).status_code in (403, 404)
