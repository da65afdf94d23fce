"""The overdue rate, classification and warning pages and their API: branch staff see their branch only,
centre-wide staff every branch and bank, anyone else nothing (404); the answers follow the OpenAPI schema."""

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest

from fund.people.models import EntrustedBank
from loans.models import Loan
from risk.services.rates import classification_step, overdue_rate_step
from risk.services.warnings import warnings_step
from tests.api_contract import Contract
from tests.clients import api, page
from tests.clock import travel_to
from tests.risk.conftest import loan_first_due, loans_closed_to

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)


@pytest.fixture
def book(ln: Any, officers: Any, monkeypatch: Any) -> Any:
    """One loan of branch A 100 days overdue, one of branch B (another bank) 30 days, the risk steps run for D."""
    import fund.people.tasks

    monkeypatch.setattr(fund.people.tasks.send_sms_many, "delay", lambda chunk: None)
    with travel_to(D + timedelta(days=1)):
        ln.loan_a = loan_first_due(ln, D - timedelta(days=100))
        ln.loan_b = loan_first_due(ln, D - timedelta(days=30), borrower=ln.world.account_b.person)
        ln.bank_b = EntrustedBank.objects.create(code="BOC01", name="中国银行示范市分行")
        Loan.objects.filter(pk=ln.loan_b.pk).update(branch=ln.world.branch_b, bank=ln.bank_b)
        loans_closed_to(D)
        classification_step(D)
        overdue_rate_step(D)
        warnings_step(D)
    return ln




def test_branch_staff_see_only_their_branch_and_outsiders_nothing(book: Any) -> None:
    world, contract = book.world, Contract.load()
    clerk, clerk_b = api(world.clerk), api(world.clerk_b)

    series = contract.call(clerk, "get", "/api/risk/rates/", query={"on": D.isoformat()}).json()
    assert series["scope"] == "branch" and series["series"][-1]["overdue_balance"] == "300000.00"
    split = contract.call(clerk, "get", "/api/risk/rates/breakdown/", query={"on": D.isoformat()}).json()
    assert [r["name"] for r in split["branches"]] == ["市直管理部"] and split["banks"] == []
    tiers = {r["tier"]: r["count"] for r in contract.call(clerk, "get", "/api/risk/tiers/").json()}
    assert tiers["substandard"] == 1 and tiers["attention"] == 0  # branch B's 关注 loan is not theirs
    listed = contract.call(clerk_b, "get", "/api/risk/tiers/loans/").json()["results"]
    assert [r["loan"] for r in listed] == [book.loan_b.pk]
    notices = contract.call(clerk_b, "get", "/api/risk/credit-notices/").json()["results"]
    assert [n["loan"] for n in notices] == [book.loan_b.pk]

    # Another branch's loan does not exist for them; nor does anything here for a member or a stranger.
    assert contract.call(clerk_b, "get", "/api/risk/tiers/loans/{id}/", id=book.loan_a.pk).status_code == 404
    assert page(world.clerk_b).get(f"/staff/risk/tiers/{book.loan_a.pk}/").status_code == 404
    for outsider in (world.member_a, world.unit_a_op, world.outsider):
        for path in ("/api/risk/rates/", "/api/risk/tiers/", "/api/risk/credit-notices/",
                     "/api/risk/stopped-deposits/", f"/api/risk/tiers/loans/{book.loan_a.pk}/"):
            assert api(outsider).get(path).status_code == 404, (outsider, path)
        assert page(outsider).get("/staff/risk/rates/").status_code == 404


def test_centre_wide_staff_see_every_branch_and_bank_on_the_pages(book: Any, officers: Any) -> None:
    contract = Contract.load()
    split = contract.call(api(officers.risk), "get", "/api/risk/rates/breakdown/",
                          query={"on": D.isoformat()}).json()
    assert {r["name"] for r in split["branches"]} == {"市直管理部", "高新区管理部"}
    assert {r["name"] for r in split["banks"]} == {book.bank.name, "中国银行示范市分行"}
    history = contract.call(api(officers.risk), "get", "/api/risk/tiers/loans/{id}/", id=book.loan_a.pk).json()
    assert (history["tier"], [c["new_tier"] for c in history["changes"]]) == ("substandard", ["substandard"])

    client = page(officers.risk)
    with travel_to(D + timedelta(days=1)):
        rates = client.get("/staff/risk/rates/").content.decode()
        assert "data-rate-chart" in rates and "中国银行示范市分行" in rates
        assert "次级" in client.get("/staff/risk/tiers/").content.decode()
        assert "次级" in client.get(f"/staff/risk/tiers/{book.loan_a.pk}/").content.decode()
        warnings = client.get("/staff/risk/warnings/").content.decode()
        assert "征信不良信息告知" in warnings and book.world.unit_a.employer.name in warnings
        # The unit that stopped remitting is one click from the blacklist's add form, prefilled.
        link = unescape(re.search(r'href="([^"]+)" data-blacklist', warnings).group(1))
        form = client.get(link).content.decode()
    field = re.search(r'<input[^>]*name="credit_code"[^>]*>', form).group(0)
    assert f'value="{book.world.unit_a.employer.credit_code}"' in field
    assert re.search(r'<option value="stopped_after_loan"[^>]*selected', form)
