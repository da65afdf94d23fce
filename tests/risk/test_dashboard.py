"""The risk dashboard (风险驾驶舱): for the director and 风控 (a branch officer sees their branch), 403 to other
staff, 404 to members; it draws whatever the topics' read interfaces return, with empty states, and its API
answers as documented."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from fund.demo import DEMO_PASSWORD
from fund.people.models import Post
from risk.selectors import dashboard
from risk.services.dormant import dormant_campaign_start
from tests.api_contract import Contract
from tests.clients import page as browser
from tests.risk.dormant_world import START, sealed_long_ago

pytestmark = pytest.mark.django_db



def branch_officer(world: Any) -> Any:
    from fund.people.services import staff_create

    return staff_create(actor=None, username="risk_branch_b", name="风控乙", branch=world.branch_b, posts=[Post.RISK],
                        employee_number="risk_branch_b", password=DEMO_PASSWORD, centre_wide=False)


def crafted_series(user: Any, *, on: date, days: int = 90) -> list[dict[str, Any]]:
    """Three nights of a portfolio: 1 of 2,000,000 overdue, then 3, then 2."""
    loans = Decimal("2000000.00")
    return [{"date": on - timedelta(days=2 - i), "rate": overdue / loans, "overdue_balance": overdue,
             "loan_balance": loans, "borrowers": n}
            for i, (overdue, n) in enumerate([(Decimal("1000.00"), 1), (Decimal("3000.00"), 2), (Decimal("2000.00"), 1)])]


def test_it_shows_the_director_every_figure_and_draws_the_trend(world: Any, officers: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(dashboard, "rate_series", crafted_series)
    monkeypatch.setattr(dashboard, "tier_counts", lambda user, on: [])  # a topic with nothing to show
    sealed_long_ago(world, world.account_a)
    campaign = dormant_campaign_start(actor=officers.risk, name="2027年呆滞账户清理", on=START)
    real = dashboard.dormant_summary  # the page asks for today's; the campaign is dated START
    monkeypatch.setattr(dashboard, "dormant_summary", lambda user, on: real(user, on=START))
    page = browser(world.director).get("/staff/risk/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200 and "风险驾驶舱" in html and "全中心" in html
    assert "0.1000%" in html  # the latest night: 2,000 of 2,000,000
    assert html.count("rate-point") == 3 and "<polyline" in html
    assert campaign.name in html and "列入 1 户" in html
    assert "尚无五级分类数据" in html  # a topic that returns nothing shows its empty state


def test_a_branch_officer_sees_their_branch_and_others_are_refused(world: Any) -> None:
    officer = branch_officer(world)
    page = browser(officer).get("/staff/risk/dashboard/")
    assert page.status_code == 200 and "本管理部" in page.content.decode() and "尚无逾期率数据" in page.content.decode()
    assert browser(world.clerk).get("/staff/risk/dashboard/").status_code == 403
    assert browser(world.member_a).get("/staff/risk/dashboard/").status_code == 404
    api = APIClient()
    api.force_authenticate(world.member_a)
    assert api.get("/api/risk/dashboard/").status_code == 404


def test_the_api_answers_as_documented(world: Any, officers: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(dashboard, "rate_series", crafted_series)
    client = APIClient()
    client.force_authenticate(officers.risk)
    contract = Contract.load()
    body = contract.call(client, "get", "/api/risk/dashboard/").json()
    assert Decimal(body["rate"]["rate"]) == Decimal("0.001") and len(body["series"]) == 3
    assert set(body) == {"on", "centre_wide", "rate", "series", "tiers", "ledger", "queue", "rings", "dormant"}
    assert body["dormant"] is None and body["ledger"]["open"] == 0
    assert contract.call(client, "get", "/api/risk/dashboard/", query={"days": "0"}).status_code == 400
    clerk = APIClient()
    clerk.force_authenticate(world.clerk)
    assert contract.call(clerk, "get", "/api/risk/dashboard/").status_code == 403

