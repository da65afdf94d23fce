"""受托银行网点的经办人 (Linyi): bound to one entrusted bank, they enter the bank portal and nothing else, and see
only what was taken at their own bank."""

import pytest

from fund.people.models import EntrustedBank
from fund.people.roles import roles_of
from fund.people.selectors import scoped
from fund.people.services import operator_create
from loans.models import LoanApplication
from tests.clients import page

pytestmark = pytest.mark.django_db


def test_a_bank_operator_is_bound_to_one_bank(ln):
    roles = roles_of(ln.bank_op)
    assert roles.is_bank_operator and roles.bank == ln.bank
    assert not (roles.is_staff or roles.is_developer or roles.is_unit_operator or roles.is_member)
    assert roles.portals == [("bank:home", "受托银行")]


def test_sign_in_takes_a_bank_operator_to_the_bank_portal(ln):
    response = page(ln.bank_op).get("/home/")
    assert response.status_code == 302 and response["Location"] == "/bank/"
    home = page(ln.bank_op).get("/bank/")
    assert home.status_code == 200
    text = home.content.decode()
    assert "受托银行服务平台" in text and "示范市分行营业部" in text and ln.project.name in text


@pytest.mark.parametrize("portal", ["/staff/", "/unit/", "/member/", "/developer/"])
def test_a_bank_operator_sees_only_the_bank_portal(ln, portal):
    assert page(ln.bank_op).get(portal).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "dev_a", "clerk", "member_a"])
def test_it_refuses_the_bank_portal_to_everyone_else(ln, who):
    assert page(getattr(ln.world, who)).get("/bank/").status_code == 404


def test_it_scopes_applications_to_the_operators_own_bank(ln):
    other = EntrustedBank.objects.create(code="ICBC0537", name="中国工商银行", outlet="示范市分行")
    colleague = operator_create(actor=None, username="icbc_op", name="工行经办", password=None, bank=other)
    ours = ln.application(channel="bank", bank_outlet=ln.bank)
    theirs = ln.application(channel="bank", bank_outlet=other, household_key="X" * 18)
    ln.application(household_key="Y" * 18)  # a window application: no bank sees it

    def seen(user):
        return set(scoped(LoanApplication.objects.all(), user, bank="bank_outlet"))

    assert seen(ln.bank_op) == {ours}
    assert seen(colleague) == {theirs}
    assert seen(ln.world.dev_a) == set() and seen(ln.world.outsider) == set()


def test_a_login_made_without_a_password_cannot_sign_in_until_one_is_set(ln):
    user = operator_create(actor=None, username="icbc_new", name="新经办", password=None, phone="13905370002",
                           bank=ln.bank)
    assert not user.has_usable_password()
    assert roles_of(user).bank == ln.bank
