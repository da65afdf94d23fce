"""Who sees which loan application: staff their branch (or centre-wide), the borrower and co-borrowers, the
developer that entered it, the bank outlet that took it; everyone else a 404."""

import pytest

from loans.models import Channel
from loans.services.applications import application_submit
from tests.clients import api
from tests.loans.applications_support import bank_operator, materials_for, new_home_form, second_hand_form

# Applications are made "now": the borrower has deposited up to this month.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deposits_to_date")]


def seen(user, app):
    return api(user).get(f"/api/loans/applications/{app.pk}/").status_code


def test_a_developer_entry_is_seen_by_its_developer_buyer_and_branch_only(ln):
    app = application_submit(actor=ln.world.dev_a, channel=Channel.DEVELOPER, id_number=ln.person.id_number,
                             fields=new_home_form(ln.project))
    assert seen(ln.world.dev_a, app) == 200
    assert seen(ln.world.member_a, app) == 200  # the buyer
    assert seen(ln.world.clerk, app) == 200  # branch A
    assert seen(ln.world.director, app) == 200  # centre-wide
    for other in (ln.world.dev_b, ln.world.member_b, ln.world.clerk_b, ln.world.outsider, ln.world.unit_a_op):
        assert seen(other, app) == 404, other
    assert [a["id"] for a in api(ln.world.dev_b).get("/api/loans/applications/").json()["results"]] == []


def test_a_bank_outlet_sees_what_it_took_and_another_bank_does_not(ln):
    from fund.people.models import EntrustedBank

    op = ln.bank_op
    other = bank_operator(EntrustedBank.objects.create(code="ICBC01", name="工商银行", outlet="示范支行"), "icbc_op")
    app = application_submit(actor=op, channel=Channel.BANK, id_number=ln.person.id_number,
                             fields=second_hand_form(), materials=materials_for("second_hand"))
    assert seen(op, app) == 200
    assert seen(other, app) == 404
    assert seen(ln.world.dev_a, app) == 404


def test_a_developer_may_not_confirm_or_decide_and_a_stranger_may_not_confirm(ln):
    app = application_submit(actor=ln.world.dev_a, channel=Channel.DEVELOPER, id_number=ln.person.id_number,
                             fields=new_home_form(ln.project))
    assert api(ln.world.dev_a).post(f"/api/loans/applications/{app.pk}/confirm/").status_code == 403
    assert api(ln.world.member_b).post(f"/api/loans/applications/{app.pk}/confirm/").status_code == 404
    assert api(ln.world.dev_a).post(f"/api/loans/applications/{app.pk}/decide/", {"approve": True},
                                    format="json").status_code == 403
    assert api(ln.world.member_a).post(f"/api/loans/applications/{app.pk}/confirm/").status_code == 200


def test_the_staff_page_is_a_404_outside_the_branch(ln):
    from tests.clients import page

    app = application_submit(actor=ln.world.clerk, channel=Channel.WINDOW, account=ln.account,
                             fields=second_hand_form(), materials=materials_for("second_hand"))
    assert page(ln.world.clerk).get(app.get_staff_url()).status_code == 200
    assert page(ln.world.clerk_b).get(app.get_staff_url()).status_code == 404
    html = page(ln.reviewer).get(app.get_staff_url()).content.decode()
    assert "decide-form" in html and "决定额度" in html
